"""The reports' rollups (courses/rollups.py) agree with a full recomputation from the
activity completions, however learners reached them; `manage.py rollups_check` finds and
repairs those that do not."""

import io
import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import rollups
from courses.models import ActivityCompletion, Enrolment, ScoreTally
from courses.services import activity_complete, activity_open, activity_record_result
from reports.scope import Scope
from reports.selectors import Dimension, ReportFilters, completion_rates
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory

LANGUAGES = ("ar", "fr", "en")


@pytest.fixture
def course(site):
    course = make_course(slug="rollups")
    for n in range(5):
        make_module(course, slug=f"part-{n}")
    return course


def parts(course):
    return list(course.get_children().specific().order_by("path"))


def _learn(course, count, seed=7):
    """`count` learners opening, completing and being graded on activities in three
    languages, at random, through courses.services as the pages do."""
    rng = random.Random(seed)
    activities = parts(course)
    for n in range(count):
        learner = LearnerFactory(username=f"rollup-{seed}-{n}")
        for activity in rng.sample(activities, rng.randint(1, len(activities))):
            language = rng.choice(LANGUAGES)
            action = rng.random()
            if action < 0.3:
                activity_open(user=learner, activity=activity, language=language)
            elif action < 0.6:
                activity_complete(user=learner, activity=activity, language=language)
            else:
                score = Decimal(rng.randrange(0, 101))
                activity_record_result(
                    user=learner,
                    activity=activity,
                    score=score,
                    passed=score >= 70,
                    complete=rng.random() < 0.5,
                    attempts=1,
                    language=language,
                )


def _reference(course):
    """Scores by language computed from the completions themselves, the way the reports did
    before the rollups: the language of the result, else that of the enrolment."""
    found: dict[str, list[Decimal]] = {}
    for completion in ActivityCompletion.objects.filter(course=course, score__isnull=False):
        language = (
            completion.language
            or Enrolment.objects.get(user_id=completion.user_id, course=course).language
        )
        found.setdefault(language, []).append(completion.score)
    return {language: (len(scores), sum(scores)) for language, scores in found.items()}


def test_rollups_kept_by_the_services_agree_with_a_full_recomputation(course):
    _learn(course, 12)
    assert ScoreTally.objects.exists()
    assert rollups.differences() == []
    rows = completion_rates(
        scope=Scope(everything=True), filters=ReportFilters(), by=Dimension.LANGUAGE
    )
    reference = _reference(course)
    assert {r.key: r.scored for r in rows if r.scored} == {k: n for k, (n, _t) in reference.items()}
    for row in rows:
        if row.scored:
            n, total = reference[row.key]
            assert row.mean_score == (total / n).quantize(Decimal("0.01"))


def test_a_revisit_that_breaks_a_tie_moves_the_study_language(course):
    learner = LearnerFactory(username="tie")
    first, second, *_rest = parts(course)
    activity_complete(user=learner, activity=first, language="fr")
    activity_complete(user=learner, activity=second, language="ar")
    long_ago = timezone.now() - timedelta(days=3)
    ActivityCompletion.objects.filter(user=learner).update(last_seen_at=long_ago)
    rollups.enrolment_refresh(user_id=learner.pk, course_id=course.pk)
    # Opening the French one again (its time older than a minute) makes it the latest.
    activity_open(user=learner, activity=first, language="fr")
    assert Enrolment.objects.get(user=learner).study_language == "fr"
    activity_open(user=learner, activity=second, language="ar")
    ActivityCompletion.objects.filter(user=learner, activity=first).update(last_seen_at=long_ago)
    activity_open(user=learner, activity=first, language="en")
    assert Enrolment.objects.get(user=learner).study_language == "fr"
    assert rollups.differences() == []


def test_the_command_finds_and_repairs_rollups_that_differ(course):
    _learn(course, 6, seed=3)
    call_command("rollups_check", stdout=io.StringIO())  # agrees: no error
    enrolment = Enrolment.objects.exclude(study_language="").first()
    wrong = "en" if enrolment.study_language != "en" else "ar"
    Enrolment.objects.filter(pk=enrolment.pk).update(study_language=wrong)
    tally = ScoreTally.objects.exclude(enrolment=enrolment).first()
    ScoreTally.objects.filter(pk=tally.pk).update(scored=tally.scored + 5)
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 enrolment"):
        call_command("rollups_check", stdout=out)
    assert f"enrolment {enrolment.pk}: study_language is '{wrong}'" in out.getvalue()
    call_command("rollups_check", "--repair", stdout=io.StringIO())
    assert rollups.differences() == []
    assert Enrolment.objects.get(pk=enrolment.pk).study_language != wrong
    repaired = ScoreTally.objects.get(enrolment_id=tally.enrolment_id, language=tally.language)
    assert repaired.scored == tally.scored
    ScoreTally.objects.all().delete()  # lost altogether: rebuilt from the completions
    call_command("rollups_check", "--repair", stdout=io.StringIO())
    assert rollups.differences() == []


def test_checking_runs_the_same_queries_for_few_and_many_learners(course):
    _learn(course, 3, seed=1)
    with CaptureQueriesContext(connection) as few:
        rollups.differences()
    _learn(course, 15, seed=2)
    with CaptureQueriesContext(connection) as many:
        assert rollups.differences() == []
    assert len(many) == len(few)


def test_the_refresh_statements_keep_the_rules_of_the_recomputation(course):
    """`enrolment_refresh` is written in SQL; `differences` recomputes with the ORM. Scores
    with cents, ties broken by the latest visit (one never visited: last), then by code."""
    learner = LearnerFactory(username="cents")
    first, second, third, fourth, _fifth = parts(course)
    for activity, language, score in (
        (first, "fr", Decimal("52.35")),
        (second, "fr", Decimal("33.33")),
        (third, "ar", Decimal("0.01")),
        (fourth, "ar", Decimal("99.99")),
    ):
        activity_record_result(
            user=learner,
            activity=activity,
            score=score,
            passed=score >= 50,
            complete=False,
            attempts=1,
            language=language,
        )
    enrolment = Enrolment.objects.get(user=learner, course=course)
    tallies = set(
        ScoreTally.objects.filter(enrolment=enrolment).values_list(
            "language", "scored", "passed", "score_total"
        )
    )
    assert tallies == {("fr", 2, 1, Decimal("85.68")), ("ar", 2, 1, Decimal("100.00"))}
    # Two languages tied at two activities each: the one seen last wins; never seen, last.
    ActivityCompletion.objects.filter(user=learner, language="ar").update(last_seen_at=None)
    rollups.enrolment_refresh(user_id=learner.pk, course_id=course.pk)
    assert Enrolment.objects.get(pk=enrolment.pk).study_language == "fr"
    ActivityCompletion.objects.filter(user=learner).update(last_seen_at=None)
    rollups.enrolment_refresh(user_id=learner.pk, course_id=course.pk)
    assert Enrolment.objects.get(pk=enrolment.pk).study_language == "ar"  # then by code
    ActivityCompletion.objects.filter(user=learner, activity_id=third.pk).update(score=None)
    rollups.enrolment_refresh(user_id=learner.pk, course_id=course.pk)
    ActivityCompletion.objects.filter(user=learner, language="fr").update(
        last_seen_at=timezone.now() - timedelta(days=1)
    )
    rollups.enrolment_refresh(user_id=learner.pk, course_id=course.pk)
    assert Enrolment.objects.get(pk=enrolment.pk).study_language == "fr"  # most activities
    assert set(
        ScoreTally.objects.filter(enrolment=enrolment).values_list("language", "scored")
    ) == {("fr", 2), ("ar", 1)}
    assert rollups.differences() == []
    # Not enrolled: nothing to refresh, nothing written.
    rollups.enrolment_refresh(user_id=LearnerFactory().pk, course_id=course.pk)
