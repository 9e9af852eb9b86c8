"""The pre-test and post-test gate, registered with quizzes.gates from apps.py.

A participant takes a workshop's pre-test before its first session starts and its post-test
after its last session ends. People who do not take part in the workshop are not restricted by
it (the quiz may also belong to an ordinary course).
"""

from django.utils import formats
from django.utils.translation import gettext as _

from . import rules, selectors
from .models import Participant, Workshop


def workshop_test_probe(user_id: int, quiz_id: int) -> tuple[str, list]:
    """Rows whenever `workshop_test_gate` might refuse: the learner takes part in a workshop
    whose pre-test or post-test is the quiz (`selectors.tests_of` not empty)."""
    workshop = Workshop._meta.db_table
    participant = Participant._meta.db_table
    sql = (
        f"SELECT 1 FROM {participant} p JOIN {workshop} w ON w.id = p.workshop_id"  # noqa: S608
        f" WHERE p.user_id = %s AND (w.pre_test_id = %s OR w.post_test_id = %s)"
    )
    return sql, [user_id, quiz_id, quiz_id]


def workshop_test_gate(*, user, quiz, now):
    if not getattr(user, "is_authenticated", False):
        return None
    for workshop in selectors.tests_of(user=user, quiz_id=quiz.pk):
        span = selectors.span_of(workshop, list(workshop.sessions.all()))
        if workshop.pre_test_id == quiz.pk and not rules.pre_test_open(now, span.first_starts):
            return _(
                "This is the pre-test of the workshop “%(workshop)s”: it closed when the first "
                "session started."
            ) % {"workshop": workshop.title}
        if workshop.post_test_id == quiz.pk and not rules.post_test_open(now, span.last_ends):
            if span.last_ends is None:
                return _(
                    "This is the post-test of the workshop “%(workshop)s”: it opens after the "
                    "last session."
                ) % {"workshop": workshop.title}
            return _(
                "This is the post-test of the workshop “%(workshop)s”: it opens after the last "
                "session, on %(when)s (%(zone)s)."
            ) % {
                "workshop": workshop.title,
                "when": formats.date_format(
                    span.last_ends.astimezone(workshop.zone), "DATETIME_FORMAT"
                ),
                "zone": workshop.time_zone,
            }
    return None
