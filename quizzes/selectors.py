"""Reads for quiz pages, attempts, results and item statistics.

Query counts do not grow with the number of questions: questions come with their choices,
pairs and items in one query per child relation, responses in one query.
"""

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, connections
from django.db.models import Prefetch, TextChoices
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField

from cms import rows
from cms.page_cache import BoundedCache
from cms.statements import repeated_cursor

from .attempt_form import QuestionContent, question_content, render_questions
from .forms import AttemptForm
from .gates import attempt_refusal
from .models import (
    Question,
    QuizAttempt,
    QuizPage,
    Response,
    ReviewContent,
    ReviewTiming,
)
from .question_types import QUESTION_TYPES, ReviewLine
from .scoring import (
    Answer,
    AttemptOutcome,
    QuestionKey,
    attempts_left,
    is_answered,
    question_fraction,
    quiz_standing,
)
from .statistics import QuestionStatistics, ResponseRow, item_statistics

# --- questions --------------------------------------------------------------------------------


def questions_with_children(question_ids) -> dict[int, Question]:
    """Questions by id with the child rows every question type reads (choices, pairs, items),
    each in its authored order (for ordering items, the correct order): one query for the
    questions and one per child relation, however many questions there are."""
    relations = dict.fromkeys(rel for kind in QUESTION_TYPES.values() for rel in kind.children)
    prefetches = [
        Prefetch(
            relation,
            queryset=Question._meta.get_field(relation).related_model.objects.order_by(
                "sort_order", "pk"
            ),
        )
        for relation in relations
    ]
    return {
        question.pk: question
        for question in Question.objects.filter(pk__in=list(question_ids))
        .select_related("image")
        .prefetch_related(*prefetches, "image__renditions")
    }


def layout_keys(layout: list[dict], questions: dict[int, Question]) -> dict[int, QuestionKey]:
    """The scoring key of every question of an attempt's layout, with the marks it froze."""
    return {
        entry["question"]: QUESTION_TYPES[entry["type"]].key(
            questions[entry["question"]], entry["marks"]
        )
        for entry in layout
        if entry["question"] in questions
    }


def attempt_answers(attempt: QuizAttempt) -> dict[int, Answer]:
    """The answers saved for an attempt, by question id: one query."""
    types = {entry["question"]: QUESTION_TYPES[entry["type"]] for entry in attempt.layout}
    return {
        question_id: types[question_id].answer_from_json(answer)
        for question_id, answer in Response.objects.filter(attempt=attempt).values_list(
            "question_id", "answer"
        )
        if question_id in types
    }


# --- the quiz page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizOverview:
    quiz: QuizPage
    attempts: list[QuizAttempt]  # submitted, in order
    in_progress: QuizAttempt | None
    used: int
    left: int | None  # None: unlimited
    grade: Decimal | None
    passed: bool | None
    can_start: bool
    question_count: int
    # Why a new attempt may not start now (quizzes.gates), else None.
    refusal: str | None = None


def quiz_overview(*, quiz: QuizPage, user) -> QuizOverview:
    """Rules and the learner's attempts at `quiz`: three queries."""
    attempts = list(QuizAttempt.objects.filter(user=user, quiz=quiz).order_by("number"))
    submitted = [a for a in attempts if a.state == QuizAttempt.State.SUBMITTED]
    in_progress = next((a for a in attempts if a.state == QuizAttempt.State.IN_PROGRESS), None)
    left = attempts_left(allowed=quiz.attempts_allowed, used=len(attempts))
    standing = quiz_standing(
        [AttemptOutcome(a.score, bool(a.passed)) for a in submitted if a.score is not None],
        grading=quiz.grading,
        pass_mark=quiz.pass_mark,
        attempts_allowed=quiz.attempts_allowed,
        complete_when_attempts_exhausted=quiz.complete_when_attempts_exhausted,
    )
    question_count = quiz.quiz_questions.count() + sum(quiz.draws.values_list("count", flat=True))
    refusal = (
        None
        if in_progress is not None
        else attempt_refusal(user=user, quiz=quiz, now=timezone.now())
    )
    return QuizOverview(
        quiz=quiz,
        attempts=submitted,
        in_progress=in_progress,
        used=len(attempts),
        left=left,
        grade=standing.grade,
        passed=None if standing.grade is None else standing.passed,
        can_start=in_progress is None
        and (left is None or left > 0)
        and question_count > 0
        and not refusal,
        question_count=question_count,
        refusal=str(refusal) if refusal else None,
    )


# --- the attempt form -------------------------------------------------------------------------


class OutlineItem(NamedTuple):
    """A question in the form's question list. A named tuple: a frozen dataclass took longer
    to make than the rest of the list (one per question, on every attempt page)."""

    number: int
    answered: bool
    page: int  # the form page showing it (1 when every question is on one page)


@dataclass(frozen=True)
class AttemptPage:
    """What the attempt page shows: the form (every question, or one question per page) and
    where the learner stands. A page to show has its questions as HTML (`questions_html`);
    one to read a POST with has the Django form instead."""

    attempt: QuizAttempt
    form: AttemptForm | None
    page: int  # from 1
    pages: int  # 1 unless the quiz shows one question per page
    outline: list[OutlineItem]
    questions_html: str = ""  # safe HTML (attempt_shown)
    # The answers saved before this request, by question id (the form's initial values).
    saved: dict[int, Answer] = field(default_factory=dict)

    @property
    def questions(self) -> dict[int, Question]:
        """The questions on this page, loaded with their children, by id (the form's)."""
        if self.form is None:
            return {}
        return {shown.question.pk: shown.question for shown in self.form.questions}

    @property
    def total(self) -> int:
        return len(self.outline)

    @property
    def answered(self) -> int:
        return sum(1 for item in self.outline if item.answered)

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


def _one_per_page(quiz: QuizPage, layout: list[dict]) -> bool:
    return quiz.one_per_page and len(layout) > 1


def _placing(attempt: QuizAttempt, quiz, page) -> tuple[list, list, bool, int, int]:
    """(every (number, entry), those shown, one per page, page, pages)."""
    numbered = list(enumerate(attempt.layout, start=1))
    one_per_page = _one_per_page(quiz, attempt.layout)
    pages = len(numbered) if one_per_page else 1
    current = min(max(page_number(page), 1), pages)
    shown = numbered[current - 1 : current] if one_per_page else numbered
    return numbered, shown, one_per_page, current, pages


def _outline(numbered: list, answers: dict[int, Answer], one_per_page: bool) -> list:
    return [
        OutlineItem(
            number=number,
            answered=is_answered(answers.get(entry["question"])),
            page=number if one_per_page else 1,
        )
        for number, entry in numbered
    ]


def _placed(attempt: QuizAttempt, quiz, page) -> tuple[list, int, int, list, dict, list]:
    """(questions shown, page, pages, outline, answers saved, every (number, entry))."""
    numbered, shown, one_per_page, current, pages = _placing(attempt, quiz, page)
    answers = attempt_answers(attempt)
    outline = _outline(numbered, answers, one_per_page)
    return shown, current, pages, outline, answers, numbered


# The statement of `answers_and_changes` by database vendor and number of questions: its
# text, worked out once (quoting names took longer than SQLite took to run it).
_ANSWERS_SQL: dict[tuple[str, int], str] = {}
_ANSWERS_SQL_MAX = 512  # layouts of as many lengths, at most


def _questions_and_responses(connection) -> tuple[str, str]:
    """The columns (question id, its last change, response id, its answer) and the FROM clause
    of a layout's questions, each with one attempt's response (the `%s`): what both statements
    that read an attempt's answers select from."""
    quote = connection.ops.quote_name
    q_id, q_changed, r_id, r_answer, r_question, r_attempt = (
        quote(model._meta.get_field(name).column)
        for model, name in (
            (Question, "id"),
            (Question, "updated_at"),
            (Response, "id"),
            (Response, "answer"),
            (Response, "question"),
            (Response, "attempt"),
        )
    )
    return (
        f"q.{q_id}, q.{q_changed}, r.{r_id}, r.{r_answer}",
        f"{quote(Question._meta.db_table)} q LEFT OUTER JOIN {quote(Response._meta.db_table)} r"
        f" ON r.{r_question} = q.{q_id} AND r.{r_attempt} = %s",
    )


def _answers_sql(count: int) -> str:
    key = (connection.vendor, count)
    sql = _ANSWERS_SQL.get(key)
    if sql is None:
        columns, questions = _questions_and_responses(connection)
        q_id = connection.ops.quote_name(Question._meta.pk.column)
        sql = (
            f"SELECT {columns} FROM {questions}"  # noqa: S608 - names only
            f" WHERE q.{q_id} IN ({', '.join(['%s'] * count)})"
        )
        if len(_ANSWERS_SQL) < _ANSWERS_SQL_MAX:
            _ANSWERS_SQL[key] = sql
    return sql


def answers_and_changes(attempt: QuizAttempt) -> tuple[dict[int, Answer], dict[int, Any]]:
    """The answers saved for an attempt by question id (as `attempt_answers`) and its
    questions' last changes (`updated_at` as the database driver gives it: what their kept
    content is keyed by): one statement, the questions of its layout each with its response
    if there is one, written in SQL (the ORM took longer to build it than the database to run
    it)."""
    if not attempt.layout:
        return {}, {}
    question_ids = list(dict.fromkeys(entry["question"] for entry in attempt.layout))
    with repeated_cursor(connection) as cursor:
        cursor.execute(_answers_sql(len(question_ids)), [attempt.pk, *question_ids])
        found = cursor.fetchall()
    return _answers_read(attempt, found)


def _answers_read(attempt: QuizAttempt, found) -> tuple[dict[int, Answer], dict[int, Any]]:
    """`answers_and_changes` from its rows: (question id, last change, response id or None,
    the response's answer as stored)."""
    types = {entry["question"]: QUESTION_TYPES[entry["type"]] for entry in attempt.layout}
    answer = Response._meta.get_field("answer")
    answers: dict[int, Answer] = {}
    changes: dict[int, Any] = {}
    for pk, updated_at, response, value in found:
        changes[pk] = updated_at
        if response is not None:
            answers[pk] = types[pk].answer_from_json(answer.from_db_value(value, None, connection))
    return answers, changes


def own_attempt_with_answers(
    *, pk: int, user_id: int
) -> tuple[QuizAttempt, dict[int, Answer], dict[int, Any]] | None:
    """`own_attempt` and its `answers_and_changes` in one statement: (the attempt, its
    answers, its questions' last changes), or None if the attempt is not `user_id`'s. What the
    attempt form's GET reads (w21q): on PostgreSQL every statement is a round trip to the
    server, and two were a tenth of the page's time.

    The attempt's row comes first (marked 0), then (marked 1) each question of its layout,
    found by the database's own JSON functions in the layout of the attempt only if it is
    `user_id`'s, with this attempt's response if there is one. A question's last change is as
    the driver gives it in this statement (text on SQLite): what its kept content is keyed by,
    compared only with itself. On another database, the two statements."""
    sql = _own_attempt_with_answers_sql(connection.alias, connection.vendor)
    if sql is None:
        attempt = own_attempt(pk=pk, user_id=user_id)
        return None if attempt is None else (attempt, *answers_and_changes(attempt))
    attempts = rows.reader(QuizAttempt, connection=connection)
    with repeated_cursor(connection) as cursor:
        cursor.execute(sql, [pk, user_id, pk, pk, user_id])
        found = cursor.fetchall()
    width = attempts.width
    attempt, questions = None, []
    for row in found:
        if row[0] == 0:
            attempt = attempts.instance(connection, row[1 : width + 1])
        else:
            questions.append(row[width + 1 :])
    if attempt is None:
        return None
    return (attempt, *_answers_read(attempt, questions))


# The layout's question ids, by the database's JSON functions (the only two Tadrib runs on).
_LAYOUT_QUESTIONS = {
    "postgresql": "SELECT (e.value ->> 'question')::bigint FROM {table} a,"
    " jsonb_array_elements(a.{layout}) e(value) WHERE a.{id} = %s AND a.{user} = %s",
    "sqlite": "SELECT json_extract(e.value, '$.question') FROM {table} a,"
    " json_each(a.{layout}) e WHERE a.{id} = %s AND a.{user} = %s",
}


@functools.cache
def _own_attempt_with_answers_sql(alias: str, vendor: str) -> str | None:
    """`own_attempt_with_answers`'s statement, worked out once per worker and database."""
    if vendor not in _LAYOUT_QUESTIONS:
        return None
    connection = connections[alias]
    quote = connection.ops.quote_name
    attempts = rows.reader(QuizAttempt, connection=connection)
    a_id, a_user, a_layout = (
        quote(QuizAttempt._meta.get_field(name).column) for name in ("id", "user", "layout")
    )
    layout_questions = _LAYOUT_QUESTIONS[vendor].format(
        table=quote(QuizAttempt._meta.db_table), layout=a_layout, id=a_id, user=a_user
    )
    columns, questions = _questions_and_responses(connection)
    q_id = quote(Question._meta.pk.column)
    nulls = ", ".join(["NULL"] * attempts.width)
    return (
        f"SELECT 0, {attempts.select}, NULL, NULL, NULL, NULL"  # noqa: S608 - names only
        f" FROM {attempts.tables}"
        f" WHERE {attempts.column('pk')} = %s AND {attempts.column('user')} = %s"
        f" UNION ALL SELECT 1, {nulls}, {columns} FROM {questions}"
        f" WHERE q.{q_id} IN ({layout_questions})"
    )


def own_attempt(*, pk: int, user_id: int) -> QuizAttempt | None:
    """The attempt `pk` if it is `user_id`'s (else None), in one statement written in SQL:
    built as the ORM builds it from a row (cms.rows). The content generation is not read
    here: the session's statement already brought it (security/sessions.py,
    `page_cache.generation`), and a scalar subquery for it on this statement was work done
    twice per request."""
    attempts = rows.reader(QuizAttempt, connection=connection)
    with repeated_cursor(connection) as cursor:
        cursor.execute(_own_attempt_sql(connection.alias, connection.vendor), [pk, user_id])
        row = cursor.fetchone()
    return None if row is None else attempts.instance(connection, row)


@functools.cache
def _own_attempt_sql(alias: str, vendor: str) -> str:
    """`own_attempt`'s statement (its text worked out once per worker and database)."""
    attempts = rows.reader(QuizAttempt, connection=connections[alias])
    return (
        f"SELECT {attempts.select} FROM {attempts.tables}"  # noqa: S608 - names only
        f" WHERE {attempts.column('pk')} = %s AND {attempts.column('user')} = %s"
    )


def own_attempt_with_quiz(*, pk: int, user_id: int) -> QuizAttempt | None:
    """`own_attempt` with its quiz (`attempt.quiz`, its StreamFields left to load on access),
    in one prepared statement: what a POST to the attempt reads first. Replaces
    `select_related("quiz")`, whose compilation (a join of the quiz's three page tables)
    cost more than running it on every submission."""
    attempts = rows.reader(QuizAttempt, connection=connection)
    quizzes = rows.reader(QuizPage, connection=connection, deferred=(StreamField,))
    sql = (
        f"SELECT {attempts.select}, {quizzes.select}"  # noqa: S608 - names only
        f" FROM {attempts.tables} {quizzes.joined(attempts.column('quiz'))}"
        f" WHERE {attempts.column('pk')} = %s AND {attempts.column('user')} = %s"
    )
    with repeated_cursor(connection) as cursor:
        cursor.execute(sql, [pk, user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    attempt = attempts.instance(connection, row[: attempts.width])
    attempt.quiz = quizzes.instance(connection, row[attempts.width :])
    return attempt


def attempt_page(*, attempt: QuizAttempt, quiz: QuizPage, page=None, data=None) -> AttemptPage:
    """The attempt's form for `page` (a number from 1, brought within range; ignored unless
    the quiz shows one question per page), bound to `data` when given, filled with the
    answers saved so far: what a POST is read with.

    Only texts and tokens: nothing here says which answer is right. Five queries.
    """
    shown, current, pages, outline, answers, _numbered = _placed(attempt, quiz, page)
    form = AttemptForm(
        entries=shown,
        questions=questions_with_children(entry["question"] for _n, entry in shown),
        answers=answers,
        data=data,
    )
    return AttemptPage(
        attempt=attempt, form=form, page=current, pages=pages, outline=outline, saved=answers
    )


def attempt_shown(
    *,
    attempt: QuizAttempt,
    quiz,
    page=None,
    generation: int | None,
    answers_read: tuple[dict[int, Answer], dict[int, Any]] | None = None,
) -> AttemptPage:
    """The attempt's questions for `page` as HTML, filled with the answers saved so far: what
    the attempt page shows (the same elements as `attempt_page`'s form rendered by its
    widgets). `quiz` needs only `one_per_page` (`attempt_quiz`); `answers_read` is the
    attempt's `answers_and_changes` when they were read with it (`own_attempt_with_answers`).

    No query when the answers were read with the attempt and the questions' content is kept in
    this worker, else one for the answers; the questions and their children are read for
    those that are not kept.
    """
    numbered, shown, one_per_page, current, pages = _placing(attempt, quiz, page)
    answers, changes = answers_read if answers_read is not None else answers_and_changes(attempt)
    outline = _outline(numbered, answers, one_per_page)
    contents = question_contents(shown, generation=generation, changes=changes)
    html = render_questions(shown, contents, answers)
    return AttemptPage(
        attempt=attempt,
        form=None,
        page=current,
        pages=pages,
        outline=outline,
        saved=answers,
        questions_html=mark_safe(html),  # noqa: S308 - built escaped (attempt_form)
    )


# Questions' content per worker, by question, type, last change, language and content
# generation (images and the pages a text could link to bump it): texts and labels, nothing
# about any attempt or learner. Bounded in entries and characters (docs/page-cache.md).
_contents = BoundedCache(4000, max_bytes=4_000_000, getsizeof=lambda content: content.size)


def question_contents(
    shown: list[tuple[int, dict]], *, generation: int | None, changes: dict[int, Any]
) -> dict[int, QuestionContent]:
    """The content of the questions of `shown` by id, in the active language, their last
    changes given (`answers_and_changes`; a question missing there is gone): those not kept
    are read with their children."""
    kinds = {entry["question"]: entry["type"] for _n, entry in shown}
    language = get_language()
    stamps = {pk: changes[pk] for pk in kinds if pk in changes}
    keys = {pk: (pk, kinds[pk], stamp, language, generation) for pk, stamp in stamps.items()}
    contents: dict[int, QuestionContent] = {}
    if generation is not None:
        kept = _contents.get_many(keys.values())
        contents = {pk: kept[key] for pk, key in keys.items() if key in kept}
    missing = [pk for pk in keys if pk not in contents]
    if missing:
        for pk, question in questions_with_children(missing).items():
            content = question_content(question, kinds[pk])
            contents[pk] = content
            if content.cacheable and generation is not None:
                _contents.set(keys[pk], content)
    return contents


@dataclass(frozen=True)
class AttemptQuiz:
    """What the attempt page needs of its quiz, in one language: content, kept per worker."""

    pk: int
    title: str
    url: str
    one_per_page: bool


_quizzes = BoundedCache(2000)


def attempt_quiz(*, quiz_id: int, generation: int | None) -> AttemptQuiz:
    """The quiz of an attempt for its page, without loading the page on a repeat visit
    (keyed by the content generation, which every page change bumps)."""
    key = (quiz_id, get_language(), generation)
    found = _quizzes.get(key) if generation is not None else None
    if found is None:
        quiz = QuizPage.objects.get(pk=quiz_id)
        found = AttemptQuiz(
            pk=quiz.pk, title=quiz.title, url=quiz.url or "", one_per_page=quiz.one_per_page
        )
        if generation is not None:
            _quizzes.set(key, found)
    return found


def page_number(value) -> int:
    """A page number as sent (1 when it is not a number)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


@dataclass(frozen=True)
class UnansweredQuestion:
    number: int
    page: int
    text: str  # plain text


def all_answered(attempt: QuizAttempt, answers: dict[int, Answer]) -> bool:
    """Whether `answers` (by question id: those saved with those just sent) answer every
    question of the attempt, as attempt_unanswered would find none: no query."""
    return all(is_answered(answers.get(entry["question"])) for entry in attempt.layout)


def attempt_unanswered(*, attempt: QuizAttempt, quiz: QuizPage) -> list[UnansweredQuestion]:
    """The attempt's questions without an answer, in order, with their text: one query, two
    when some are unanswered."""
    answers = attempt_answers(attempt)
    missing = [
        (number, entry["question"])
        for number, entry in enumerate(attempt.layout, start=1)
        if not is_answered(answers.get(entry["question"]))
    ]
    if not missing:
        return []
    texts = questions_texts([question_id for _n, question_id in missing])
    one_per_page = _one_per_page(quiz, attempt.layout)
    return [
        UnansweredQuestion(
            number=number,
            page=number if one_per_page else 1,
            text=strip_tags(texts.get(question_id, "")),
        )
        for number, question_id in missing
    ]


# --- results and review -----------------------------------------------------------------------


class Verdict(TextChoices):
    """How a reviewed question went; each is shown with an icon and words, never by colour
    alone."""

    RIGHT = "right", _("Right")
    PARTLY = "partly", _("Partly right")
    WRONG = "wrong", _("Wrong")
    NOT_ANSWERED = "not_answered", _("Not answered")


@dataclass(frozen=True)
class ReviewQuestion:
    number: int
    type: str
    text: str
    marks: int
    fraction: Decimal | None
    answered: bool
    lines: list[ReviewLine]
    feedback: str  # sanitised HTML, only when feedback is shown
    image: Any = None  # the question's Wagtail image, if it has one
    image_alt: str = ""

    @property
    def verdict(self) -> Verdict:
        if not self.answered:
            return Verdict.NOT_ANSWERED
        if self.fraction is not None and self.fraction >= 1:
            return Verdict.RIGHT
        if self.fraction:
            return Verdict.PARTLY
        return Verdict.WRONG

    @property
    def verdict_label(self) -> str:
        return self.verdict.label


@dataclass(frozen=True)
class AttemptResult:
    attempt: QuizAttempt
    overview: QuizOverview
    show_correctness: bool
    show_feedback: bool
    review: list[ReviewQuestion]


def review_allowed(*, quiz: QuizPage, overview: QuizOverview) -> tuple[bool, bool]:
    """(show which answers were right, show right answers and feedback) under the policy."""
    if quiz.review_timing == ReviewTiming.NEVER:
        return False, False
    if quiz.review_timing == ReviewTiming.AFTER_LAST and not (
        overview.left == 0 and overview.in_progress is None
    ):
        return False, False
    content = quiz.review_content
    return (
        content in (ReviewContent.CORRECTNESS, ReviewContent.FEEDBACK),
        content == ReviewContent.FEEDBACK,
    )


def attempt_result(*, attempt: QuizAttempt, quiz: QuizPage) -> AttemptResult:
    """A submitted attempt's score, the grade across attempts, and the review it allows."""
    overview = quiz_overview(quiz=quiz, user=attempt.user)
    show_correctness, show_feedback = review_allowed(quiz=quiz, overview=overview)
    review = _review(attempt, show_feedback) if show_correctness else []
    return AttemptResult(
        attempt=attempt,
        overview=overview,
        show_correctness=show_correctness,
        show_feedback=show_feedback,
        review=review,
    )


def _review(attempt: QuizAttempt, show_feedback: bool) -> list[ReviewQuestion]:
    """The attempt as it was shown and scored: the frozen layout, the questions it refers
    to (kept in the bank for as long as attempts refer to them) and the stored fractions."""
    questions = questions_with_children(attempt.question_ids)
    keys = layout_keys(attempt.layout, questions)
    responses = {r.question_id: r for r in Response.objects.filter(attempt=attempt)}
    review = []
    for number, entry in enumerate(attempt.layout, start=1):
        question = questions.get(entry["question"])
        if question is None:
            continue
        kind = QUESTION_TYPES[entry["type"]]
        response = responses.get(question.pk)
        answer = kind.answer_from_json(response.answer if response else None)
        key = keys[question.pk]
        fraction = response.fraction if response and response.fraction is not None else None
        if fraction is None:
            fraction = Decimal(float(question_fraction(key, answer)))
        review.append(
            ReviewQuestion(
                number=number,
                type=kind.name,
                text=question.text,
                marks=entry["marks"],
                fraction=fraction,
                answered=is_answered(answer),
                lines=kind.review(entry, question, key, answer, show_feedback=show_feedback),
                feedback=question.feedback if show_feedback else "",
                image=question.image,
                image_alt=question.image_alt or "",
            )
        )
    return review


# --- item statistics --------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizStatistics:
    attempts: int
    mean_score: Decimal | None
    languages: list[str]
    questions: list[tuple[int, str, dict[str, QuestionStatistics]]]  # (id, text, by language)


def quiz_item_statistics(*, quiz: QuizPage) -> QuizStatistics:
    """Facility and discrimination per question, overall ("") and per attempt language.

    Two queries over all submitted responses, however many learners there are.
    """
    rows = [
        ResponseRow(attempt, language or "", question, fraction or Decimal(0), marks)
        for attempt, language, question, fraction, marks in Response.objects.filter(
            attempt__quiz=quiz, attempt__state=QuizAttempt.State.SUBMITTED
        ).values_list("attempt_id", "attempt__language", "question_id", "fraction", "marks")
    ]
    stats = item_statistics(rows)
    languages = sorted({row.language for row in rows})
    question_ids = list(dict.fromkeys(row.question for row in rows))
    texts = {pk: strip_tags(text) for pk, text in questions_texts(question_ids).items()}
    return QuizStatistics(
        attempts=stats.attempts,
        mean_score=stats.mean_score,
        languages=languages,
        questions=[(pk, texts.get(pk, ""), stats.questions.get(pk, {})) for pk in question_ids],
    )


def questions_texts(question_ids) -> dict[int, str]:
    return dict(Question.objects.filter(pk__in=question_ids).values_list("pk", "text"))
