"""Reads for exporting questions to Moodle XML or GIFT: a category (with the categories
inside it) or a quiz's questions, in the neutral form the writers take."""

from courses.packages import translated_values

from ..models import Question, QuestionCategory, QuizPage
from ..packages import question_export
from ..selectors import questions_with_children
from . import gift, moodle_xml
from .common import BankImage, BankQuestion, Note


def category_paths() -> dict[int, tuple[str, ...]]:
    """Every category's path from the top of the bank (one query)."""
    rows = {
        pk: (name, parent)
        for pk, name, parent in QuestionCategory.objects.values_list("pk", "name_en", "parent_id")
    }
    paths: dict[int, tuple[str, ...]] = {}

    def path(pk, seen=()):
        if pk not in paths:
            name, parent = rows[pk]
            above = path(parent, (*seen, pk)) if parent in rows and parent not in seen else ()
            paths[pk] = (*above, name)
        return paths[pk]

    for pk in rows:
        path(pk)
    return paths


def category_descendants(category: QuestionCategory) -> list[int]:
    """The category and every category inside it, at any depth, top first."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in QuestionCategory.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, queue = [], [category.pk]
    while queue:
        pk = queue.pop(0)
        if pk in found:
            continue
        found.append(pk)
        queue += sorted(children.get(pk, []))
    return found


def _bank(questions: list[tuple[Question, int | None]]) -> list[BankQuestion]:
    paths = category_paths()
    bank = []
    for question, marks in questions:
        image = None
        if question.image is not None:
            with question.image.file.open("rb") as handle:
                content = handle.read()
            image = BankImage(
                filename=question.image.file.name.rsplit("/", 1)[-1],
                content=content,
                alt=translated_values(question, "image_alt"),
            )
        bank.append(
            BankQuestion(
                name=question.name,
                category=paths.get(question.category_id, ()),
                data=question_export(question, marks),
                image=image,
            )
        )
    return bank


def category_questions(category: QuestionCategory) -> list[BankQuestion]:
    """The questions of `category` and of the categories inside it, category by category."""
    order = category_descendants(category)
    ids = Question.objects.filter(category_id__in=order).values_list("pk", flat=True)
    questions = questions_with_children(ids)
    rank = {pk: at for at, pk in enumerate(order)}
    ordered = sorted(questions.values(), key=lambda q: (rank[q.category_id], q.pk))
    return _bank([(question, None) for question in ordered])


def quiz_questions(quiz: QuizPage) -> list[BankQuestion]:
    """A quiz's own questions in its order, with the marks the quiz gives them (random draws
    are left out, as in course packages)."""
    picked = list(quiz.quiz_questions.all().order_by("sort_order", "pk"))
    questions = questions_with_children(qq.question_id for qq in picked)
    return _bank(
        [(questions[qq.question_id], qq.marks) for qq in picked if qq.question_id in questions]
    )


FORMATS = {"moodle_xml": ".xml", "gift": ".txt"}


def questions_file(questions: list[BankQuestion], *, file_format: str) -> tuple[bytes, list[Note]]:
    """The file's bytes in `file_format` ("moodle_xml" or "gift") and what it left out."""
    if file_format == "gift":
        text, notes = gift.write(questions)
        return text.encode("utf-8"), notes
    return moodle_xml.write(questions), []
