"""Reading a POST of the attempt form without building the form (issue 21).

The attempt's frozen layout says which questions the page showed, in which order, and the
tokens of their fields; each question type reads its fields' values from the POST and refuses
what its Django fields would refuse (`QuestionType.read`, the same messages in the same order:
tests/quizzes/test_attempt_post.py compares both). The answers saved before are read only when
they can change the outcome: when the page does not show every question of the attempt.

The questions a POST is read and scored with (the rows with their choices, pairs and items) are
kept per worker under their id and last change (`updated_at`: every edit of a question, of its
choices, pairs or items, saves the question), as the attempt page keeps their content
(selectors.question_contents): one query for the last changes, and only the questions not kept
are read with their children. Nothing of any attempt or learner is kept.
"""

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from cms import rows
from cms.page_cache import BoundedCache
from cms.statements import repeated_cursor

from .models import Question, QuizAttempt
from .question_types import QUESTION_TYPES
from .question_types.base import Refused
from .scoring import Answer, is_answered
from .selectors import attempt_answers, page_number, questions_with_children


@dataclass(frozen=True)
class PostedAnswers:
    """What a POST of the attempt form says, read against the attempt's layout."""

    attempt: QuizAttempt
    page: int  # the page posted, from 1
    # The answers sent, by question id, for every question of the page (None: unanswered).
    answers: dict[int, Answer]
    # Why the POST could not have come from the attempt's page, per question ([]: it could).
    problems: list[str]
    # The questions of the page, with their children (posted_questions): read, never changed.
    questions: dict[int, Question]

    def all_answered(self) -> bool:
        """Whether the attempt has every question answered once these answers are saved
        (selectors.all_answered over the answers saved and those sent): the saved ones are
        read (one query) only for questions this page did not show."""
        layout = self.attempt.layout
        if all(entry["question"] in self.answers for entry in layout):
            return all(is_answered(self.answers[entry["question"]]) for entry in layout)
        merged = {**attempt_answers(self.attempt), **self.answers}
        return all(is_answered(merged.get(entry["question"])) for entry in layout)


# Question rows with their children, by (id, updated_at); bounded (docs/page-cache.md).
_questions = BoundedCache(1000)


def posted_questions(question_ids) -> dict[int, Question]:
    """The questions `question_ids` with their children (questions_with_children), those whose
    last change is kept in this worker from it: one query, and four for those not kept."""
    stamps = _last_changes(list(question_ids))
    found: dict[int, Question] = {}
    for pk, stamp in stamps.items():
        if (question := _questions.get((pk, stamp))) is not None:
            found[pk] = question
    missing = [pk for pk in stamps if pk not in found]
    if missing:
        for pk, question in questions_with_children(missing).items():
            found[pk] = question
            _questions.set((pk, question.updated_at), question)
    return found


def _last_changes(question_ids: list[int]) -> dict[int, object]:
    """Each question's last change time, by id: one prepared statement (one per number of
    questions on a page, which a quiz keeps the same)."""
    if not question_ids:
        return {}
    questions = rows.reader(Question, connection=connection, only=("id", "updated_at"))
    sql = (
        f"SELECT {questions.select} FROM {questions.tables}"  # noqa: S608 - names only
        f" WHERE {questions.column('pk')} IN ({', '.join(['%s'] * len(question_ids))})"
    )
    with repeated_cursor(connection) as cursor:
        cursor.execute(sql, question_ids)
        found = cursor.fetchall()
    pk, updated_at = questions.names.index("id"), questions.names.index("updated_at")
    return {
        values[pk]: values[updated_at]
        for values in (questions.values(connection, row) for row in found)
    }


def attempt_posted(*, attempt: QuizAttempt, quiz, page=None, data) -> PostedAnswers:
    """The answers POSTed (`data`) on `page` of the attempt form (as selectors.attempt_page
    places it: a number from 1, brought within range, ignored unless the quiz shows one
    question per page), checked as the attempt form checks them: one query when the page's
    questions are kept in this worker (posted_questions), five when none is."""
    numbered = list(enumerate(attempt.layout, start=1))
    one_per_page = quiz.one_per_page and len(numbered) > 1
    pages = len(numbered) if one_per_page else 1
    current = min(max(page_number(page), 1), pages)
    shown = numbered[current - 1 : current] if one_per_page else numbered
    questions = posted_questions(entry["question"] for _n, entry in shown)
    answers: dict[int, Answer] = {}
    problems: list[str] = []
    for number, entry in shown:
        question = questions.get(entry["question"])
        if question is None:
            continue
        try:
            answers[question.pk] = QUESTION_TYPES[entry["type"]].read(entry, question, data)
        except Refused as refused:
            problems.append(
                _("Question %(number)s: %(problem)s")
                % {"number": number, "problem": refused.message}
            )
    return PostedAnswers(
        attempt=attempt, page=current, answers=answers, problems=problems, questions=questions
    )
