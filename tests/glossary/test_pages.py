"""/<lang>/glossary/ and the page of each term: signed-in readers, the reader's alphabet, the
modules that use a term among those the reader may open, and nothing authored left active."""

import re

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from wagtail.models import Page, PageViewRestriction

from search.services import index_rebuild
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory
from tests.glossary.factories import make_term, mla_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, learner):
    client.force_login(learner)
    return client


def listed(html: str) -> list[str]:
    return re.findall(r'<dt><a href="/\w\w/glossary/[^"]+/"[^>]*>(.*?)</a>', html)


def test_signed_out_readers_are_sent_to_sign_in(client, site):
    mla_term()
    for url in ("/en/glossary/", "/ar/glossary/mutual-legal-assistance/"):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_terms_are_listed_in_the_readers_alphabet(reader, site):
    make_term("b", "chain of custody", "chaîne de possession", "سلسلة حيازة الأدلة")
    make_term("a", "admissibility", "recevabilité", "مقبولية الأدلة")
    make_term("c", "electronic evidence", "élément de preuve", "الأدلة الإلكترونية")
    make_term("d", "dual criminality", "double incrimination", "ازدواجية التجريم")
    english = reader.get("/en/glossary/").content.decode()
    assert listed(english) == [
        "admissibility",
        "chain of custody",
        "dual criminality",
        "electronic evidence",
    ]
    # Accents do not count: élément files under E, after double.
    assert listed(reader.get("/fr/glossary/").content.decode()) == [
        "chaîne de possession",
        "double incrimination",
        "élément de preuve",
        "recevabilité",
    ]
    # The article does not count: الأدلة files under ا, before ازدواجية.
    arabic = reader.get("/ar/glossary/").content.decode()
    assert listed(arabic) == [
        "الأدلة الإلكترونية",
        "ازدواجية التجريم",
        "سلسلة حيازة الأدلة",
        "مقبولية الأدلة",
    ]
    assert re.findall(r'<h2 id="letter-\d+">(.*?)</h2>', arabic) == ["ا", "س", "م"]


def test_the_list_is_filtered_by_course(reader, site):
    course = make_course(slug="evidence")
    other = make_course(slug="other")
    in_course = make_term("in", "traffic data", "données relatives au trafic", "بيانات الحركة")
    in_course.courses.add(course)
    make_term("out", "content data", "données relatives au contenu", "بيانات المحتوى").courses.add(
        other
    )
    html = reader.get("/en/glossary/", {"course": course.pk}).content.decode()
    assert listed(html) == ["traffic data"]
    assert f'<option value="{course.pk}" selected>' in html
    refused = reader.get("/en/glossary/", {"course": "999999"}).content.decode()
    assert "That course cannot be chosen here" in refused
    assert listed(refused) == ["content data", "traffic data"]


def test_a_restricted_course_is_not_offered(client, site):
    course = make_course(slug="secret")
    make_term("t", "traffic data", "données", "بيانات الحركة").courses.add(course)
    restriction = PageViewRestriction.objects.create(
        page=Page.objects.get(pk=course.pk), restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Insiders"))
    client.force_login(LearnerFactory(username="outsider"))
    html = client.get("/en/glossary/").content.decode()
    assert "Course secret" not in html
    term_page = client.get("/en/glossary/t/").content.decode()
    assert "Course secret" not in term_page


def test_a_term_page_shows_three_languages_and_the_modules_using_it(reader, site):
    course = make_course(slug="evidence", title={"en": "Evidence", "fr": "Preuve", "ar": "أدلة"})
    term = mla_term(source_instrument="UNTOC", source_provision="art. 18")
    term.courses.add(course)
    related = make_term("central-authority", "central authority", "autorité centrale", "السلطة")
    term.related_terms.add(related)
    paragraph = {"type": "paragraph", "value": "<p>{}</p>"}
    users = make_module(
        course,
        slug="uses",
        title={"en": "Uses", "fr": "Utilise", "ar": "تستخدم"},
        body={
            "en": [],
            "fr": [{**paragraph, "value": "<p>L'entraide judiciaire est lente.</p>"}],
            "ar": [],
        },
    )
    make_module(
        course,
        slug="scattered",
        body={"en": [{**paragraph, "value": "<p>Legal help is mutual; assistance.</p>"}]},
    )
    hidden = make_module(
        course,
        slug="hidden",
        body={"en": [{**paragraph, "value": "<p>mutual legal assistance</p>"}]},
    )
    index_rebuild()
    Page.objects.filter(pk=hidden.pk).update(live=False)
    html = reader.get("/ar/glossary/mutual-legal-assistance/").content.decode()
    assert '<h1 lang="ar" dir="rtl">المساعدة القانونية المتبادلة' in html
    assert '<dd lang="en" dir="ltr">mutual legal assistance</dd>' in html
    assert '<dd lang="fr" dir="ltr">entraide judiciaire</dd>' in html
    assert "تعريف المساعدة القانونية المتبادلة" in html
    assert "UNTOC — art. 18" in html
    assert "/ar/glossary/central-authority/" in html
    with translation.override("ar"):
        assert f'href="{users.get_url()}"' in html
        assert course.get_url() in html
    # Words of the term apart are not the term; an unpublished module is not there.
    assert "وحدة scattered" not in html and "وحدة hidden" not in html


def test_a_missing_definition_falls_back_and_says_so(reader, site):
    make_term("t", "traffic data", "données relatives au trafic", "بيانات الحركة", definition_ar="")
    html = reader.get("/ar/glossary/t/").content.decode()
    assert '<p class="prose" lang="fr" dir="ltr">Définition de données' in html
    assert 'class="fallback-notice"' in html


def test_an_unknown_term_is_not_found(reader, site):
    assert reader.get("/en/glossary/no-such-term/").status_code == 404


HOSTILE = "<img src=x onerror=alert(1)>\"'><script>alert(2)</script>"


def test_hostile_terms_are_shown_inert_everywhere(reader, site):
    course = make_course(slug="evidence")
    make_term(
        "hostile",
        "hostile term",
        "terme hostile",
        "مصطلح عدائي",
        definition_en=HOSTILE,
        variants_en=HOSTILE,
        source_instrument=HOSTILE,
    )
    module = make_module(
        course, slug="m", body={"en": [{"type": "paragraph", "value": "<p>A hostile term.</p>"}]}
    )
    index_rebuild()
    with translation.override("en"):
        module_url = module.get_url()
    for url in (
        "/en/glossary/",
        "/en/glossary/hostile/",
        module_url,
        "/en/search/?q=hostile",
        "/en/search/?q=" + HOSTILE,
    ):
        html = reader.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "onerror=alert(1)&gt;" in html or "onerror=alert(1)" not in html, url
