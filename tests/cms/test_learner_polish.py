"""Small things a learner notices: the tab's title, the favicon, one word for password, no
straight quotes in a label (docs/learner-pages.md)."""

import re
from pathlib import Path

import polib
import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, flags=re.S)[1].strip()


@pytest.mark.parametrize(("language", "title"), [("en", "Tadrib"), ("ar", "تدريب")])
def test_the_home_page_title_names_the_site_once(site, client, learner, language, title):
    assert title_of(client.get(f"/{language}/").content.decode()) == title
    client.force_login(learner)
    assert title_of(client.get(f"/{language}/").content.decode()) == title


def test_other_pages_keep_the_site_name_after_their_title(site, client, learner):
    client.force_login(learner)
    assert title_of(client.get("/ar/learning/").content.decode()) == "تعلّمي · تدريب"


def test_favicon_ico_is_the_icon_not_a_redirect(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age" in response["Cache-Control"]


def test_every_page_links_the_icons_through_static(site, client):
    html = client.get("/fr/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/icons/favicon[^"]*\.svg"', html)
    assert re.search(r'<link rel="icon" href="/static/icons/favicon[^"]*\.ico"', html)
    # With the ICO's three sizes listed, Chromium downloaded it (4.2 KB) beside the SVG (0.4 KB)
    # on every first visit (bench/weight.py); with one size it takes the SVG alone.
    assert re.search(r'<link rel="icon" href="[^"]*\.ico" sizes="32x32">', html)
    assert 'rel="apple-touch-icon"' in html


def test_arabic_says_kalimat_al_murur_for_password_everywhere():
    for entry in catalogue("ar"):
        assert "كلمة السر" not in entry.msgstr, entry.msgid


def test_a_wrong_password_reads_kalimat_al_murur_in_arabic(site, client, learner):
    response = client.post(
        "/ar/account/sign-in/", {"username": learner.username, "password": "wrong"}
    )
    page = response.content.decode()
    assert "كلمة المرور" in page
    assert "كلمة السر" not in page


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_no_translation_uses_straight_double_quotes(language):
    offenders = [e.msgid for e in catalogue(language) if '"' in e.msgstr and '"' not in e.msgid]
    assert offenders == []


def test_the_complete_button_uses_typographic_quotes_in_arabic(site, client, learner):
    from django.utils import translation

    from tests.courses.factories import make_course, make_module

    module = make_module(make_course(slug="quotes"), slug="q")
    client.force_login(learner)
    with translation.override("ar"):
        url = module.get_url()
    page = client.get(url).content.decode()
    assert "وضع علامة «مكتمل»" in page


# One term per concept, as the project's glossary writes it (docs/learner-pages.md).
ONE_TERM = {
    "ar": [
        ("كلمة السر", "كلمة المرور"),
        (r"متعلم(?!ّ)", "المتعلّم"),
        (r"مدرب(?!ّ)", "المدرّب"),
    ],
    "fr": [(r"\bstagiaires?\b", "apprenant"), (r"\bgestionnaires?\b", "responsable")],
}


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_one_term_per_concept(language):
    for pattern, preferred in ONE_TERM[language]:
        found = [e.msgid for e in catalogue(language) if re.search(pattern, e.msgstr)]
        assert found == [], f"{pattern!r} where the glossary says {preferred!r}: {found}"
