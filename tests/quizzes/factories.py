"""Quizzes for tests: bank questions of every type and quiz pages under a course."""

from django.utils import translation

from quizzes.models import QuestionCategory, QuizPage, QuizQuestion
from quizzes.packages import question_create
from quizzes.question_types import QUESTION_TYPES
from quizzes.scoring import (
    MatchingKey,
    MultipleResponseKey,
    OrderingKey,
    SingleChoiceKey,
    TrueFalseKey,
)
from quizzes.selectors import layout_keys, questions_with_children
from tests.courses.factories import make_course


def tr(en: str, fr: str | None = None, ar: str | None = None) -> dict:
    return {"en": en, "fr": fr or f"{en} (fr)", "ar": ar or f"{en} (ar)"}


def question_data(kind: str, n: int = 0, marks: int = 1) -> dict:
    """A question of `kind` in package form; the first choice/pair order is the right one."""
    base = {"type": kind, "marks": marks, "text": tr(f"<p>Question {kind} {n}?</p>"),
            "feedback": tr(f"<p>Because {kind} {n}.</p>")}  # fmt: skip
    if kind == "single":
        base["choices"] = [
            {"text": tr(f"Right {n}"), "correct": True, "feedback": tr(f"Yes {n}")},
            {"text": tr(f"Wrong A {n}"), "correct": False, "feedback": tr(f"No A {n}")},
            {"text": tr(f"Wrong B {n}"), "correct": False},
        ]
    elif kind == "multiple":
        base["all_or_nothing"] = False
        base["choices"] = [
            {"text": tr(f"Good 1 {n}"), "correct": True},
            {"text": tr(f"Good 2 {n}"), "correct": True},
            {"text": tr(f"Bad 1 {n}"), "correct": False},
        ]
    elif kind == "true_false":
        base["answer"] = True
    elif kind == "matching":
        base["pairs"] = [
            {"prompt": tr(f"Prompt {i} {n}"), "answer": tr(f"Answer {i} {n}")} for i in range(3)
        ]
    else:
        base["items"] = [tr(f"Step {i} {n}") for i in range(4)]
    return base


ALL_TYPES = ("single", "multiple", "true_false", "matching", "ordering")


def make_category(name="Bank") -> QuestionCategory:
    category = QuestionCategory(name=name, name_en=name)
    category.save()
    return category


def make_questions(kinds=ALL_TYPES, category=None):
    category = category or make_category()
    return [
        question_create(category=category, data=question_data(k, i)) for i, k in enumerate(kinds)
    ]


def make_quiz(course=None, *, questions=None, slug="quiz", **fields) -> QuizPage:
    """A published quiz under `course` (a new course if none) with `questions` in order."""
    course = course or make_course(slug=f"course-{slug}")
    questions = make_questions() if questions is None else questions
    course.refresh_from_db()
    with translation.override("en"):
        quiz = QuizPage(
            title=f"Quiz {slug}", title_en=f"Quiz {slug}", title_fr=f"Quiz {slug} fr",
            title_ar=f"اختبار {slug}", slug=slug, slug_en=slug,
            intro_en="<p>Intro</p>", intro_fr="<p>Intro fr</p>", intro_ar="<p>مقدمة</p>",
            **fields,
        )  # fmt: skip
        quiz.quiz_questions = [
            QuizQuestion(question=q, sort_order=i) for i, q in enumerate(questions)
        ]
        course.add_child(instance=quiz)
        quiz.save_revision().publish()
    quiz.refresh_from_db()
    return quiz


RIGHT = {
    SingleChoiceKey: lambda key: next(iter(key.correct)),
    MultipleResponseKey: lambda key: key.correct,
    TrueFalseKey: lambda key: key.answer,
    MatchingKey: lambda key: {prompt: min(ok) for prompt, ok in key.matches.items()},
    OrderingKey: lambda key: dict(key.positions),
}


def right_answers(attempt) -> dict:
    """The full-marks answers of an attempt, as `attempt_save_answers` takes them."""
    keys = layout_keys(attempt.layout, questions_with_children(attempt.question_ids))
    return {pk: RIGHT[type(key)](key) for pk, key in keys.items()}


def post_data(attempt, answers, action="submit") -> dict:
    """The POST a browser sends for `answers` through the attempt's form: its tokens; radios
    and checkboxes left empty are absent, selects always sent ("" when empty)."""
    data = {"action": action}
    for entry in attempt.layout:
        values = QUESTION_TYPES[entry["type"]].initial(entry, answers.get(entry["question"]))
        for name, value in values.items():
            if value or "prompts" in entry:
                data[name] = value
    return data
