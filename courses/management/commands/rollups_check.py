"""Compare the reports' rollups with a full recomputation from the activity completions, and
with --repair rewrite those that differ (courses/rollups.py)."""

from django.core.management.base import BaseCommand, CommandError

from courses import rollups


class Command(BaseCommand):
    help = (
        "Check that every enrolment's report rollups (study language, score tallies) agree "
        "with its activity completions; --repair rewrites those that do not."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Rewrite what differs.")

    def handle(self, *args, repair, verbosity=1, **options):
        found = rollups.differences()
        for difference in found[:20] if verbosity < 2 else found:
            self.stdout.write(
                f"enrolment {difference.enrolment_id}: {difference.what} is "
                f"{difference.stored!r}, should be {difference.expected!r}"
            )
        enrolments = len({d.enrolment_id for d in found})
        if not found:
            self.stdout.write("Rollups agree with the activity completions.")
            return
        if not repair:
            raise CommandError(
                f"{enrolments} enrolment(s) with rollups that differ: run with --repair."
            )
        rollups.repair(found)
        self.stdout.write(f"Repaired the rollups of {enrolments} enrolment(s).")
