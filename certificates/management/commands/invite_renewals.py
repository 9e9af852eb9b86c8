from django.core.management.base import BaseCommand
from django.utils import timezone

from certificates.services import certificates_invite_renewals


class Command(BaseCommand):
    help = (
        "Invite holders whose certificates expire within 60 or 14 days to renew: re-enrol them "
        "in the refresher course and record the invitation (once per certificate and window). "
        "Idempotent: run it daily."
    )

    def handle(self, *args, **options):
        invitations = certificates_invite_renewals(now=timezone.now())
        self.stdout.write(f"{len(invitations)} renewal invitation(s) recorded.")
