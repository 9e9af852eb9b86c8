"""Reads for quiz pages, attempts, results and item statistics."""

from dataclasses import dataclass, field
from decimal import Decimal

from .forms import ShownQuestion
from .models import (
    QuizAttempt,
    QuizPage,
    Response,
    ReviewContent,
    ReviewTiming,
)
from .questions import question_key, questions_with_children
from .scoring import QuestionType, answer_from_json, attempts_left, grade, question_fraction
from .statistics import QuestionStatistics, ResponseRow, item_statistics


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


def quiz_overview(*, quiz: QuizPage, user) -> QuizOverview:
    """Rules and the learner's attempts at `quiz`: three queries."""
    attempts = list(QuizAttempt.objects.filter(user=user, quiz=quiz).order_by("number"))
    submitted = [a for a in attempts if a.state == QuizAttempt.State.SUBMITTED]
    in_progress = next((a for a in attempts if a.state == QuizAttempt.State.IN_PROGRESS), None)
    left = attempts_left(allowed=quiz.attempts_allowed, used=len(attempts))
    counted = grade([a.score for a in submitted], quiz.grading)
    question_count = quiz.quiz_questions.count() + sum(quiz.draws.values_list("count", flat=True))
    return QuizOverview(
        quiz=quiz,
        attempts=submitted,
        in_progress=in_progress,
        used=len(attempts),
        left=left,
        grade=counted,
        passed=None if counted is None else counted >= quiz.pass_mark,
        can_start=in_progress is None and (left is None or left > 0) and question_count > 0,
        question_count=question_count,
    )


# --- the attempt form -------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    selected: bool = False


@dataclass(frozen=True)
class Prompt:
    id: int
    name: str
    label: str
    options: list[Option]


@dataclass(frozen=True)
class FormQuestion:
    number: int
    id: int
    type: str
    name: str
    text: str  # sanitised HTML
    marks: int
    options: list[Option] = field(default_factory=list)
    prompts: list[Prompt] = field(default_factory=list)


def shown_questions(attempt: QuizAttempt) -> list[ShownQuestion]:
    """What the attempt's form offers, from its frozen layout: no query."""
    return [
        ShownQuestion(
            id=entry["question"],
            type=QuestionType(entry["type"]),
            options=tuple(entry["options"]),
            prompts=tuple(entry["prompts"]),
        )
        for entry in attempt.layout
    ]


def attempt_form_questions(
    *, attempt: QuizAttempt, answers: dict | None = None
) -> list[FormQuestion]:
    """The questions of an attempt as the form shows them, with the answers saved so far.

    Only texts and opaque ids: nothing here says which answer is right.
    """
    from django.utils.translation import gettext as _

    from .forms import field_name

    questions = questions_with_children(attempt.question_ids)
    if answers is None:
        answers = {
            response.question_id: response.answer
            for response in Response.objects.filter(attempt=attempt)
        }
    result = []
    for number, entry in enumerate(attempt.layout, start=1):
        question = questions.get(entry["question"])
        if question is None:
            continue
        kind = QuestionType(entry["type"])
        saved = answer_from_json(kind, answers.get(question.pk))
        name = field_name(question.pk)
        options: list[Option] = []
        prompts: list[Prompt] = []
        if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            texts = {choice.pk: choice.text for choice in question.choices.all()}
            chosen = saved if isinstance(saved, frozenset) else {saved}
            options = [
                Option(str(pk), texts[pk], pk in chosen) for pk in entry["options"] if pk in texts
            ]
        elif kind is QuestionType.TRUE_FALSE:
            options = [
                Option("true", _("True"), saved is True),
                Option("false", _("False"), saved is False),
            ]
        elif kind is QuestionType.MATCHING:
            pairs = {pair.pk: pair for pair in question.pairs.all()}
            saved = saved or {}
            prompts = [
                Prompt(
                    id=pk,
                    name=field_name(question.pk, pk),
                    label=pairs[pk].prompt,
                    options=[
                        Option(str(option), pairs[option].answer, saved.get(pk) == option)
                        for option in entry["options"]
                        if option in pairs
                    ],
                )
                for pk in entry["prompts"]
                if pk in pairs
            ]
        else:
            items = {item.pk: item for item in question.items.all()}
            saved = saved or {}
            positions = range(1, len(entry["prompts"]) + 1)
            prompts = [
                Prompt(
                    id=pk,
                    name=field_name(question.pk, pk),
                    label=items[pk].text,
                    options=[Option(str(p), str(p), saved.get(pk) == p) for p in positions],
                )
                for pk in entry["prompts"]
                if pk in items
            ]
        result.append(
            FormQuestion(
                number=number,
                id=question.pk,
                type=kind.value,
                name=name,
                text=question.text,
                marks=entry["marks"],
                options=options,
                prompts=prompts,
            )
        )
    return result


# --- results and review -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewLine:
    label: str
    chosen: str = ""  # what the learner answered, as text
    right: bool | None = None  # None: not to be shown
    correct_answer: str = ""  # shown only with feedback
    marked_correct: bool = False  # a correct choice, shown only with feedback
    feedback: str = ""


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


def attempt_result(*, attempt: QuizAttempt) -> AttemptResult:
    """A submitted attempt's score, the grade across attempts, and the review it allows."""
    quiz = attempt.quiz.specific if not isinstance(attempt.quiz, QuizPage) else attempt.quiz
    overview = quiz_overview(quiz=quiz, user=attempt.user)
    show_correctness, show_feedback = review_allowed(quiz=quiz, overview=overview)
    review = _review(attempt, show_correctness, show_feedback) if show_correctness else []
    return AttemptResult(
        attempt=attempt,
        overview=overview,
        show_correctness=show_correctness,
        show_feedback=show_feedback,
        review=review,
    )


def _review(
    attempt: QuizAttempt, show_correctness: bool, show_feedback: bool
) -> list[ReviewQuestion]:
    from django.utils.translation import gettext as _

    questions = questions_with_children(attempt.question_ids)
    responses = {r.question_id: r for r in Response.objects.filter(attempt=attempt)}
    review = []
    for number, entry in enumerate(attempt.layout, start=1):
        question = questions.get(entry["question"])
        if question is None:
            continue
        kind = QuestionType(entry["type"])
        response = responses.get(question.pk)
        answer = answer_from_json(kind, response.answer if response else None)
        key = question_key(question, entry["marks"])
        lines: list[ReviewLine] = []
        if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            chosen = answer if isinstance(answer, frozenset) else {answer}
            by_pk = {c.pk: c for c in question.choices.all()}
            for pk in entry["options"]:
                choice = by_pk.get(pk)
                if choice is None:
                    continue
                picked = pk in chosen
                lines.append(
                    ReviewLine(
                        label=choice.text,
                        chosen=_("Selected") if picked else "",
                        right=(picked == choice.correct) if picked else None,
                        marked_correct=show_feedback and choice.correct,
                        feedback=choice.feedback
                        if show_feedback and (picked or choice.correct)
                        else "",
                    )
                )
        elif kind is QuestionType.TRUE_FALSE:
            labels = {True: _("True"), False: _("False"), None: _("No answer")}
            lines.append(
                ReviewLine(
                    label=_("Your answer"),
                    chosen=labels[answer if isinstance(answer, bool) else None],
                    right=answer is key.answer if isinstance(answer, bool) else False,
                    correct_answer=labels[key.answer] if show_feedback else "",
                )
            )
        elif kind is QuestionType.MATCHING:
            pairs = {pair.pk: pair for pair in question.pairs.all()}
            answer = answer or {}
            for pk in entry["prompts"]:
                pair = pairs.get(pk)
                if pair is None:
                    continue
                given = pairs.get(answer.get(pk))
                lines.append(
                    ReviewLine(
                        label=pair.prompt,
                        chosen=given.answer if given else _("No answer"),
                        right=answer.get(pk) in key.matches.get(pk, ()),
                        correct_answer=pair.answer if show_feedback else "",
                    )
                )
        else:
            items = {item.pk: item for item in question.items.all()}
            answer = answer or {}
            for pk in entry["prompts"]:
                item = items.get(pk)
                if item is None:
                    continue
                given = answer.get(pk)
                lines.append(
                    ReviewLine(
                        label=item.text,
                        chosen=str(given) if given else _("No answer"),
                        right=given == key.positions.get(pk),
                        correct_answer=str(key.positions.get(pk, "")) if show_feedback else "",
                    )
                )
        fraction = response.fraction if response and response.fraction is not None else None
        if fraction is None:
            fraction = Decimal(float(question_fraction(key, answer)))
        review.append(
            ReviewQuestion(
                number=number,
                type=kind.value,
                text=question.text,
                marks=entry["marks"],
                fraction=fraction,
                answered=bool(answer) or isinstance(answer, bool) or answer == 0,
                lines=lines,
                feedback=question.feedback if show_feedback else "",
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
    from django.utils.html import strip_tags

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
    from .models import Question

    return dict(Question.objects.filter(pk__in=question_ids).values_list("pk", "text"))
