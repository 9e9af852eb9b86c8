"""The signed-in home page and the catalogue show the learner's own courses (docs/learner-pages.md).

Anonymous visitors keep the home page's own text; a signed-in learner sees where they left off
and what is assigned to them, never another learner's, and no shared cache may keep it.
"""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from courses.models import ActivityCompletion
from courses.selectors import learner_home
from courses.services import activity_complete, activity_open, enrolment_ensure
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory, ManagerFactory


def home_url(language="en") -> str:
    return f"/{language}/"


@pytest.fixture
def home(site):
    from cms.models import HomePage

    page = HomePage.objects.get()
    page.intro_en = "Visitors-only introduction"
    page.save_revision().publish()
    return page


@pytest.fixture
def courses(site):
    first = make_course(slug="first", title={"en": "Evidence", "fr": "Preuve", "ar": "الأدلة"})
    second = make_course(slug="second", title={"en": "Finance", "fr": "Finances", "ar": "المال"})
    modules = {
        "first": [make_module(first, slug=f"f{i}") for i in range(3)],
        "second": [make_module(second, slug=f"s{i}") for i in range(2)],
    }
    return {"first": first, "second": second, "modules": modules}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_visitors_see_the_visitors_text_and_no_learning(home, courses):
    page = Client().get(home_url()).content.decode()
    assert "Visitors-only introduction" in page
    assert "Sign in to start learning" in page
    assert "Continue where you left off" not in page


def test_a_learner_sees_where_they_left_off_not_the_visitors_text(home, courses, learner):
    first, last = courses["modules"]["first"][0], courses["modules"]["first"][1]
    activity_open(user=learner, activity=first, language="en")
    activity_open(user=learner, activity=last, language="en")
    ActivityCompletion.objects.filter(user=learner, activity_id=first.pk).update(
        last_seen_at=timezone.now() - timedelta(hours=1)
    )
    page = signed_in(learner).get(home_url()).content.decode()
    assert "Visitors-only introduction" not in page
    assert "Sign in to start learning" not in page
    assert "Continue where you left off" in page
    resume = page.split('id="home-resume"')[1].split("</section>")[0]
    assert last.title in resume and "Evidence" in resume
    assert f'href="{last.url}"' in resume
    assert first.title not in resume


def test_an_unpublished_last_activity_is_skipped(home, courses, learner):
    first, second = courses["modules"]["first"][:2]
    activity_open(user=learner, activity=first, language="en")
    ActivityCompletion.objects.filter(user=learner, activity_id=first.pk).update(
        last_seen_at=timezone.now() - timedelta(hours=1)
    )
    activity_open(user=learner, activity=second, language="en")
    second.unpublish()
    resume = learner_home(user=learner).resume
    assert resume is not None and resume.activity_title == first.title


def test_assigned_courses_show_their_due_date_and_overdue_mark(home, courses, learner):
    manager = ManagerFactory()
    today = timezone.localdate()
    enrolment_ensure(
        user=learner, course=courses["first"], assigned_by=manager, due_date=today - timedelta(1)
    )
    enrolment_ensure(
        user=learner, course=courses["second"], assigned_by=manager, due_date=date(2099, 3, 1)
    )
    page = signed_in(learner).get(home_url()).content.decode()
    assigned = page.split('id="home-assigned"')[1].split("</section>")[0]
    assert assigned.index("Evidence") < assigned.index("Finance")  # soonest due first
    assert assigned.count("Overdue") == 1
    assert "Due 1 March 2099" in assigned
    assert "You have not started a course yet." in page


def test_a_finished_assignment_leaves_the_home_page(home, courses, learner):
    enrolment_ensure(user=learner, course=courses["second"], due_date=date(2099, 3, 1))
    for module in courses["modules"]["second"]:
        activity_complete(user=learner, activity=module)
    home_state = learner_home(user=learner)
    assert home_state.assigned == []
    assert home_state.resume is None  # a finished course is not left off anywhere


def test_a_course_the_learner_chose_is_not_listed_as_assigned(home, courses, learner):
    activity_open(user=learner, activity=courses["modules"]["first"][0], language="en")
    assert learner_home(user=learner).assigned == []


def test_two_learners_never_see_each_others_home_page(home, courses):
    ada, ben = LearnerFactory(username="ada-sentinel"), LearnerFactory(username="ben-sentinel")
    ada.first_name, ben.first_name = "Adasentinel", "Bensentinel"
    ada.save(), ben.save()
    activity_open(user=ada, activity=courses["modules"]["first"][2], language="en")
    enrolment_ensure(user=ben, course=courses["second"], due_date=date(2099, 3, 1))
    ada_client, ben_client = signed_in(ada), signed_in(ben)
    for _round in range(2):  # a second visit may be answered from any cache there is
        ada_page = ada_client.get(home_url()).content.decode()
        ben_page = ben_client.get(home_url()).content.decode()
        assert "Adasentinel" in ada_page and "Bensentinel" not in ada_page
        assert "Bensentinel" in ben_page and "Adasentinel" not in ben_page
        assert courses["modules"]["first"][2].title in ada_page
        assert courses["modules"]["first"][2].title not in ben_page
        assert "Finance" in ben_page.split('id="home-assigned"')[1]
        assert "Finance" not in ada_page.split('id="home-assigned"')[1]
    anonymous = Client().get(home_url()).content.decode()
    assert "sentinel" not in anonymous.lower()


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_signed_in_home_page_is_private_to_shared_caches(home, learner, language):
    response = signed_in(learner).get(home_url(language))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_the_home_page_reads_in_constant_queries(
    home, courses, learner, django_assert_max_num_queries
):
    client = signed_in(learner)
    for module in courses["modules"]["first"]:
        activity_open(user=learner, activity=module, language="en")
    client.get(home_url())
    with django_assert_max_num_queries(30) as few:
        client.get(home_url())
    for module in courses["modules"]["second"]:
        activity_open(user=learner, activity=module, language="en")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(home_url())


def test_the_catalogue_marks_assigned_courses_with_their_due_date_and_progress(
    home, courses, learner
):
    today = timezone.localdate()
    enrolment_ensure(
        user=learner, course=courses["first"], assigned_by=ManagerFactory(), due_date=today
    )
    activity_complete(user=learner, activity=courses["modules"]["first"][0])
    activity_open(user=learner, activity=courses["modules"]["second"][0], language="en")
    with translation.override("en"):
        url = courses["first"].get_parent().url
    page = signed_in(learner).get(url).content.decode()
    cards = page.split('<li class="card">')[1:]
    first = next(card for card in cards if "Evidence" in card)
    second = next(card for card in cards if "Finance" in card)
    assert "Assigned" in first and f"Due {today.day} " in first
    assert "Overdue" not in first  # due today is not late yet
    assert "33% complete" in first
    assert "Assigned" not in second and "0% complete" in second
