"""Every read the workshop pages, commands and reports need."""

from decimal import Decimal

from django.db.models import OuterRef, Subquery

from quizzes.models import QuizAttempt

from .models import Participant, Workshop

Scores = tuple[Decimal | None, Decimal | None]


def first_scores(*, quiz_ids: list[int], user_ids) -> dict[tuple[int, int], Decimal]:
    """{(user_id, quiz_id): score of the user's FIRST submitted attempt on the quiz}, one query.

    `user_ids` may be a list or a queryset of ids (then a subquery). The first attempt is the one
    with the lowest attempt number among those submitted; later attempts never replace it, so
    retakes cannot inflate a knowledge gain.
    """
    if not quiz_ids:
        return {}
    submitted = QuizAttempt.objects.filter(state=QuizAttempt.State.SUBMITTED)
    first = submitted.filter(user=OuterRef("user"), quiz=OuterRef("quiz")).order_by("number")
    rows = (
        submitted.filter(quiz_id__in=quiz_ids, user_id__in=user_ids)
        .filter(pk=Subquery(first.values("pk")[:1]))
        .values_list("user_id", "quiz_id", "score")
    )
    return {(user_id, quiz_id): score for user_id, quiz_id, score in rows}


def test_scores(workshop: Workshop) -> dict[int, Scores]:
    """{user_id: (pre score, post score)} for every participant of `workshop`, in percent.

    A score is the participant's first submitted attempt on the workshop's pre-test (or
    post-test); None when they have not submitted one, or the workshop names no such test.
    Two queries, whatever the number of participants.
    """
    users = list(Participant.objects.filter(workshop=workshop).values_list("user_id", flat=True))
    quiz_ids = [pk for pk in (workshop.pre_test_id, workshop.post_test_id) if pk]
    found = (
        first_scores(
            quiz_ids=quiz_ids,
            user_ids=Participant.objects.filter(workshop=workshop).values("user_id"),
        )
        if users
        else {}
    )
    return {
        user_id: (
            found.get((user_id, workshop.pre_test_id)) if workshop.pre_test_id else None,
            found.get((user_id, workshop.post_test_id)) if workshop.post_test_id else None,
        )
        for user_id in users
    }
