"""The glossary CSV import and export, through the service, the admin upload and the commands;
and the demo glossary."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from glossary.apps import DEMO_CSV
from glossary.models import GlossaryVersion, Term
from glossary.selectors import glossary_export
from glossary.services import GlossaryImportError, glossary_import
from tests.courses.factories import make_course
from tests.factories import LearnerFactory, TrainerFactory

pytestmark = pytest.mark.django_db

HEADER = "term_en,term_fr,term_ar,definition_en,definition_fr,definition_ar,related,courses"
ROWS = [
    "chain of custody,chaîne de possession,سلسلة حيازة الأدلة,The record.,Le relevé.,السجل.,"
    "hash-value,evidence",
    "hash value,valeur de hachage,قيمة التجزئة,A digest.,Une empreinte.,قيمة.,,",
]


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


@pytest.fixture
def course(site):
    return make_course(slug="evidence")


def test_an_import_creates_terms_with_relations_and_courses(course):
    result = glossary_import(text=csv_text(*ROWS))
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    custody = Term.objects.get(slug="chain-of-custody")
    assert custody.term_ar == "سلسلة حيازة الأدلة" and custody.definition_fr == "Le relevé."
    assert [t.slug for t in custody.related_terms.all()] == ["hash-value"]
    # Related terms go both ways.
    assert [t.slug for t in Term.objects.get(slug="hash-value").related_terms.all()] == [
        "chain-of-custody"
    ]
    assert [c.pk for c in custody.courses.all()] == [course.pk]


def test_importing_the_same_file_again_writes_nothing(course):
    glossary_import(text=csv_text(*ROWS))
    version = GlossaryVersion.objects.get().value
    result = glossary_import(text=csv_text(*ROWS))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert GlossaryVersion.objects.get().value == version


def test_a_changed_row_updates_its_term_and_keeps_the_others(course):
    glossary_import(text=csv_text(*ROWS))
    Term.objects.create(slug="kept", term_en="kept", term_fr="k", term_ar="ك", definition_en="d")
    changed = ROWS[1].replace("A digest.", "A fixed-length digest.")
    result = glossary_import(text=csv_text(changed))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert Term.objects.get(slug="hash-value").definition_en == "A fixed-length digest."
    assert Term.objects.filter(slug="kept").exists()


def test_a_bad_file_is_refused_whole_with_every_problem(course):
    rows = [
        ROWS[0].replace("hash-value", "no-such-term"),
        ROWS[1].replace(",,", ",,no-such-course"),
        ",missing English,x,y,,,,",
    ]
    with pytest.raises(GlossaryImportError) as refused:
        glossary_import(text=csv_text(*rows))
    assert refused.value.problems == [
        "line 4: “term_en” must be filled in",
        "line 2: “related” names “no-such-term”, which is no term",
        "line 3: “courses” names “no-such-course”, which is no course",
    ]
    assert not Term.objects.exists()


def test_problems_are_told_in_the_readers_language(course):
    with translation.override("fr"), pytest.raises(GlossaryImportError) as refused:
        glossary_import(text="term_en\n")
    assert refused.value.problems[0].startswith("ligne 1")


def test_markup_in_cells_is_removed(course):
    row = '<b>hash</b> value,valeur,قيمة,"<script>alert(1)</script>A digest.",,,,'
    glossary_import(text=csv_text(row))
    term = Term.objects.get()
    assert term.term_en == "hash value" and term.definition_en == "A digest."


def test_export_then_import_reproduces_the_glossary(course):
    glossary_import(text=csv_text(*ROWS))
    exported = glossary_export()
    assert exported.startswith("\ufeffterm_en,term_fr,term_ar,definition_en")
    before = list(Term.objects.order_by("slug").values())
    Term.objects.all().delete()
    glossary_import(text=exported)
    after = list(Term.objects.order_by("slug").values())
    drop = ("id", "updated_at")
    assert [{k: v for k, v in t.items() if k not in drop} for t in after] == [
        {k: v for k, v in t.items() if k not in drop} for t in before
    ]
    assert glossary_export() == exported


def test_trainers_upload_the_glossary_in_the_admin(client, course):
    client.force_login(TrainerFactory())
    page = client.get("/admin/glossary/import/")
    assert page.status_code == 200
    upload = SimpleUploadedFile("g.csv", ("\ufeff" + csv_text(*ROWS)).encode(), "text/csv")
    response = client.post("/admin/glossary/import/", {"file": upload})
    assert response.status_code == 302
    assert Term.objects.count() == 2
    bad = SimpleUploadedFile("g.csv", b"term_en\n", "text/csv")
    response = client.post("/admin/glossary/import/", {"file": bad})
    assert response.status_code == 200
    assert "is missing" in response.content.decode()
    export = client.get("/admin/glossary/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert "chain of custody" in export.content.decode()


def test_trainers_edit_terms_as_snippets_and_search_them(client, course):
    glossary_import(text=csv_text(*ROWS))
    client.force_login(TrainerFactory())
    listing = client.get("/admin/snippets/glossary/term/", {"q": "قيمة"})
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "hash value" in html and "chain of custody" not in html


def test_learners_cannot_reach_the_glossary_admin(client, course):
    client.force_login(LearnerFactory())
    for url in ("/admin/glossary/import/", "/admin/glossary/export/"):
        assert client.get(url).status_code in (302, 403)


def test_the_commands_import_and_export(tmp_path, course, capsys):
    source = tmp_path / "in.csv"
    source.write_text(csv_text(*ROWS), encoding="utf-8")
    call_command("import_glossary", str(source))
    assert Term.objects.count() == 2
    target = tmp_path / "out.csv"
    call_command("export_glossary", str(target))
    assert target.read_bytes().decode("utf-8") == glossary_export()
    source.write_text("term_en\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_glossary", str(source))
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_glossary", str(tmp_path / "missing.csv"))


def test_the_demo_glossary_is_trilingual_and_loads_twice_the_same(site):
    for slug in (
        "electronic-evidence",
        "foreign-terrorist-fighters",
        "special-investigation-techniques",
    ):
        make_course(slug=slug)
    text = DEMO_CSV.read_text(encoding="utf-8")
    result = glossary_import(text=text)
    assert result.created >= 40
    for term in Term.objects.all():
        for code in ("en", "fr", "ar"):
            assert term.name(code) and term.definition(code), (term.slug, code)
    again = glossary_import(text=text)
    assert again.created == again.updated == 0
    expected = {
        "preservation-request",
        "mutual-legal-assistance",
        "emergency-disclosure-request",
        "subscriber-information",
        "traffic-data",
        "content-data",
        "chain-of-custody",
        "foreign-terrorist-fighter",
        "special-investigation-techniques",
        "controlled-delivery",
        "undercover-operation",
        "joint-investigation-team",
        "letter-rogatory",
        "dual-criminality",
        "budapest-convention",
        "network-24-7",
    }
    assert expected <= set(Term.objects.values_list("slug", flat=True))
