from django.core.management.base import BaseCommand

from notifications.services import reminders_send


class Command(BaseCommand):
    help = (
        "Record and send the due-date reminders due now (a week before, the day before, once "
        "overdue). Idempotent, safe with two schedulers; the periodic loop runs it hourly."
    )

    def handle(self, *args, **options):
        made = reminders_send()
        self.stdout.write(f"{len(made)} reminder(s) recorded.")
