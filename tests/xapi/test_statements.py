"""Every statement the platform produces is valid xAPI (Ralph's models), names the learner
by a pseudonymous code, uses ADL verbs and stable ids; nothing is recorded while off."""

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement

from xapi.models import Statement
from xapi.services import statements_build
from xapi.statements import statement_id

pytestmark = pytest.mark.django_db


def test_nothing_is_recorded_while_no_lrs_is_configured(site, settings):
    from courses.services import activity_open
    from tests.courses.factories import make_course, make_module
    from tests.factories import LearnerFactory

    settings.TADRIB_XAPI_ENDPOINT = ""
    course = make_course(slug="c")
    activity_open(user=LearnerFactory(), activity=make_module(course), language="en")
    assert not Statement.objects.exists()


def test_every_statement_validates_with_ralphs_xapi_models(learning_events):
    built = statements_build(list(Statement.objects.order_by("created_at")))
    verbs = sorted({s["verb"]["display"]["en-US"] for s in built})
    assert verbs == [
        "answered", "attempted", "attended", "completed", "experienced", "launched",
        "passed", "registered",
    ]  # fmt: skip
    for statement in built:
        BaseXapiStatement.model_validate(statement)
        assert statement["verb"]["id"].startswith("http://adlnet.gov/expapi/verbs/")
        assert statement["object"]["id"].startswith("https://tadrib.example.org/xapi/activities/")
        account = statement["actor"]["account"]
        assert account["homePage"] == "https://tadrib.example.org"
        assert account["name"].startswith("L-")
        assert "amina" not in str(statement)  # neither the user name nor the address
    interactions = sorted(
        s["object"]["definition"]["interactionType"]
        for s in built
        if s["verb"]["display"]["en-US"] == "answered"
    )
    assert interactions == ["choice", "choice", "matching", "sequencing", "true-false"]
    (passed,) = [s for s in built if s["verb"]["display"]["en-US"] == "passed"]
    assert passed["result"]["score"]["scaled"] == 1.0
    assert passed["result"]["success"] is True
    assert passed["context"]["language"] == "fr"
    assert passed["context"]["contextActivities"]["parent"][0]["definition"]["type"] == (
        "http://adlnet.gov/expapi/activities/course"
    )
    launched = next(s for s in built if s["verb"]["display"]["en-US"] == "launched")
    assert launched["context"]["language"] == "ar"
    assert launched["object"]["definition"]["name"]["ar"] == "وحدة preservation"
    completed = [s for s in built if s["verb"]["display"]["en-US"] == "completed"]
    assert {s["object"]["definition"]["type"].rsplit("/", 1)[1] for s in completed} >= {"module"}


def test_a_failed_attempt_says_failed_with_its_scaled_score(site, xapi_on):
    from quizzes.services import attempt_start, attempt_submit
    from tests.factories import LearnerFactory
    from tests.quizzes.factories import make_quiz

    learner = LearnerFactory()
    attempt = attempt_start(user=learner, quiz=make_quiz(slug="q", pass_mark=50), language="en")
    attempt_submit(attempt=attempt)
    built = statements_build(list(Statement.objects.filter(verb="failed")))
    (failed,) = built
    BaseXapiStatement.model_validate(failed)
    assert failed["result"] == {
        "score": {"scaled": 0.0, "raw": 0.0, "min": 0, "max": 100},
        "success": False,
        "completion": True,
    }


def test_the_same_event_recorded_twice_is_one_statement_with_a_stable_id(site, xapi_on):
    from xapi.services import statement_record

    for _time in range(2):
        statement_record(verb="registered", event="registered:1:2", facts={"user": 1, "at": "x"})
    (row,) = Statement.objects.all()
    assert row.id == statement_id(base_url="https://tadrib.example.org", event="registered:1:2")


def test_a_repeat_visit_within_a_minute_records_nothing_more(site, xapi_on):
    from courses.services import activity_open
    from tests.courses.factories import make_course, make_module
    from tests.factories import LearnerFactory

    learner = LearnerFactory()
    module = make_module(make_course(slug="c"))
    activity_open(user=learner, activity=module, language="en")
    count = Statement.objects.count()
    activity_open(user=learner, activity=module, language="en")
    assert Statement.objects.count() == count
