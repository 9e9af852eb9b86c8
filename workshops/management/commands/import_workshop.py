import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.packages import PackageError
from workshops.packages import workshop_import


class Command(BaseCommand):
    help = (
        "Import a tadrib.workshop/1 JSON file. A bad file is refused as a whole, every problem "
        "listed with its place; nothing is written. Courses and test quizzes are named by slug "
        "and must exist (docs/workshops.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            data = json.loads(Path(file).read_text(encoding="utf-8-sig"))
        except FileNotFoundError as error:
            raise CommandError(f"{file}: no such file") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{file}: not JSON text ({error})") from error
        try:
            workshop = workshop_import(data)
        except PackageError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{file}: refused, {len(error.problems)} problem(s); nothing was imported."
            ) from error
        self.stdout.write(self.style.SUCCESS(f"Imported {workshop.slug!r}: {workshop.title_en}"))
