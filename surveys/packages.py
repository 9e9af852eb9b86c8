"""Surveys in course packages (`tadrib.course/1`; docs/surveys.md, "Package format").

`survey_validate` is pure and names the place of every problem; `survey_create` and
`survey_update` run inside the importer's transaction; `survey_export` gives back the
package form, so that export(import(x)) == x. A replace keeps the questions in place by
position (and so the answers to them) while their kind is unchanged.
"""

from datetime import UTC, datetime

from django.db import transaction

from courses.packages import (
    LANGUAGE_CODES,
    ActivityHandler,
    PackageError,
    bool_problems,
    int_problems,
    set_translated,
    text_problems,
    translated_values,
)

from .models import (
    LISTED_KINDS,
    TEXT_LIMIT,
    QuestionKind,
    SurveyPage,
    SurveyParticipation,
    SurveyQuestion,
    lines,
)

KINDS = [k.value for k in QuestionKind]


def _list_problems(value, place: str, *, minimum: int, required: bool = True) -> list[str]:
    """A translated list of plain lines: {"en": [...], "fr": [...]}, same length everywhere."""
    if value is None and not required:
        return []
    if not isinstance(value, dict):
        return [f"{place}: expected an object with one list per language"]
    problems = []
    english = value.get("en")
    for code, items in value.items():
        if code not in LANGUAGE_CODES:
            problems.append(f"{place}.{code}: unknown language")
        elif not isinstance(items, list) or not all(
            isinstance(i, str) and i.strip() and "\n" not in i and len(i) <= 300 for i in items
        ):
            problems.append(f"{place}.{code}: expected a list of one-line texts (≤ 300 characters)")
        elif code != "en" and items and isinstance(english, list) and len(items) != len(english):
            problems.append(f"{place}.{code}: {len(items)} items, English has {len(english)}")
    if not isinstance(english, list) or len(english) < minimum:
        problems.append(f"{place}.en: at least {minimum} items")
    return problems


def _date_problem(value, place: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, str):
        return [f"{place}: expected a date and time, YYYY-MM-DDTHH:MM:SS+00:00"]
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return [f"{place}: expected a date and time, YYYY-MM-DDTHH:MM:SS+00:00"]
    if parsed.tzinfo is None:
        return [f"{place}: the time zone is required (e.g. +00:00)"]
    return []


def question_validate(question, place: str) -> list[str]:
    if not isinstance(question, dict):
        return [f"{place}: expected an object"]
    kind = question.get("type")
    if kind not in KINDS:
        return [f"{place}.type: expected one of {', '.join(KINDS)}, got {kind!r}"]
    problems = text_problems(question.get("text"), f"{place}.text")
    problems += bool_problems(question, "required", place)
    if kind in LISTED_KINDS:
        problems += _list_problems(question.get("options"), f"{place}.options", minimum=2)
    if kind == QuestionKind.SCALE:
        points = question.get("points", 5)
        if points not in (5, 7) or isinstance(points, bool):
            problems.append(f"{place}.points: expected 5 or 7")
        problems += bool_problems(question, "not_applicable", place)
        labels = question.get("labels")
        if labels is not None:
            problems += _list_problems(labels, f"{place}.labels", minimum=0)
            if isinstance(labels, dict):
                for code, items in labels.items():
                    if isinstance(items, list) and items and len(items) != points:
                        problems.append(f"{place}.labels.{code}: one label per point ({points})")
    if kind == QuestionKind.TEXT and "max_length" in question:
        problems += int_problems(
            question["max_length"], f"{place}.max_length", minimum=1, maximum=TEXT_LIMIT
        )
    return problems


def survey_validate(data: dict, place: str) -> list[str]:
    """Every problem in a survey activity, as "place.sub.path: message"."""
    problems = text_problems(data.get("title"), f"{place}.title")
    problems += text_problems(data.get("intro"), f"{place}.intro", required=False)
    problems += bool_problems(data, "required", place)
    problems += bool_problems(data, "anonymous", place)
    problems += _date_problem(data.get("opens_at"), f"{place}.opens_at")
    problems += _date_problem(data.get("closes_at"), f"{place}.closes_at")
    if (
        not problems
        and data.get("opens_at")
        and data.get("closes_at")
        and datetime.fromisoformat(data["closes_at"]) <= datetime.fromisoformat(data["opens_at"])
    ):
        problems.append(f"{place}.closes_at: before the survey opens")
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.append(f"{place}.questions: expected a non-empty list")
        return problems
    for i, question in enumerate(questions):
        problems += question_validate(question, f"{place}.questions[{i}]")
    return problems


def _set_lines(obj, field: str, value: dict | None) -> None:
    for code in LANGUAGE_CODES:
        setattr(obj, f"{field}_{code}", "\n".join((value or {}).get(code) or []))


def _question_fill(question: SurveyQuestion, data: dict) -> None:
    question.kind = data["type"]
    question.required = data.get("required", True)
    set_translated(question, "text", data["text"], html=True)
    _set_lines(question, "options", data.get("options") if question.kind in LISTED_KINDS else None)
    question.scale_points = data.get("points", 5)
    question.not_applicable = data.get("not_applicable", False)
    _set_lines(question, "scale_labels", data.get("labels"))
    question.max_length = data.get("max_length", 1000)


def _parse(value):
    return datetime.fromisoformat(value) if value else None


def _survey_fill(page: SurveyPage, data: dict) -> None:
    page.required = data.get("required", True)
    page.anonymous = data.get("anonymous", True)
    page.opens_at = _parse(data.get("opens_at"))
    page.closes_at = _parse(data.get("closes_at"))
    set_translated(page, "title", data["title"])
    set_translated(page, "intro", data.get("intro"), html=True)
    page.title = page.title_en
    page.slug = page.slug_en = data["slug"]


def survey_create(*, course, data: dict) -> SurveyPage:
    with transaction.atomic():
        page = SurveyPage()
        _survey_fill(page, data)
        questions = []
        for position, question_data in enumerate(data["questions"]):
            question = SurveyQuestion(sort_order=position)
            _question_fill(question, question_data)
            questions.append(question)
        page.questions = questions
        course.refresh_from_db()
        course.add_child(instance=page)
        page.save_revision().publish()
    return page


def survey_update(*, page: SurveyPage, data: dict) -> SurveyPage:
    """Change `page` in place: the question at each position keeps its row (and its answers)
    when its kind is unchanged; the others are replaced. Anonymity never changes once people
    have responded (the page's own rule refuses it, reported at the activity's place)."""
    with transaction.atomic():
        current = list(page.questions.all().order_by("sort_order", "pk"))
        picked = []
        for position, question_data in enumerate(data["questions"]):
            same = (
                current[position]
                if position < len(current) and current[position].kind == question_data["type"]
                else None
            )
            question = same or SurveyQuestion()
            question.sort_order = position
            _question_fill(question, question_data)
            picked.append(question)
        if data.get("anonymous", True) != page.anonymous and (
            SurveyParticipation.objects.filter(survey=page).exists()
        ):
            raise PackageError(["anonymous: people have already responded; it cannot change"])
        _survey_fill(page, data)
        page.questions = picked
        page.save_revision().publish()
    return page


def _when(value) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat()


def _lines_export(obj, field: str) -> dict:
    found = {}
    for code in LANGUAGE_CODES:
        items = lines(getattr(obj, f"{field}_{code}", ""))
        if items:
            found[code] = items
    return found


def question_export(question: SurveyQuestion) -> dict:
    data: dict = {
        "type": question.kind,
        "text": translated_values(question, "text"),
        "required": question.required,
    }
    if question.kind in LISTED_KINDS:
        data["options"] = _lines_export(question, "options")
    if question.kind == QuestionKind.SCALE:
        data["points"] = question.scale_points
        data["not_applicable"] = question.not_applicable
        if labels := _lines_export(question, "scale_labels"):
            data["labels"] = labels
    if question.kind == QuestionKind.TEXT:
        data["max_length"] = question.max_length
    return data


def survey_export(page: SurveyPage) -> dict:
    data: dict = {
        "type": "survey",
        "slug": page.slug_en or page.slug,
        "title": translated_values(page, "title"),
        "required": page.required,
        "anonymous": page.anonymous,
    }
    if intro := translated_values(page, "intro"):
        data["intro"] = intro
    for name in ("opens_at", "closes_at"):
        if (value := _when(getattr(page, name))) is not None:
            data[name] = value
    data["questions"] = [
        question_export(q) for q in page.questions.all().order_by("sort_order", "pk")
    ]
    return data


class SurveyHandler(ActivityHandler):
    type = "survey"
    model = SurveyPage

    def validate(self, data: dict, place: str, *, media: frozenset[str]) -> list[str]:
        return survey_validate(data, place)

    def create(self, *, course, data: dict, media):
        return survey_create(course=course, data=data)

    def update(self, *, course, page, data: dict, media):
        return survey_update(page=page, data=data)

    def export(self, page, *, media: dict[str, bytes]) -> dict:
        return survey_export(page)
