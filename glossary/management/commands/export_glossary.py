import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from glossary.selectors import glossary_export


class Command(BaseCommand):
    help = "Write the glossary as CSV (UTF-8 with BOM) to FILE, or to standard output for -."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        text = glossary_export()
        if file == "-":
            sys.stdout.write(text)
            return
        Path(file).write_bytes(text.encode("utf-8"))
        self.stdout.write(self.style.SUCCESS(f"Glossary written to {file}"))
