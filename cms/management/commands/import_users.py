from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.user_import import UserImportError, links_csv, users_import


class Command(BaseCommand):
    help = (
        "Create users from a CSV (username,email,first_name,last_name,organisation,country,role,"
        "language; docs/user-csv.md). All rows valid or nothing is written. An organisation "
        "that does not exist is an error, naming the closest ones, unless "
        "--create-organisations is given. Writes one single-use set-password link per user to "
        "--links (default: FILE with .links.csv)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--links", help="where to write the set-password links (CSV)")
        parser.add_argument(
            "--base-url", default=settings.WAGTAILADMIN_BASE_URL, help="the site's public address"
        )
        parser.add_argument(
            "--create-organisations",
            action="store_true",
            help="create organisations the file names that do not exist (each one is listed)",
        )

    def handle(self, *args, file, links, base_url, create_organisations, **options):
        try:
            text = Path(file).read_bytes().decode("utf-8-sig")
        except FileNotFoundError as error:
            raise CommandError(f"{file}: no such file") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file}: not UTF-8 text") from error
        try:
            result = users_import(
                text=text, base_url=base_url, create_organisations=create_organisations
            )
        except UserImportError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{file}: refused, {len(error.problems)} bad row(s); no user was created."
            ) from error
        target = links or str(Path(file).with_suffix("")) + ".links.csv"
        Path(target).write_text(links_csv(result.links), encoding="utf-8")
        for organisation in result.organisations_created:
            self.stdout.write(
                f"Created the organisation {organisation.name_en} ({organisation.country.code})"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Created {len(result.links)} users; set-password links in {target}")
        )
