"""Demo workshop certificates for `seed_demo`, after the demo workshops (workshops/demo.py).

Every participant who completed a demo workshop holds its certificate, as the completion
receiver would give them, with a serial derived from the workshop and the username so that
each seeding gives the same ones (the README and the tests can point at them). Where the
receiver already issued one when the workshop demo committed, its serial is set to the derived
one (the serial is not part of the signed credential, which stays valid). Idempotent.
"""

import hashlib

from django.db import transaction

from certificates.demo import demo_serial
from certificates.models import Certificate
from certificates.serials import ALPHABET, RANDOM_LENGTH
from certificates.services import certificate_issue
from workshops.models import Participant

DEMO_WORKSHOPS = ("national-sit-online-recruitment", "regional-online-internet-evidence")


def derived_serial(workshop_slug: str, username: str) -> str:
    digest = hashlib.sha256(f"tadrib-demo/{workshop_slug}/{username}".encode()).digest()
    body = "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:RANDOM_LENGTH])
    return demo_serial(body)


@transaction.atomic
def demo_seed_workshop_certificates() -> None:
    completed = (
        Participant.objects.filter(workshop__slug__in=DEMO_WORKSHOPS, completed_at__isnull=False)
        .select_related("workshop", "user")
        .order_by("workshop__slug", "user__username")
    )
    for participant in completed:
        serial = derived_serial(participant.workshop.slug, participant.user.username)
        existing = Certificate.objects.filter(
            holder=participant.user, workshop=participant.workshop
        ).first()
        if existing is None:
            certificate_issue(holder=participant.user, workshop=participant.workshop, serial=serial)
        elif existing.serial != serial and not Certificate.objects.filter(serial=serial).exists():
            Certificate.objects.filter(pk=existing.pk).update(serial=serial)
