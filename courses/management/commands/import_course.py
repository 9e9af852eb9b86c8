from django.core.management.base import BaseCommand, CommandError

from courses.packages import PackageError, package_read
from courses.services import course_import


class Command(BaseCommand):
    help = (
        "Import a tadrib.course/1 package (.json, or .zip with course.json and media/). A bad "
        "package is refused as a whole, every problem listed with its place; nothing is written. "
        "The format: docs/course-packages.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="update the course with the same slug, keeping progress on activities that remain",
        )

    def handle(self, *args, file, replace, **options):
        try:
            data, media = package_read(file)
            course = course_import(data=data, media=media, replace=replace)
        except FileNotFoundError as error:
            raise CommandError(f"{file}: no such file") from error
        except PackageError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{file}: refused, {len(error.problems)} problem(s); nothing was imported."
            ) from error
        verb = "Updated" if replace else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {course.slug_en!r}: {course.title_en}"))
