"""Loading questions with their choices, pairs and items: a fixed number of queries."""

from django.db.models import Prefetch

from .models import Choice, MatchingPair, OrderingItem, Question
from .scoring import QuestionKey, QuestionType


def questions_with_children(question_ids) -> dict[int, Question]:
    """Questions by id with choices, pairs and items prefetched in their authored order (for
    ordering items, the correct order): four queries in all."""
    in_order = ("sort_order", "pk")
    return {
        question.pk: question
        for question in Question.objects.filter(pk__in=list(question_ids)).prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by(*in_order)),
            Prefetch("pairs", queryset=MatchingPair.objects.order_by(*in_order)),
            Prefetch("items", queryset=OrderingItem.objects.order_by(*in_order)),
        )
    }


def question_key(question: Question, marks: int | None = None) -> QuestionKey:
    """The scoring key of a question whose children are loaded."""
    kind = QuestionType(question.type)
    marks = marks or question.marks
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        choices = list(question.choices.all())
        return QuestionKey(
            id=question.pk,
            type=kind,
            marks=marks,
            choices=frozenset(c.pk for c in choices),
            correct=frozenset(c.pk for c in choices if c.correct),
            all_or_nothing=question.all_or_nothing,
        )
    if kind is QuestionType.TRUE_FALSE:
        return QuestionKey(
            id=question.pk, type=kind, marks=marks, answer=question.true_false_answer
        )
    if kind is QuestionType.MATCHING:
        pairs = list(question.pairs.all())
        same_answer: dict[str, frozenset[int]] = {}
        for pair in pairs:
            text = pair.answer_en.strip().casefold()
            same_answer[text] = same_answer.get(text, frozenset()) | {pair.pk}
        return QuestionKey(
            id=question.pk,
            type=kind,
            marks=marks,
            matches={pair.pk: same_answer[pair.answer_en.strip().casefold()] for pair in pairs},
        )
    items = list(question.items.all())
    return QuestionKey(
        id=question.pk,
        type=kind,
        marks=marks,
        positions={item.pk: position for position, item in enumerate(items, start=1)},
    )


def question_keys(question_ids, marks: dict[int, int] | None = None) -> dict[int, QuestionKey]:
    marks = marks or {}
    return {
        pk: question_key(question, marks.get(pk))
        for pk, question in questions_with_children(question_ids).items()
    }
