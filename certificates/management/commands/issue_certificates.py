from django.core.management.base import BaseCommand, CommandError

from certificates.keys import CredentialKeyMissing
from certificates.services import certificates_issue_missing


class Command(BaseCommand):
    help = (
        "Issue the certificates of course completions that have none (completions recorded "
        "before certificates existed, or while production had no signing key). Idempotent."
    )

    def handle(self, *args, **options):
        try:
            issued = certificates_issue_missing()
        except CredentialKeyMissing as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{len(issued)} certificate(s) issued.")
