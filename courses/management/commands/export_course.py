from django.core.management.base import BaseCommand, CommandError

from courses.models import CoursePage
from courses.packages import PackageError, course_export, package_write


class Command(BaseCommand):
    help = "Write a course as a tadrib.course/1 package: FILE.json, or FILE.zip with its media."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the course's (English) slug")
        parser.add_argument("file", help="where to write: .json or .zip")

    def handle(self, *args, slug, file, **options):
        course = CoursePage.objects.filter(slug_en=slug).first()
        if course is None:
            raise CommandError(f"No course with the slug {slug!r}.")
        data, media = course_export(course)
        try:
            package_write(file, data, media)
        except PackageError as error:
            raise CommandError("\n".join(error.problems)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {slug!r}: {len(data['activities'])} activities, "
                f"{len(media)} media files → {file}"
            )
        )
