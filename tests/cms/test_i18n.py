import re

import pytest
from wagtail.models import Page

from cms.i18n import url_in_language

pytestmark = pytest.mark.django_db


def html_tag(response):
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def switcher_links(response):
    nav = re.search(
        r'<nav class="language-switcher".*?</nav>', response.content.decode(), re.S
    ).group(0)
    return dict(re.findall(r'href="([^"]+)" lang="([a-z]+)"', nav))


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.5", "/fr/"),
        ("ar-MA,ar;q=0.9", "/ar/"),
        ("de-DE,de", "/en/"),
        ("", "/en/"),
    ],
)
def test_root_redirects_by_accept_language_else_english(site, client, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_root_redirects_signed_in_user_to_preferred_language_over_browser(site, client, learner):
    learner.preferred_language = "ar"
    learner.save()
    client.force_login(learner)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Location"] == "/ar/"


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("fr", "ltr"), ("ar", "rtl")])
def test_html_lang_and_dir_match_the_language(site, client, language, direction):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert html_tag(response) == f'<html lang="{language}" dir="{direction}">'


def test_home_page_is_written_in_each_language(site, client):
    assert "Self-paced training" in client.get("/en/").content.decode()
    assert "Une formation à votre rythme" in client.get("/fr/").content.decode()
    assert "تدريب ذاتي الإيقاع" in client.get("/ar/").content.decode()


def test_same_page_in_another_language_follows_the_translated_slug(site, client, rf):
    home = Page.objects.get(pk=site.pk)
    child = Page(
        title_en="About",
        title_fr="À propos",
        title_ar="حول المنصة",
        slug_en="about",
        slug_fr="a-propos",
        slug_ar="hawl",
    )
    home.add_child(instance=child)
    child.save_revision().publish()
    request = rf.get("/fr/a-propos/")
    assert url_in_language(request, "/fr/a-propos/?x=1", "en") == "/en/about/?x=1"
    assert url_in_language(request, "/fr/a-propos/", "ar") == "/ar/hawl/"
    assert url_in_language(request, "/ar/hawl/", "fr") == "/fr/a-propos/"
    assert client.get("/ar/hawl/").status_code == 200


def test_switcher_on_the_home_page_links_to_the_other_languages(site, client):
    assert switcher_links(client.get("/ar/")) == {"/en/": "en", "/fr/": "fr"}


def test_switcher_on_a_view_keeps_the_view_and_query(site, client):
    response = client.get("/fr/account/sign-in/?next=/fr/")
    links = switcher_links(response)
    assert "/ar/account/sign-in/?next=/fr/" in links
    assert "/en/account/sign-in/?next=/fr/" in links


def test_interface_strings_are_translated(site, client):
    assert "Se connecter" in client.get("/fr/").content.decode()
    assert "تسجيل الدخول" in client.get("/ar/").content.decode()
