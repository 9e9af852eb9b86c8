from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from glossary.exchange import COLUMNS
from glossary.services import GlossaryImportError, glossary_import


class Command(BaseCommand):
    help = (
        f"Create or update glossary terms from a CSV ({','.join(COLUMNS)}). Every row valid or "
        "nothing is written; terms are matched by slug and those missing from the file kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            text = Path(file).read_bytes().decode("utf-8-sig")
        except FileNotFoundError as error:
            raise CommandError(f"{file}: no such file") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file}: not UTF-8 text") from error
        try:
            result = glossary_import(text=text)
        except GlossaryImportError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{file}: refused, {len(error.problems)} problem(s); nothing was imported."
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Glossary imported: {result.created} new, {result.updated} changed, "
                f"{result.unchanged} unchanged."
            )
        )
