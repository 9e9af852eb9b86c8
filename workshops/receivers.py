"""What workshops does when other apps report: a post-test submitted, a course completed."""

from django.db import connection

from cms.statements import repeated_cursor

from .models import Participant, Workshop


def _post_test_workshops(*, quiz_id: int, user_id: int) -> list[int]:
    """The workshops whose post-test is the quiz and that have the learner among their
    participants: one prepared statement, run after every quiz submission (most quizzes
    are no workshop's post-test, and then it finds nothing)."""
    quote = connection.ops.quote_name
    workshop = quote(Workshop._meta.db_table)
    participant = quote(Participant._meta.db_table)

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    pk = column(Workshop, "id")
    sql = (
        f"SELECT w.{pk} FROM {workshop} w"  # noqa: S608 - names only
        f" INNER JOIN {participant} p ON p.{column(Participant, 'workshop')} = w.{pk}"
        f" WHERE w.{column(Workshop, 'post_test')} = %s AND p.{column(Participant, 'user')} = %s"
    )
    with repeated_cursor(connection) as cursor:
        cursor.execute(sql, [quiz_id, user_id])
        return [pk for (pk,) in cursor.fetchall()]


def on_attempt_submitted(sender, *, user, quiz, attempt, **kwargs):
    from .services import completion_refresh

    found = _post_test_workshops(quiz_id=quiz.pk, user_id=user.pk)
    for workshop in Workshop.objects.filter(pk__in=found) if found else ():
        completion_refresh(workshop=workshop, user_ids=[user.pk])


def on_course_completed(sender, *, user, course, **kwargs):
    from .services import completion_refresh

    for workshop in Workshop.objects.filter(
        courses__course_id=course.pk, participants__user=user
    ).distinct():
        completion_refresh(workshop=workshop, user_ids=[user.pk])
