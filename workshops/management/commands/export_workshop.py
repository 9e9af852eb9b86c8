import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workshops.models import Workshop
from workshops.packages import workshop_export


class Command(BaseCommand):
    help = (
        "Write a workshop as tadrib.workshop/1 JSON: metadata, sessions, course slugs, test quiz "
        "slugs; no personal data (docs/workshops.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("file", help="where to write the JSON ('-': standard output)")

    def handle(self, *args, slug, file, **options):
        workshop = Workshop.objects.filter(slug=slug).first()
        if workshop is None:
            raise CommandError(f"No workshop with the slug {slug!r}.")
        text = json.dumps(workshop_export(workshop), ensure_ascii=False, indent=2) + "\n"
        if file == "-":
            self.stdout.write(text, ending="")
            return
        Path(file).write_text(text, encoding="utf-8")
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {slug!r}: {workshop.sessions.count()} sessions, "
                f"{workshop.courses.count()} courses → {file}"
            )
        )
