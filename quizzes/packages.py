"""Quizzes in course packages (`tadrib.course/1`, DESIGN.md "Contracts").

`quiz_validate` is pure and reports every problem with its place; `quiz_create` runs inside
the importer's transaction; `quiz_export` gives back the package form, so that
export(import(x)) == x.
"""

from django.db import transaction

from courses.packages import (
    ActivityHandler,
    int_problems,
    set_translated,
    text_problems,
    translated_values,
)

from .models import (
    Choice,
    GradingChoices,
    MatchingPair,
    OrderingItem,
    Question,
    QuestionCategory,
    QuizPage,
    QuizQuestion,
)
from .scoring import Problem, QuestionType, question_problems

QUESTION_TYPES = [t.value for t in QuestionType]
GRADINGS = [g.value for g in GradingChoices]
# Plain-text fields and their maximum lengths (see the models).
PLAIN_MAX = {"choice": 500, "choice_feedback": 1000, "prompt": 500, "answer": 500, "item": 500}


def _bool_problems(data: dict, key: str, place: str, *, required: bool = False) -> list[str]:
    if key not in data:
        return [f"{place}.{key}: missing"] if required else []
    if not isinstance(data[key], bool):
        return [f"{place}.{key}: expected true or false"]
    return []


def _plain_problems(value, place: str, max_length: int, *, required: bool = True) -> list[str]:
    problems = text_problems(value, place, required=required)
    if not problems and isinstance(value, dict):
        problems += [
            f"{place}.{code}: longer than {max_length} characters"
            for code, text in value.items()
            if isinstance(text, str) and len(text) > max_length
        ]
    return problems


def _list(data: dict, key: str, place: str, problems: list[str]) -> list:
    value = data.get(key)
    if not isinstance(value, list):
        problems.append(f"{place}.{key}: expected a list")
        return []
    return value


def question_validate(question, place: str) -> list[str]:
    if not isinstance(question, dict):
        return [f"{place}: expected an object"]
    kind = question.get("type")
    if kind not in QUESTION_TYPES:
        return [f"{place}.type: expected one of {', '.join(QUESTION_TYPES)}, got {kind!r}"]
    problems = text_problems(question.get("text"), f"{place}.text")
    problems += text_problems(question.get("feedback"), f"{place}.feedback", required=False)
    marks = question.get("marks", 1)
    problems += int_problems(marks, f"{place}.marks", minimum=1, maximum=100)
    correct_flags: list[bool] = []
    pairs = items = 0
    if kind in ("single", "multiple"):
        for i, choice in enumerate(_list(question, "choices", place, problems)):
            where = f"{place}.choices[{i}]"
            if not isinstance(choice, dict):
                problems.append(f"{where}: expected an object")
                continue
            problems += _plain_problems(choice.get("text"), f"{where}.text", PLAIN_MAX["choice"])
            problems += _plain_problems(
                choice.get("feedback"),
                f"{where}.feedback",
                PLAIN_MAX["choice_feedback"],
                required=False,
            )
            problems += _bool_problems(choice, "correct", where, required=True)
            correct_flags.append(choice.get("correct") is True)
        if kind == "multiple":
            problems += _bool_problems(question, "all_or_nothing", place)
    elif kind == "true_false":
        problems += _bool_problems(question, "answer", place, required=True)
    elif kind == "matching":
        for i, pair in enumerate(_list(question, "pairs", place, problems)):
            where = f"{place}.pairs[{i}]"
            if not isinstance(pair, dict):
                problems.append(f"{where}: expected an object")
                continue
            problems += _plain_problems(pair.get("prompt"), f"{where}.prompt", PLAIN_MAX["prompt"])
            problems += _plain_problems(pair.get("answer"), f"{where}.answer", PLAIN_MAX["answer"])
            pairs += 1
    else:
        for i, item in enumerate(_list(question, "items", place, problems)):
            problems += _plain_problems(item, f"{place}.items[{i}]", PLAIN_MAX["item"])
            items += 1
    if not problems:
        where = {
            Problem.NO_CORRECT_CHOICE: "choices",
            Problem.MORE_THAN_ONE_CORRECT: "choices",
            Problem.TOO_FEW_CHOICES: "choices",
            Problem.TOO_FEW_PAIRS: "pairs",
            Problem.TOO_FEW_ITEMS: "items",
            Problem.NO_ANSWER: "answer",
            Problem.NO_MARKS: "marks",
        }
        problems += [
            f"{place}.{where[problem]}: {problem.value}"
            for problem in question_problems(
                type=kind,
                marks=marks,
                correct_flags=correct_flags,
                answer=question.get("answer"),
                pairs=pairs,
                items=items,
            )
        ]
    return problems


def quiz_validate(data: dict, place: str) -> list[str]:
    """Every problem in a quiz activity, as "place.sub.path: message"."""
    problems = text_problems(data.get("title"), f"{place}.title")
    problems += text_problems(data.get("intro"), f"{place}.intro", required=False)
    problems += _bool_problems(data, "required", place)
    problems += _bool_problems(data, "shuffle", place)
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


def question_create(*, category: QuestionCategory, data: dict) -> Question:
    """A bank question from its package form (already validated)."""
    question = Question(
        category=category,
        type=data["type"],
        marks=data.get("marks", 1),
        all_or_nothing=data.get("all_or_nothing", False),
        true_false_answer=data.get("answer") if data["type"] == "true_false" else None,
    )
    set_translated(question, "text", data["text"], html=True)
    set_translated(question, "feedback", data.get("feedback"), html=True)
    # sort_order is the authored order (for ordering items, the correct order).
    for position, choice_data in enumerate(data.get("choices", [])):
        choice = Choice(correct=choice_data["correct"], sort_order=position)
        set_translated(choice, "text", choice_data["text"])
        set_translated(choice, "feedback", choice_data.get("feedback"))
        question.choices.add(choice)
    for position, pair_data in enumerate(data.get("pairs", [])):
        pair = MatchingPair(sort_order=position)
        set_translated(pair, "prompt", pair_data["prompt"])
        set_translated(pair, "answer", pair_data["answer"])
        question.pairs.add(pair)
    for position, item_data in enumerate(data.get("items", [])):
        item = OrderingItem(sort_order=position)
        set_translated(item, "text", item_data)
        question.items.add(item)
    question.save()
    return question


def quiz_create(*, course, data: dict, category_name: str) -> QuizPage:
    """Create the quiz's questions in the bank (category `category_name`) and the published
    QuizPage under `course`. Runs inside the caller's transaction."""
    with transaction.atomic():
        category = QuestionCategory.objects.filter(name_en=category_name).first()
        if category is None:
            category = QuestionCategory(name=category_name)
            set_translated(category, "name", {"en": category_name})
            category.save()
        questions = [question_create(category=category, data=q) for q in data["questions"]]
        shuffle = data.get("shuffle", False)
        page = QuizPage(
            slug=data["slug"],
            required=data.get("required", True),
            pass_mark=data.get("pass_mark", 70),
            attempts_allowed=data.get("max_attempts", 3),
            grading=data.get("grading", GradingChoices.HIGHEST),
            time_limit_minutes=data.get("time_limit_minutes", 0),
            shuffle_questions=shuffle,
            shuffle_choices=shuffle,
        )
        set_translated(page, "title", data["title"])
        set_translated(page, "intro", data.get("intro"), html=True)
        page.title = page.title_en
        page.slug_en = data["slug"]
        page.quiz_questions = [
            QuizQuestion(question=q, sort_order=position) for position, q in enumerate(questions)
        ]
        course.refresh_from_db()
        course.add_child(instance=page)
        page.save_revision().publish()
    return page


def question_export(question: Question, marks: int | None = None) -> dict:
    data: dict = {
        "type": question.type,
        "marks": marks or question.marks,
        "text": translated_values(question, "text"),
    }
    if feedback := translated_values(question, "feedback"):
        data["feedback"] = feedback
    if question.type in ("single", "multiple"):
        choices = []
        for choice in question.choices.all():
            entry = {"text": translated_values(choice, "text"), "correct": choice.correct}
            if feedback := translated_values(choice, "feedback"):
                entry["feedback"] = feedback
            choices.append(entry)
        data["choices"] = choices
        if question.type == "multiple":
            data["all_or_nothing"] = question.all_or_nothing
    elif question.type == "true_false":
        data["answer"] = bool(question.true_false_answer)
    elif question.type == "matching":
        data["pairs"] = [
            {"prompt": translated_values(p, "prompt"), "answer": translated_values(p, "answer")}
            for p in question.pairs.all()
        ]
    else:
        data["items"] = [translated_values(item, "text") for item in question.items.all()]
    return data


def quiz_export(page: QuizPage) -> dict:
    """The quiz in package form. Random draws have no package form and are left out."""
    picked = page.quiz_questions.all().select_related("question").order_by("sort_order", "pk")
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
        "questions": [question_export(qq.question, qq.marks) for qq in picked],
    }
    if intro := translated_values(page, "intro"):
        data["intro"] = intro
    return data


class QuizHandler(ActivityHandler):
    type = "quiz"
    model = QuizPage

    def validate(self, data: dict, place: str, *, media: frozenset[str]) -> list[str]:
        return quiz_validate(data, place)

    def create(self, *, course, data: dict, media):
        return quiz_create(course=course, data=data, category_name=course.title_en)

    def export(self, page, *, media: dict[str, bytes]) -> dict:
        return quiz_export(page)
