"""Events of the other apps recorded as learning records. Nothing is done while xAPI is off;
the other apps never import this one. On the lesson page, `activity_opened` is only sent where
courses writes the learner's row already, so a repeat visit gains no work."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from cms.audit import audit_event
from courses.signals import activity_completed, activity_opened, course_assigned, course_completed

from .lrs import enabled
from .services import statement_record, statements_record


def _at(moment) -> str:
    return moment.isoformat()


@receiver(activity_opened, dispatch_uid="xapi_activity_opened")
def activity_was_opened(sender, user, activity_id, course_id, language, at, first, **kwargs):
    if not enabled():
        return
    facts = {"user": user.pk, "page": activity_id, "course": course_id, "language": language}
    if first:
        statement_record(
            verb="launched",
            event=f"launched:{user.pk}:{activity_id}",
            facts={**facts, "at": _at(at)},
        )
    statement_record(
        verb="experienced",
        event=f"experienced:{user.pk}:{activity_id}:{_at(at)}",
        facts={**facts, "at": _at(at)},
    )


@receiver(activity_completed, dispatch_uid="xapi_activity_completed")
def activity_was_completed(sender, user, activity_id, course_id, language, completed_at, **kwargs):
    if not enabled():
        return
    statement_record(
        verb="completed",
        event=f"completed:{user.pk}:{activity_id}:{_at(completed_at)}",
        facts={
            "user": user.pk,
            "page": activity_id,
            "course": course_id,
            "language": language,
            "at": _at(completed_at),
            "result": {"completion": True},
        },
    )


@receiver(course_completed, dispatch_uid="xapi_course_completed")
def course_was_completed(sender, user, course, completed_at, **kwargs):
    if not enabled():
        return
    statement_record(
        verb="completed",
        event=f"completed-course:{user.pk}:{course.pk}:{_at(completed_at)}",
        facts={
            "user": user.pk,
            "course": course.pk,
            "at": _at(completed_at),
            "result": {"completion": True},
        },
    )


def _registered(*, user_id: int, course_id: int, at) -> None:
    statement_record(
        verb="registered",
        event=f"registered:{user_id}:{course_id}",
        facts={"user": user_id, "course": course_id, "at": _at(at)},
    )


@receiver(post_save, sender="courses.Enrolment", dispatch_uid="xapi_enrolment")
def enrolment_was_saved(sender, instance, created, **kwargs):
    if created and enabled():
        _registered(user_id=instance.user_id, course_id=instance.course_id, at=instance.enrolled_at)


@receiver(course_assigned, dispatch_uid="xapi_course_assigned")
def course_was_assigned(sender, course, user_ids, **kwargs):
    if not enabled():
        return
    from django.utils import timezone

    for user_id in user_ids:
        _registered(user_id=user_id, course_id=course.pk, at=timezone.now())


@receiver(post_save, sender="quizzes.QuizAttempt", dispatch_uid="xapi_attempt_started")
def attempt_was_started(sender, instance, created, **kwargs):
    if not created or not enabled():
        return
    statement_record(
        verb="attempted",
        event=f"attempted:{instance.pk}",
        facts={
            "user": instance.user_id,
            "page": instance.quiz_id,
            "language": instance.language,
            "at": _at(instance.started_at),
        },
    )


@receiver(audit_event, dispatch_uid="xapi_quiz_submitted")
def quiz_was_submitted(sender, action, obj=None, **kwargs):
    if action != "quiz_submitted" or obj is None or not enabled():
        return
    from courses.selectors import live_course_of

    attempt = obj
    at = _at(attempt.submitted_at)
    course = live_course_of(activity=attempt.quiz)
    common = {
        "user": attempt.user_id,
        "language": attempt.language,
        "at": at,
        "course": course.pk if course else None,
    }
    types = {entry["question"]: entry["type"] for entry in attempt.layout}
    statements = [
        (
            "answered",
            f"answered:{attempt.pk}:{question_id}",
            {
                **common,
                "question": question_id,
                "type": types.get(question_id, ""),
                "result": {
                    "score": {"scaled": round(float(fraction or 0), 4)},
                    "success": bool(fraction is not None and fraction >= 1),
                },
            },
        )
        for question_id, fraction in attempt.responses.values_list("question_id", "fraction")
    ]
    score = float(attempt.score or 0)
    result = {
        "score": {"scaled": round(score / 100, 4), "raw": score, "min": 0, "max": 100},
        "success": bool(attempt.passed),
        "completion": True,
    }
    statements.append(
        (
            "passed" if attempt.passed else "failed",
            f"result:{attempt.pk}",
            {**common, "page": attempt.quiz_id, "result": result},
        )
    )
    # One INSERT for the attempt's answers and its result, however many questions.
    statements_record(statements)
