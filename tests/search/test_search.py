"""/<lang>/search/: Arabic-aware matching, the glossary across languages, and nothing the reader
may not open."""

import re

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from wagtail.models import Page, PageViewRestriction

from search.models import SearchDocument
from search.selectors import search
from search.services import index_rebuild
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory
from tests.glossary.factories import mla_term, preservation_term

pytestmark = pytest.mark.django_db


def body(**languages):
    return {
        code: [{"type": "paragraph", "value": f"<p>{text}</p>"}] for code, text in languages.items()
    }


def titles(client, query, language="en", **params) -> list[str]:
    response = client.get(f"/{language}/search/", {"q": query, **params})
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(r'<h3 class="search-result__title"><a [^>]*>(.*?)</a></h3>', html)


@pytest.fixture
def reader(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def course(site):
    return make_course(slug="evidence", title={"en": "Evidence", "fr": "Preuve", "ar": "الأدلة"})


def module(course, slug, **languages):
    title = {"en": f"Module {slug}", "fr": f"Module {slug} fr", "ar": f"وحدة {slug}"}
    return make_module(course, slug=slug, title=title, body=body(**languages))


def test_signed_out_readers_are_sent_to_sign_in(client, site):
    response = client.get("/en/search/", {"q": "evidence"})
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("يجب الإحتفاظ بالبيانات", "الاحتفاظ"),  # hamza on the alef in the text
        ("يجب الاحتفاظ بالبيانات", "الإحتفاظ"),  # …or in the query
        ("يجب الإِحْتِفَاظُ بالبيانات", "الاحتفاظ"),  # diacritics in the text
        ("يجب الاحتفاظ بالبيانات", "الإِحْتِفَاظ"),  # …or in the query
        ("يجب الاحتفاظ بالبيانات", "احتفاظ"),  # without the article
        ("يجب احتفاظ الجهة بالبيانات", "الاحتفاظ"),  # …the other way round
        ("حفظ البيانـــات", "البيانات"),  # tatweel
        ("على مقدّم الخدمة", "مقدم الخدمه"),  # shadda, ta marbuta and ha
        ("المستشفى", "المستشفي"),  # alef maqsura and ya
    ],
)
def test_arabic_is_found_however_it_is_written(reader, course, written, typed):
    module(course, "m", en="Nothing here.", ar=written)
    module(course, "other", ar="نص آخر لا علاقة له")
    index_rebuild()
    assert titles(reader, typed, "ar") == ["وحدة m"]


def test_french_is_found_without_accents_and_in_the_plural(reader, course):
    module(course, "m", fr="Les données relatives au trafic sont conservées.")
    index_rebuild()
    assert titles(reader, "donnee trafic", "fr") == ["Module m fr"]
    assert titles(reader, "DONNÉES", "fr") == ["Module m fr"]


def test_results_are_in_the_readers_language_with_the_passage_in_its_own(reader, course):
    module(course, "m", en="About controlled delivery.", ar="عن التسليم المراقب.")
    index_rebuild()
    html = reader.get("/ar/search/", {"q": "controlled delivery"}).content.decode()
    # The title in Arabic, the passage that matched in English and marked so.
    assert 'lang="ar" dir="rtl">وحدة m</a>' in html
    assert (
        'class="search-result__passage" lang="en" dir="ltr">About <mark>controlled</mark>' in html
    )


def test_the_passage_in_the_readers_language_is_preferred(reader, course):
    module(course, "m", en="Interception rules.", fr="Les règles d'interception.")
    index_rebuild()
    html = reader.get("/fr/search/", {"q": "interception"}).content.decode()
    assert 'lang="fr" dir="ltr">Les règles d&#x27;<mark>interception</mark>' in html
    assert html.count('class="search-result"') == 1


def test_a_glossary_term_also_finds_its_other_languages(reader, course):
    mla_term()
    module(course, "english", en="Send a mutual legal assistance request.")
    module(course, "arabic", ar="المساعدة القانونية المتبادلة بطيئة.")
    module(course, "unrelated", en="Nothing about cooperation.")
    index_rebuild()
    found = titles(reader, "entraide judiciaire", "en")
    assert set(found) == {"mutual legal assistance", "Module english", "Module arabic"}
    # The term itself first, with its other names.
    html = reader.get("/en/search/", {"q": "entraide judiciaire"}).content.decode()
    assert '<span lang="fr" dir="ltr">entraide judiciaire</span>' in html
    assert '<span lang="ar" dir="rtl">المساعدة القانونية المتبادلة</span>' in html


def test_quiz_introductions_and_courses_are_searched(reader, course):
    from tests.quizzes.factories import make_quiz

    quiz = make_quiz(course, slug="check")
    quiz.intro_en = "<p>This check covers dual criminality.</p>"
    quiz.save_revision().publish()
    course.summary_en = "Obtaining electronic evidence across borders."
    course.save_revision().publish()
    index_rebuild()
    assert titles(reader, "dual criminality") == [quiz.title_en]
    assert titles(reader, "across borders") == ["Evidence"]


def test_unpublished_pages_and_pages_of_unpublished_courses_never_appear(reader, course):
    module(course, "shown", en="Evidence of recruitment.")
    hidden = module(course, "hidden", en="Evidence of recruitment.")
    index_rebuild()
    assert sorted(titles(reader, "recruitment")) == ["Module hidden", "Module shown"]
    # Unpublished after indexing, with no index update yet: still never shown.
    Page.objects.filter(pk=hidden.pk).update(live=False)
    assert titles(reader, "recruitment") == ["Module shown"]
    Page.objects.filter(pk=course.pk).update(live=False)
    assert titles(reader, "recruitment") == []
    draft = make_module(
        make_course(slug="other"), slug="draft", body=body(en="recruitment"), live=False
    )
    index_rebuild()
    assert not SearchDocument.objects.filter(page_id=draft.pk).exists()


def test_restricted_pages_are_absent_for_readers_outside_the_restriction(client, course):
    module(course, "m", en="Undercover operations online.")
    index_rebuild()
    restriction = PageViewRestriction.objects.create(
        page=Page.objects.get(pk=course.pk), restriction_type=PageViewRestriction.GROUPS
    )
    insiders = Group.objects.create(name="Insiders")
    restriction.groups.add(insiders)
    outsider = LearnerFactory(username="outsider")
    insider = LearnerFactory(username="insider")
    insider.groups.add(insiders)
    client.force_login(outsider)
    assert titles(client, "undercover") == []
    client.force_login(insider)
    assert titles(client, "undercover") == ["Module m"]


def test_password_restricted_pages_are_absent_until_the_password_is_given(reader, course):
    page = module(course, "m", en="Controlled delivery.")
    index_rebuild()
    PageViewRestriction.objects.create(
        page=Page.objects.get(pk=page.pk),
        restriction_type=PageViewRestriction.PASSWORD,
        password="secret",
    )
    assert titles(reader, "controlled delivery") == []


def test_publishing_indexes_and_unpublishing_removes_on_commit(
    reader, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = module(course, "m", en="Joint investigation team.")
    assert titles(reader, "joint investigation") == ["Module m"]
    with django_capture_on_commit_callbacks(execute=True):
        page.refresh_from_db()
        page.body_en = body(en="Letters rogatory instead.")["en"]
        page.save_revision().publish()
    assert titles(reader, "joint investigation") == []
    assert titles(reader, "rogatory") == ["Module m"]
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert not SearchDocument.objects.filter(page_id=page.pk).exists()


def test_a_failing_index_update_never_blocks_a_publish(
    course, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    import search.tasks

    def broken(**kwargs):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(search.tasks, "index_update", broken)
    with django_capture_on_commit_callbacks(execute=True):
        page = module(course, "m", en="Published anyway.")
    page.refresh_from_db()
    assert page.live
    assert "Search index update failed" in caplog.text


def test_glossary_terms_are_indexed_when_they_change(
    reader, site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        term = preservation_term()
    assert titles(reader, "طلب حفظ", "ar") == ["طلب حفظ البيانات"]
    with django_capture_on_commit_callbacks(execute=True):
        term.delete()
    assert titles(reader, "طلب حفظ", "ar") == []


def test_queries_do_not_grow_with_the_number_of_results(
    reader, course, django_assert_max_num_queries
):
    mla_term()
    for i in range(3):
        module(course, f"few{i}", en="Ask for mutual legal assistance.")
    index_rebuild()
    # 15: with, first after a change of content, the content generation and the catalogue's
    # address that the header's Courses link goes to (cms.navigation: never a redirect).
    with django_assert_max_num_queries(15) as few:
        assert len(titles(reader, "mutual legal assistance")) == 4
    for i in range(30):
        module(course, f"many{i}", en="Ask for mutual legal assistance.", fr="entraide judiciaire")
    index_rebuild()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(titles(reader, "mutual legal assistance")) == 20  # a page of results


def test_results_come_a_page_at_a_time(reader, course):
    for i in range(25):
        module(course, f"m{i:02}", en="Digital forensics.")
    index_rebuild()
    first = titles(reader, "forensics")
    second = titles(reader, "forensics", page="2")
    assert len(first) == 20 and len(second) == 5 and not set(first) & set(second)
    assert titles(reader, "forensics", page="99") == second  # the last page
    assert titles(reader, "forensics", page="x") == first


def test_hostile_queries_and_texts_are_shown_inert(reader, course):
    module(course, "m", en="A &lt;script&gt;alert(1)&lt;/script&gt; in the evidence text.")
    index_rebuild()
    response = reader.get("/en/search/", {"q": '<script>alert(1)</script> "evidence'})
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>evidence</mark>" in html
    long = reader.get("/en/search/", {"q": "x" * 500})
    assert long.status_code == 200
    assert "Use at most 200 characters." in long.content.decode()


def test_a_query_of_punctuation_only_finds_nothing(reader, course):
    module(course, "m", en="Text.")
    index_rebuild()
    response = reader.get("/en/search/", {"q": "?!&%"})
    assert response.status_code == 200
    assert "Nothing found" in response.content.decode()


def test_search_selector_marks_what_matched(rf, learner, course):
    module(course, "m", en="Chain of custody from seizure to trial.")
    index_rebuild()
    request = rf.get("/en/search/")
    request.user = learner
    request.session = {}
    with translation.override("en"):
        results = search(request=request, text="custody seizure")
    [hit] = results.hits
    assert [text for text, marked in hit.passage.segments if marked] == ["custody", "seizure"]
    assert hit.kind_label == "Module" and hit.target.context == "Evidence"


@pytest.mark.postgres
def test_postgresql_full_text_search_also_finds_other_forms_of_a_word(reader, course):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's stemmed configurations (DATABASE_URL=postgres://…)")
    module(course, "m", fr="La conservation des données.", en="Data are preserved.")
    index_rebuild()
    assert SearchDocument.objects.exclude(vector=None).count() == SearchDocument.objects.count()
    # French and English stemming: "conserver" ~ "conservation", "preserving" ~ "preserved".
    assert titles(reader, "conserver", "fr") == ["Module m fr"]
    assert titles(reader, "preserving", "en") == ["Module m"]
