"""Quizzes in course packages (`tadrib.course/1`, docs/course-packages.md; docs/quizzes.md).

`quiz_validate` is pure and reports every problem with its place; `quiz_create` and
`quiz_update` run inside the importer's transaction; `quiz_export` gives back the package
form, so that export(import(x)) == x, and export after a replace equals the package.

A replace never changes a bank question under the attempts that used it: a question whose
content is unchanged is kept as it is, a changed one becomes a new question (a new version)
and the old row stays for as long as attempts or other quizzes refer to it.
"""

from django.db import transaction
from django.db.models import Q

from courses.packages import (
    ActivityHandler,
    int_problems,
    set_translated,
    text_problems,
    translated_values,
)

from .models import GradingChoices, Question, QuestionCategory, QuizPage, QuizQuestion, Response
from .question_types import QUESTION_TYPES, bool_problems
from .selectors import questions_with_children

GRADINGS = [g.value for g in GradingChoices]


def question_validate(question, place: str) -> list[str]:
    if not isinstance(question, dict):
        return [f"{place}: expected an object"]
    name = question.get("type")
    kind = QUESTION_TYPES.get(name) if isinstance(name, str) else None
    if kind is None:
        return [f"{place}.type: expected one of {', '.join(QUESTION_TYPES)}, got {name!r}"]
    problems = text_problems(question.get("text"), f"{place}.text")
    problems += text_problems(question.get("feedback"), f"{place}.feedback", required=False)
    problems += int_problems(question.get("marks", 1), f"{place}.marks", minimum=1, maximum=100)
    if "grading" in question:  # optional: packages written before stay valid
        problems += kind.grading_problems(question["grading"], place)
    return problems + kind.package_problems(question, place)


def quiz_validate(data: dict, place: str) -> list[str]:
    """Every problem in a quiz activity, as "place.sub.path: message"."""
    problems = text_problems(data.get("title"), f"{place}.title")
    problems += text_problems(data.get("intro"), f"{place}.intro", required=False)
    problems += bool_problems(data, "required", place)
    problems += bool_problems(data, "shuffle", place)
    problems += bool_problems(data, "one_per_page", place)
    if "pass_mark" in data:
        problems += int_problems(data["pass_mark"], f"{place}.pass_mark", maximum=100)
    if "max_attempts" in data:
        problems += int_problems(data["max_attempts"], f"{place}.max_attempts", maximum=1000)
    if "time_limit_minutes" in data:
        problems += int_problems(
            data["time_limit_minutes"], f"{place}.time_limit_minutes", maximum=10_000
        )
    if "grading" in data and data["grading"] not in GRADINGS:
        problems.append(f"{place}.grading: expected one of {', '.join(GRADINGS)}")
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.append(f"{place}.questions: expected a non-empty list")
        return problems
    for i, question in enumerate(questions):
        problems += question_validate(question, f"{place}.questions[{i}]")
    return problems


def question_build(*, data: dict) -> Question:
    """An unsaved bank question, with its child rows in memory, from its package form (valid);
    `category` is left for the caller to set."""
    kind = QUESTION_TYPES[data["type"]]
    grading = data.get("grading", "")
    question = Question(
        type=data["type"],
        marks=data.get("marks", 1),
        grading="" if grading == kind.usual_grading else grading,
    )
    set_translated(question, "text", data["text"], html=True)
    set_translated(question, "feedback", data.get("feedback"), html=True)
    kind.build(question, data)
    return question


def question_create(*, category: QuestionCategory, data: dict) -> Question:
    """A bank question from its package form (already validated)."""
    question = question_build(data=data)
    question.category = category
    question.save()
    return question


def question_content(question: Question) -> dict:
    """What a question says, in package form without its marks (which a quiz may override):
    two questions with the same content are the same question to a learner."""
    data: dict = {"type": question.type, "text": translated_values(question, "text")}
    if question.grading:  # the type's usual rule is written as no key
        data["grading"] = question.grading
    if feedback := translated_values(question, "feedback"):
        data["feedback"] = feedback
    return {**data, **QUESTION_TYPES[question.type].export(question)}


def question_export(question: Question, marks: int | None = None) -> dict:
    content = question_content(question)
    return {"type": content.pop("type"), "marks": marks or question.marks, **content}


def _quiz_fill(page: QuizPage, data: dict) -> None:
    """The quiz's own settings from valid package data (questions apart)."""
    shuffle = data.get("shuffle", False)
    page.required = data.get("required", True)
    page.pass_mark = data.get("pass_mark", 70)
    page.attempts_allowed = data.get("max_attempts", 3)
    page.grading = data.get("grading", GradingChoices.HIGHEST)
    page.time_limit_minutes = data.get("time_limit_minutes", 0)
    page.shuffle_questions = page.shuffle_choices = shuffle
    page.one_per_page = data.get("one_per_page", False)
    set_translated(page, "title", data["title"])
    set_translated(page, "intro", data.get("intro"), html=True)
    page.title = page.title_en
    page.slug = page.slug_en = data["slug"]


def _bank_category(name: str) -> QuestionCategory:
    category = QuestionCategory.objects.filter(name_en=name).first()
    if category is None:
        category = QuestionCategory(name=name)
        set_translated(category, "name", {"en": name})
        category.save()
    return category


def quiz_create(*, course, data: dict, category_name: str) -> QuizPage:
    """Create the quiz's questions in the bank (category `category_name`) and the published
    QuizPage under `course`. Runs inside the caller's transaction."""
    with transaction.atomic():
        category = _bank_category(category_name)
        questions = [question_create(category=category, data=q) for q in data["questions"]]
        page = QuizPage()
        _quiz_fill(page, data)
        page.quiz_questions = [
            QuizQuestion(question=q, sort_order=position) for position, q in enumerate(questions)
        ]
        course.refresh_from_db()
        course.add_child(instance=page)
        page.save_revision().publish()
    return page


def quiz_update(*, page: QuizPage, data: dict, category_name: str) -> QuizPage:
    """Change the quiz `page` in place from valid package data and publish it.

    The page keeps its id, so learners keep their progress, attempts and grades. Each package
    question takes the quiz's question with the same content if there is one (kept as it is:
    attempts that used it are untouched); otherwise it is created as a new bank question,
    beside the quiz's others. Questions that leave the quiz are deleted from the bank only when
    nothing refers to them (no response, no other quiz). Random draws are not in the package
    format and are kept. Runs inside the caller's transaction.
    """
    with transaction.atomic():
        current = list(page.quiz_questions.all().order_by("sort_order", "pk"))
        bank = questions_with_children(qq.question_id for qq in current)
        available = {
            qq.question_id: question_content(bank[qq.question_id])
            for qq in current
            if qq.question_id in bank
        }
        category = None
        picked = []
        for position, question_data in enumerate(data["questions"]):
            candidate = question_build(data=question_data)
            content = question_content(candidate)
            same = next((pk for pk, known in available.items() if known == content), None)
            if same is not None:
                del available[same]
                question = bank[same]
            else:
                if category is None:
                    category = (
                        bank[current[0].question_id].category
                        if current and current[0].question_id in bank
                        else _bank_category(category_name)
                    )
                candidate.category = category
                candidate.save()
                question = candidate
            marks = question_data.get("marks", 1)
            picked.append(
                QuizQuestion(
                    question=question,
                    sort_order=position,
                    marks=None if marks == question.marks else marks,
                )
            )
        _quiz_fill(page, data)
        page.quiz_questions = picked
        page.save_revision().publish()
        _questions_forget(available)
    return page


def _questions_forget(question_ids) -> None:
    """Delete the bank questions nothing refers to any more; keep the others (an attempt's
    review, another quiz)."""
    Question.objects.filter(pk__in=list(question_ids)).exclude(
        Q(pk__in=Response.objects.values("question_id"))
        | Q(pk__in=QuizQuestion.objects.values("question_id"))
    ).delete()


def quiz_export(page: QuizPage) -> dict:
    """The quiz in package form. Random draws have no package form and are left out."""
    picked = list(page.quiz_questions.all().order_by("sort_order", "pk"))
    questions = questions_with_children(qq.question_id for qq in picked)
    data = {
        "type": "quiz",
        "slug": page.slug_en or page.slug,
        "title": translated_values(page, "title"),
        "required": page.required,
        "pass_mark": page.pass_mark,
        "max_attempts": page.attempts_allowed,
        "grading": page.grading,
        "time_limit_minutes": page.time_limit_minutes,
        "shuffle": page.shuffle_questions or page.shuffle_choices,
        "questions": [question_export(questions[qq.question_id], qq.marks) for qq in picked],
    }
    if intro := translated_values(page, "intro"):
        data["intro"] = intro
    if page.one_per_page:  # optional, false when absent: packages written before stay valid
        data["one_per_page"] = True
    return data


class QuizHandler(ActivityHandler):
    type = "quiz"
    model = QuizPage

    def validate(self, data: dict, place: str, *, media: frozenset[str]) -> list[str]:
        return quiz_validate(data, place)

    def create(self, *, course, data: dict, media):
        return quiz_create(course=course, data=data, category_name=course.title_en)

    def update(self, *, course, page, data: dict, media):
        return quiz_update(page=page, data=data, category_name=course.title_en)

    def export(self, page, *, media: dict[str, bytes]) -> dict:
        return quiz_export(page)
