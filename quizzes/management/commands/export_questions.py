from django.core.management.base import BaseCommand, CommandError

from quizzes.interchange.selectors import category_questions, questions_file, quiz_questions
from quizzes.models import QuestionCategory, QuizPage


def category_at(path: str) -> QuestionCategory | None:
    """The bank category at "A/B" (English names, from the top)."""
    category = None
    for name in (part.strip() for part in path.split("/") if part.strip()):
        category = QuestionCategory.objects.filter(parent=category, name_en=name).first()
        if category is None:
            return None
    return category


class Command(BaseCommand):
    help = (
        "Export a bank category (with the categories inside it) or a quiz's questions to "
        "Moodle XML (FILE.xml) or GIFT (FILE.txt or FILE.gift), so the bank can go back to "
        "Moodle."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="where to write: .xml for Moodle XML, .txt or .gift for GIFT"
        )
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--category", help="bank category path, as A/B")
        source.add_argument("--quiz", help="the quiz's (English) slug")

    def handle(self, *args, file, category, quiz, **options):
        if category:
            found = category_at(category)
            if found is None:
                raise CommandError(f"No bank category {category!r}.")
            questions = category_questions(found)
        else:
            page = QuizPage.objects.filter(slug_en=quiz).first()
            if page is None:
                raise CommandError(f"No quiz with the slug {quiz!r}.")
            questions = quiz_questions(page)
        file_format = "gift" if file.lower().endswith((".txt", ".gift")) else "moodle_xml"
        data, notes = questions_file(questions, file_format=file_format)
        with open(file, "wb") as handle:
            handle.write(data)
        for note in notes:
            self.stdout.write(f"note: {note.question}: {note.message}")
        self.stdout.write(self.style.SUCCESS(f"Exported {len(questions)} question(s) to {file}."))
