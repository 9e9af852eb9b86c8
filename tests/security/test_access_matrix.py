"""Access matrix: every URL of the site × every kind of visitor → the status they must get.

Roles:
  anon         nobody signed in
  learner_a    a learner of organisation A; owns the quiz attempts below
  learner_b    another learner, of organisation B
  trainer      a trainer (Wagtail editor of courses and the question bank), organisation T
  manager_in   a manager of organisation A (learner A is in scope, learner B is not)
  manager_out  a manager of organisation B (learner A is out of scope, learner B in scope)
  admin        a superuser

Statuses: 200 served, 302 redirected (to sign in, to the second factor, to the result...),
403 refused, 404 hidden (someone else's attempt, a learner out of a manager's scope), 405.
The second factor is not enforced here (the test settings leave `TADRIB_REQUIRE_STAFF_2FA`
off, as `make run` does); `test_staff_must_pass_a_second_factor_first` covers enforcement.

URLs come from cms/urls.py, courses/urls.py, reports/urls.py, quizzes/urls.py,
security/urls.py and the wagtail_hooks.py of cms, courses, quizzes and security.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from courses.models import CourseIndexPage, Enrolment
from quizzes.models import QuizAttempt
from quizzes.services import attempt_save_answers, attempt_start, attempt_submit
from tests.courses.factories import make_course, make_module
from tests.factories import (
    LearnerFactory,
    ManagerFactory,
    OrganisationFactory,
    TrainerFactory,
    UserFactory,
)
from tests.quizzes.factories import make_quiz, post_data, right_answers
from tests.reports.factories import enrol

pytestmark = pytest.mark.django_db

ROLES = ("anon", "learner_a", "learner_b", "trainer", "manager_in", "manager_out", "admin")


@dataclass(frozen=True)
class Row:
    name: str
    url: str  # formatted with the ids of `world`
    expected: tuple[int, ...]  # one status per role, in the order of ROLES
    method: str = "get"
    data: dict | str | None = None  # a str names a form built by `world`
    headers: dict | None = None


def everyone(status: int) -> tuple[int, ...]:
    return (status,) * len(ROLES)


def signed_in(status: int, anonymous: int = 302) -> tuple[int, ...]:
    """`status` for every signed-in role; visitors are sent to sign in."""
    return (anonymous, *(status,) * (len(ROLES) - 1))


#                     anon learner_a learner_b trainer manager_in manager_out admin
READERS = (302, 403, 403, 403, 200, 200, 200)  # managers and superusers read reports
ONLY_A = (302, 200, 404, 404, 404, 404, 404)  # A's own attempt: anyone else gets 404
A_IN_SCOPE = (302, 403, 403, 403, 200, 404, 200)  # report on learner A
B_IN_SCOPE = (302, 403, 403, 403, 404, 200, 200)  # report on learner B (out of manager_in's scope)
# Wagtail admin: learners and managers have no admin access (sent to the admin sign-in).
EDITORS = (302, 302, 302, 200, 302, 302, 200)  # trainers edit courses and the question bank
# Wagtail's admin answers a signed-in editor's PermissionDenied with a redirect to the
# dashboard and a message, so a trainer gets 302 where a bare Django view would give 403.
ADMIN_PERMISSION = (302, 302, 302, 302, 302, 302, 200)  # administrators only
SUPERUSER_ONLY = ADMIN_PERMISSION  # security views (SuperuserRequiredMixin)

# fmt: off
ROWS = [
    # --- the site shell and accounts ---------------------------------------------------------
    Row("root", "/", everyone(302)),
    Row("healthz", "/healthz", everyone(200)),
    Row("home", "/en/", everyone(200)),
    Row("home_ar", "/ar/", everyone(200)),
    Row("sign_in", "/en/account/sign-in/", (200, 302, 302, 302, 302, 302, 302)),
    Row("sign_out", "/en/account/sign-out/", everyone(302), method="post"),
    Row("preferences", "/en/account/preferences/", signed_in(200)),
    Row("password_change", "/en/account/password/", signed_in(200)),
    Row("password_change_done", "/en/account/password/done/", signed_in(200)),
    Row("set_password_bad_token", "/en/account/set-password/{a_uid}/bad-token/", everyone(200)),
    # --- second factor (no device enrolled: verify sends to enrolment) ---------------------
    Row("two_factor", "/en/account/two-factor/", signed_in(200)),
    Row("two_factor_verify", "/en/account/two-factor/verify/", signed_in(302)),
    Row("recovery_codes_get", "/en/account/two-factor/recovery-codes/", everyone(405)),
    # without a verified second factor, both POSTs send to the verification page
    Row("recovery_codes", "/en/account/two-factor/recovery-codes/", signed_in(302), "post"),
    Row("two_factor_remove", "/en/account/two-factor/remove/", signed_in(302), "post"),
    # --- learning ------------------------------------------------------------------------------
    Row("catalogue_redirect", "/en/learning/courses/", everyone(302)),
    Row("catalogue", "{catalogue_url}", signed_in(200)),
    Row("course", "{course_url}", signed_in(200)),
    Row("course_fr", "{course_url_fr}", signed_in(200)),
    Row("module", "{module_url}", signed_in(200)),
    Row("module_ar", "{module_url_ar}", signed_in(200)),
    Row("module_draft", "{draft_module_url}", everyone(404)),
    Row("module_complete", "/en/learning/activities/{module}/complete/", signed_in(302), "post"),
    Row("module_complete_get", "/en/learning/activities/{module}/complete/", signed_in(405)),
    Row("module_complete_draft", "/en/learning/activities/{draft}/complete/", signed_in(404),
        "post"),
    Row("quiz_as_module", "/en/learning/activities/{quiz}/complete/", signed_in(404), "post"),
    Row("my_learning", "/en/learning/", signed_in(200)),
    # --- quizzes ---------------------------------------------------------------------------------
    Row("quiz", "{quiz_url}", signed_in(200)),
    Row("quiz_start_get", "/en/quizzes/{quiz}/start/", signed_in(405)),
    Row("quiz_start_missing", "/en/quizzes/999999/start/", signed_in(404), "post"),
    Row("attempt_a", "/en/quizzes/attempts/{attempt}/", ONLY_A),
    Row("attempt_a_save", "/en/quizzes/attempts/{attempt}/", (302, 302, *ONLY_A[2:]),
        "post", "attempt_form"),
    # quizzes/static/quizzes/autosave.js: saved, answered without a body
    Row("attempt_a_autosave", "/en/quizzes/attempts/{attempt}/", (302, 204, *ONLY_A[2:]),
        "post", "attempt_form", {"X-Tadrib-Autosave": "1"}),
    Row("attempt_a_submit", "/en/quizzes/attempts/{attempt}/", (302, 302, *ONLY_A[2:]),
        "post", "attempt_submit_form"),
    # A's in-progress attempt has no result yet: A is sent back to it
    Row("attempt_a_early_result", "/en/quizzes/attempts/{attempt}/result/",
        (302, 302, *ONLY_A[2:])),
    Row("result_a", "/en/quizzes/attempts/{submitted}/result/", ONLY_A),
    # a submitted attempt's form sends its owner to the result
    Row("submitted_a", "/en/quizzes/attempts/{submitted}/", (302, 302, *ONLY_A[2:])),
    Row("attempt_missing", "/en/quizzes/attempts/999999/", signed_in(404)),
    # --- manager reports -----------------------------------------------------------------------
    Row("reports_by_course", "/en/reports/", READERS),
    Row("reports_by_organisation", "/en/reports/organisations/", READERS),
    Row("reports_by_country", "/en/reports/countries/", READERS),
    Row("reports_by_language", "/en/reports/languages/", READERS),
    Row("reports_ar", "/ar/reports/", READERS),
    Row("course_matrix", "/en/reports/courses/{course}/", READERS),
    Row("course_matrix_missing", "/en/reports/courses/999999/", (*READERS[:4], 404, 404, 404)),
    Row("learner_a_report", "/en/reports/learners/{learner_a}/", A_IN_SCOPE),
    Row("learner_b_report", "/en/reports/learners/{learner_b}/", B_IN_SCOPE),
    Row("learner_missing", "/en/reports/learners/999999/", (*READERS[:4], 404, 404, 404)),
    Row("assignments", "/en/reports/assignments/", READERS),
    Row("overdue", "/en/reports/overdue/", READERS),
    Row("assignment_a", "/en/reports/assignments/{enrolment_a}/", A_IN_SCOPE),
    Row("assignment_b", "/en/reports/assignments/{enrolment_b}/", B_IN_SCOPE),
    # assigning the course to learner A: only readers whose scope holds A
    Row("assign_a", "/en/reports/assignments/", (302, 403, 403, 403, 302, 404, 302), "post",
        "assign_a"),
    Row("assign_org_a", "/en/reports/assignments/", (302, 403, 403, 403, 302, 400, 302), "post",
        "assign_org_a"),
    Row("csv_by_course", "/en/reports/?format=csv", READERS),
    Row("csv_by_organisation", "/en/reports/organisations/?format=csv", READERS),
    Row("csv_by_country", "/en/reports/countries/?format=csv", READERS),
    Row("csv_by_language", "/en/reports/languages/?format=csv", READERS),
    Row("csv_course_matrix", "/en/reports/courses/{course}/?format=csv", READERS),
    Row("csv_learner_a", "/en/reports/learners/{learner_a}/?format=csv", A_IN_SCOPE),
    Row("csv_learner_b", "/en/reports/learners/{learner_b}/?format=csv", B_IN_SCOPE),
    Row("csv_assignments", "/en/reports/assignments/?format=csv", READERS),
    Row("csv_overdue", "/en/reports/overdue/?format=csv", READERS),
    # a filter naming an organisation out of scope is a 404, not an empty report
    Row("reports_filter_org_a", "/en/reports/?organisation={org_a}", (*READERS[:5], 404, 200)),
    # --- Wagtail admin -------------------------------------------------------------------------
    Row("admin", "/admin/", EDITORS),
    Row("admin_users", "/admin/users/", ADMIN_PERMISSION),
    Row("admin_groups", "/admin/groups/", ADMIN_PERMISSION),
    Row("admin_course_import", "/admin/courses/import/", EDITORS),
    Row("admin_user_import", "/admin/users/import/", ADMIN_PERMISSION),
    Row("admin_organisations", "/admin/organisations/", ADMIN_PERMISSION),
    Row("admin_manager_scopes", "/admin/manager_scopes/", ADMIN_PERMISSION),
    Row("admin_course_edit", "/admin/pages/{course}/edit/", EDITORS),
    Row("admin_module_edit", "/admin/pages/{module}/edit/", EDITORS),
    Row("admin_home_edit", "/admin/pages/{home}/edit/", ADMIN_PERMISSION),
    Row("admin_question_bank", "/admin/snippets/quizzes/question/", EDITORS),
    Row("admin_question_categories", "/admin/snippets/quizzes/questioncategory/", EDITORS),
    Row("admin_quiz_statistics", "/admin/quizzes/{quiz}/statistics/", EDITORS),
    Row("admin_translation_coverage", "/admin/reports/translation-coverage/", EDITORS),
    Row("admin_audit", "/admin/security/audit/", SUPERUSER_ONLY),
    Row("admin_lockouts", "/admin/security/lockouts/", SUPERUSER_ONLY),
    Row("admin_personal_data", "/admin/security/personal-data/", SUPERUSER_ONLY),
    Row("admin_personal_data_export", "/admin/security/personal-data/{learner_a}/export/",
        SUPERUSER_ONLY),
    Row("admin_personal_data_erase", "/admin/security/personal-data/{learner_a}/erase/",
        SUPERUSER_ONLY),
]
# fmt: on


def url_of(page, language: str) -> str:
    with translation.override(language):
        return page.get_url()


@pytest.fixture
def world(site):
    """Two organisations, a learner in each, their managers, a trainer, a superuser; a course
    with a module, a draft module and a quiz; learner A enrolled, with one submitted attempt and
    one in progress."""
    org_a = OrganisationFactory(country="NE")
    org_b = OrganisationFactory(country="MA")
    users = {
        "learner_a": LearnerFactory(username="learner-a", organisation=org_a),
        "learner_b": LearnerFactory(username="learner-b", organisation=org_b),
        "trainer": TrainerFactory(username="trainer", organisation=OrganisationFactory()),
        "manager_in": ManagerFactory(username="manager-in", organisation=org_a),
        "manager_out": ManagerFactory(username="manager-out", organisation=org_b),
        "admin": UserFactory(username="admin", is_superuser=True, is_staff=True),
    }
    course = make_course(slug="matrix")
    module = make_module(course, slug="lesson")
    draft = make_module(course, slug="draft", live=False)
    quiz = make_quiz(course, slug="check", attempts_allowed=0)
    a = users["learner_a"]
    enrol(a, course)
    enrol(users["learner_b"], course)
    # Both enrolments are assignments, with a due date a month away.
    Enrolment.objects.filter(course=course).update(
        due_date=timezone.localdate() + timedelta(days=30)
    )
    submitted = attempt_start(user=a, quiz=quiz, language="en")
    attempt_save_answers(attempt=submitted, answers=right_answers(submitted))
    attempt_submit(attempt=submitted)
    attempt = attempt_start(user=a, quiz=quiz, language="en")
    assert attempt.state == QuizAttempt.State.IN_PROGRESS
    # What a browser sends for the attempt form left blank: every select, empty.
    forms = {
        "attempt_form": post_data(attempt, {}, "save"),
        "attempt_submit_form": post_data(attempt, {}, "submit"),
        "assign_a": {"course": course.pk, "learner": a.pk, "due_date": ""},
        "assign_org_a": {"course": course.pk, "organisation": org_a.pk, "due_date": ""},
    }
    ids = {
        "home": site.pk,
        "course": course.pk,
        "module": module.pk,
        "draft": draft.pk,
        "quiz": quiz.pk,
        "attempt": attempt.pk,
        "submitted": submitted.pk,
        "learner_a": a.pk,
        "learner_b": users["learner_b"].pk,
        "enrolment_a": Enrolment.objects.get(user=a, course=course).pk,
        "enrolment_b": Enrolment.objects.get(user=users["learner_b"], course=course).pk,
        "org_a": org_a.pk,
        "a_uid": urlsafe_base64_encode(force_bytes(a.pk)),
        "catalogue_url": url_of(CourseIndexPage.objects.get(), "en"),
        "course_url": url_of(course, "en"),
        "course_url_fr": url_of(course, "fr"),
        "module_url": url_of(module, "en"),
        "module_url_ar": url_of(module, "ar"),
        "draft_module_url": f"{url_of(course, 'en')}draft/",
        "quiz_url": url_of(quiz, "en"),
    }
    return users, ids, forms


def status_for(row: Row, role: str, world) -> int:
    users, ids, forms = world
    client = Client(HTTP_HOST="testserver")
    if role != "anon":
        client.force_login(users[role])
    data = forms[row.data] if isinstance(row.data, str) else row.data or {}
    response = getattr(client, row.method)(row.url.format(**ids), data, headers=row.headers)
    return response.status_code


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_access_matrix(world, row):
    ids = world[1]
    assert len(row.expected) == len(ROLES), row.name
    got = tuple(status_for(row, role, world) for role in ROLES)
    wrong = {
        role: f"expected {want}, got {have}"
        for role, want, have in zip(ROLES, row.expected, got, strict=True)
        if want != have
    }
    assert not wrong, f"{row.name} {row.method.upper()} {row.url.format(**ids)}: {wrong}"


# With enforcement on (production), staff must pass a second factor before the admin and the
# reports; learners are not asked. Nobody here has a device, so staff are sent to enrol.
#                                  anon learner_a learner_b trainer manager_in manager_out admin
# fmt: off
ENFORCED = [
    Row("admin", "/admin/", (302, 302, 302, 302, 302, 302, 302)),
    Row("admin_question_bank", "/admin/snippets/quizzes/question/", (302,) * 7),
    Row("reports", "/en/reports/", (302, 403, 403, 302, 302, 302, 302)),
    Row("csv", "/en/reports/?format=csv", (302, 403, 403, 302, 302, 302, 302)),
    Row("learner_a_report", "/en/reports/learners/{learner_a}/",
        (302, 403, 403, 302, 302, 302, 302)),
    Row("two_factor", "/en/account/two-factor/", signed_in(200)),
    Row("my_learning", "/en/learning/", signed_in(200)),
    Row("module", "{module_url}", signed_in(200)),
    Row("attempt_a", "/en/quizzes/attempts/{attempt}/", ONLY_A),
]
# fmt: on


@pytest.mark.parametrize("row", ENFORCED, ids=[r.name for r in ENFORCED])
def test_staff_must_pass_a_second_factor_first(world, row, settings):
    settings.TADRIB_REQUIRE_STAFF_2FA = True
    ids = world[1]
    got = tuple(status_for(row, role, world) for role in ROLES)
    wrong = {
        role: f"expected {want}, got {have}"
        for role, want, have in zip(ROLES, row.expected, got, strict=True)
        if want != have
    }
    assert not wrong, f"{row.name} {row.method.upper()} {row.url.format(**ids)}: {wrong}"
    if row.name == "reports":  # staff are sent to enrol, and come back afterwards
        client = Client(HTTP_HOST="testserver")
        client.force_login(world[0]["manager_in"])
        response = client.get("/en/reports/")
        assert response["Location"].startswith("/en/account/two-factor/?next=")
