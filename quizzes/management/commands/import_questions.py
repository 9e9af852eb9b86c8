from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quizzes.interchange.services import InterchangeError, questions_import

LANGUAGES = [code for code, _name in settings.LANGUAGES]


class Command(BaseCommand):
    help = (
        "Import questions from a Moodle XML (.xml) or GIFT (.txt, .gift; UTF-8 or Windows-1252) "
        "file into the question bank. A file with a syntax error is refused whole, nothing "
        "written; questions that cannot be imported are skipped, and the report lists every "
        "question skipped or changed (docs/question-import.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--category",
            default="",
            help="bank category to import into, as A/B (the file's own categories nest inside "
            "it); default: a category named after the file, unless the file has categories",
        )
        parser.add_argument(
            "--language",
            default="en",
            choices=LANGUAGES,
            help="language of text without multi-language markers (default: en)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and print the report; write nothing"
        )

    def handle(self, *args, file, category, language, dry_run, **options):
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        try:
            report = questions_import(
                data=data, filename=file, category=category, language=language, dry_run=dry_run
            )
        except InterchangeError as error:
            raise CommandError(f"{file}: refused, nothing was imported. {error.message}") from error
        for note in report.notes:
            verb = "skipped" if note.skipped else "changed"
            self.stdout.write(f"{verb}: {note.question}: {note.message}")
        label = "Moodle XML" if report.format == "moodle_xml" else "GIFT"
        counts = (
            f"{report.imported} question(s), {report.skipped} skipped, "
            f"{len(report.changes)} change(s)"
        )
        where = "; ".join(report.categories) or "-"
        if dry_run:
            self.stdout.write(
                f"Dry run ({label}), nothing written: would import {counts} into {where}."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported ({label}) {counts} into {where}."))
