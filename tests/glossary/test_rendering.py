"""Glossary links in module pages: linked when rendered, cached with the body, never stored."""

import re

import pytest
from django.utils import translation

from courses.blocks import CalloutBlock
from courses.models import ModulePage
from glossary.models import GlossaryVersion
from tests.courses.factories import make_course, make_module
from tests.glossary.factories import mla_term, preservation_term

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a class="glossary-link" href="#glossary-([a-z0-9-]+)"[^>]*>(.*?)</a>')


def url(page, language):
    with translation.override(language):
        return page.get_url()


def body(**languages):
    return {code: languages.get(code, []) for code in ("en", "fr", "ar")}


def paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


@pytest.fixture
def terms(db):
    return mla_term(), preservation_term()


@pytest.fixture
def reader(client, learner):
    client.force_login(learner)
    return client


def page_html(client, page, language="en") -> str:
    response = client.get(url(page, language))
    assert response.status_code == 200
    return response.content.decode()


def test_terms_are_linked_in_each_language_with_their_note(site, reader, terms):
    course = make_course(slug="evidence")
    module = make_module(
        course,
        slug="mla",
        body=body(
            en=[paragraph("Ask for mutual legal assistance early.")],
            fr=[paragraph("Demandez l'entraide judiciaire tôt.")],
            ar=[paragraph("اطلب المساعدةَ القانونيةَ المتبادلة مبكرًا.")],
        ),
    )
    for language, written in (
        ("en", "mutual legal assistance"),
        ("fr", "entraide judiciaire"),
        ("ar", "المساعدةَ القانونيةَ المتبادلة"),
    ):
        html = page_html(reader, module, language)
        assert LINK.findall(html) == [("mutual-legal-assistance", written)]
        notes = html[html.index('class="glossary-notes"') :]
        assert 'id="glossary-mutual-legal-assistance"' in notes
        # The two other languages and the definition in the reader's.
        for other in {"en", "fr", "ar"} - {language}:
            name = {"en": "mutual legal assistance", "fr": "entraide judiciaire"}.get(
                other, "المساعدة القانونية المتبادلة"
            )
            assert f'lang="{other}"' in notes and name in notes
        definition = {"en": "Definition of", "fr": "Définition de", "ar": "تعريف"}[language]
        assert definition in notes
        assert f"/{language}/glossary/mutual-legal-assistance/" in notes
        assert "glossary/glossary.js" in html


def test_headings_links_and_legal_citations_are_never_linked(site, reader, terms):
    course = make_course(slug="evidence")
    blocks = [
        {"type": "heading", "value": "Mutual legal assistance"},
        paragraph('See <a href="https://example.org/">mutual legal assistance</a>.'),
        {
            "type": "legal_reference",
            "value": {
                "instrument": "Treaty on mutual legal assistance",
                "provision": "Art. 1",
                "url": "",
                "summary": "<p>Parties afford mutual legal assistance.</p>",
            },
        },
        {
            "type": "glossary_term",
            "value": {
                "term_en": "mutual legal assistance",
                "term_fr": "entraide judiciaire",
                "term_ar": "المساعدة القانونية المتبادلة",
                "definition": "<p>mutual legal assistance</p>",
            },
        },
    ]
    module = make_module(course, slug="m", body=body(en=blocks))
    assert LINK.findall(page_html(reader, module)) == []


def test_one_link_per_term_and_section(site, reader, terms):
    course = make_course(slug="evidence")
    blocks = [
        paragraph("mutual legal assistance, and mutual legal assistance again."),
        paragraph("A third mutual legal assistance and a preservation request."),
        {"type": "heading", "value": "Second section"},
        paragraph("mutual legal assistance once more."),
    ]
    module = make_module(course, slug="m", body=body(en=blocks))
    assert [slug for slug, _text in LINK.findall(page_html(reader, module))] == [
        "mutual-legal-assistance",
        "preservation-request",
        "mutual-legal-assistance",
    ]


def test_a_trainer_switches_links_off_per_block(site, reader, terms):
    course = make_course(slug="evidence")
    blocks = [
        {
            "type": "callout",
            "value": {
                "kind": "note",
                "title": "Off",
                "body": "<p>mutual legal assistance</p>",
                "link_terms": False,
            },
        },
        {"type": "paragraph_unlinked", "value": "<p>mutual legal assistance</p>"},
        {
            "type": "callout",
            "value": {"kind": "note", "title": "On", "body": "<p>preservation request</p>"},
        },
    ]
    module = make_module(course, slug="m", body=body(en=blocks))
    assert LINK.findall(page_html(reader, module)) == [
        ("preservation-request", "preservation request")
    ]


def test_blocks_stored_before_the_option_render_as_before():
    block = CalloutBlock()
    stored = {"kind": "note", "title": "T", "body": "<p>x</p>"}
    value = block.to_python(stored)
    assert value["link_terms"] is True
    html = str(block.render(value))
    assert "data-autolink" not in html
    assert html.lstrip().startswith('<aside class="callout callout--note"')


def test_the_stored_text_is_never_changed(site, reader, terms):
    course = make_course(slug="evidence")
    module = make_module(course, slug="m", body=body(en=[paragraph("mutual legal assistance")]))
    page_html(reader, module)
    stored = ModulePage.objects.get(pk=module.pk)
    assert stored.body_en.raw_data[0]["value"] == "<p>mutual legal assistance</p>"


def test_a_changed_term_shows_at_once_though_the_body_is_cached(site, reader, terms):
    course = make_course(slug="evidence")
    module = make_module(course, slug="m", body=body(en=[paragraph("mutual legal assistance")]))
    assert "Definition of mutual legal assistance" in page_html(reader, module)
    version = GlossaryVersion.objects.get().value
    mla = terms[0]
    mla.definition_en = "Cooperation between States in criminal matters."
    mla.save()
    assert GlossaryVersion.objects.get().value != version
    html = page_html(reader, module)
    assert "Cooperation between States in criminal matters." in html
    mla.delete()
    assert LINK.findall(page_html(reader, module)) == []


def test_a_body_in_a_fallback_language_is_linked_in_its_own_language(site, reader, terms):
    course = make_course(slug="evidence")
    module = make_module(course, slug="m", body=body(en=[paragraph("mutual legal assistance")]))
    html = page_html(reader, module, "ar")
    assert LINK.findall(html) == [("mutual-legal-assistance", "mutual legal assistance")]
    # The note is in the reader's language.
    assert "تعريف المساعدة القانونية المتبادلة" in html


def test_module_page_queries_do_not_grow_with_the_glossary(
    site, reader, django_assert_max_num_queries
):
    from tests.glossary.factories import make_term

    course = make_course(slug="evidence")
    module = make_module(course, slug="m", body=body(en=[paragraph("term 1 and term 39")]))
    reader.get(url(module, "en"))
    for i in range(40):
        make_term(f"term-{i}", f"term {i}", f"terme {i}", f"مصطلح {i}")
    # Rendered afresh (the glossary changed): the version and the terms, once.
    # One more per activity type in the course outline (module, quiz, survey), and the
    # catalogue's address for the header, found once per content generation (cms.navigation).
    with django_assert_max_num_queries(16):
        html = page_html(reader, module)
    assert len(LINK.findall(html)) == 2


def test_a_term_explained_in_a_glossary_box_links_to_the_box(site, reader, terms):
    course = make_course(slug="evidence")
    box = {
        "type": "glossary_term",
        "value": {
            "term_en": "Mutual legal assistance",
            "term_fr": "entraide judiciaire",
            "term_ar": "المساعدة القانونية المتبادلة",
            "definition": "<p>The trainer's own definition.</p>",
        },
    }
    blocks = [paragraph("Ask for mutual legal assistance and a preservation request."), box]
    module = make_module(course, slug="m", body=body(en=blocks))
    html = page_html(reader, module)
    assert [slug for slug, _ in LINK.findall(html)] == [
        "mutual-legal-assistance",
        "preservation-request",
    ]
    # The box carries the id the link points to; no second note repeats it.
    assert re.search(r'<dl class="glossary-term"[^>]* id="glossary-mutual-legal-assistance">', html)
    notes = html[html.index('class="glossary-notes"') :]
    assert 'id="glossary-preservation-request"' in notes
    assert "glossary-mutual-legal-assistance" not in notes


def test_a_module_whose_terms_all_have_boxes_needs_no_notes(site, reader, terms):
    course = make_course(slug="evidence")
    box = {
        "type": "glossary_term",
        "value": {
            "term_en": "mutual legal assistance",
            "term_fr": "entraide judiciaire",
            "term_ar": "المساعدة القانونية المتبادلة",
            "definition": "<p>Defined here.</p>",
        },
    }
    module = make_module(
        course, slug="m", body=body(en=[paragraph("mutual legal assistance"), box])
    )
    html = page_html(reader, module)
    assert 'class="glossary-notes"' not in html
    assert (
        'src="/static/glossary/glossary.js" data-popover="/static/glossary/popover.js"'
        ' data-close="Close"'
    ) in html


def test_packages_carry_the_switch_and_old_packages_still_import(site):
    from courses.packages import course_export
    from courses.services import course_import

    tr = {"en": "Evidence", "fr": "Preuve", "ar": "الأدلة"}
    data = {
        "format": "tadrib.course/1",
        "slug": "switch",
        "title": tr,
        "summary": tr,
        "activities": [
            {
                "type": "module",
                "slug": "m",
                "title": tr,
                "required": True,
                "body": {
                    "en": [
                        {"type": "paragraph_unlinked", "value": "<p>Quoted law.</p>"},
                        {
                            "type": "callout",
                            "value": {
                                "kind": "note",
                                "title": "T",
                                "body": "<p>x</p>",
                                "link_terms": False,
                            },
                        },
                        # Stored before the setting existed: no link_terms.
                        {
                            "type": "callout",
                            "value": {"kind": "note", "title": "", "body": "<p>y</p>"},
                        },
                    ]
                },
            }
        ],
    }
    course = course_import(data=data)
    exported, _media = course_export(course)
    body = exported["activities"][0]["body"]["en"]
    assert body[0] == {"type": "paragraph_unlinked", "value": "<p>Quoted law.</p>"}
    assert body[1]["value"]["link_terms"] is False
    assert "link_terms" not in body[2]["value"]


def test_trainers_find_the_switch_in_the_block_settings(site, client):
    from tests.factories import TrainerFactory

    course = make_course(slug="evidence")
    callout = {"kind": "note", "title": "T", "body": "<p>x</p>", "link_terms": False}
    module = make_module(course, slug="m", body=body(en=[{"type": "callout", "value": callout}]))
    client.force_login(TrainerFactory())
    response = client.get(f"/admin/pages/{module.pk}/edit/")
    assert response.status_code == 200
    assert "Link glossary terms" in response.content.decode()
    assert "Rich text without glossary links" in response.content.decode()
