"""What a workshop certificate states, read from the workshops app when it is issued."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef

from certificates.models import Certificate
from certificates.sources import Subject
from workshops.models import Participant, Workshop
from workshops.rules import hours_of


def workshop_days(workshop: Workshop, sessions) -> tuple[date, date]:
    """The first and last day, in the workshop's own time zone: of its sessions when it has
    some, else of its start and end."""
    if sessions:
        return min(s.date for s in sessions), max(s.date for s in sessions)
    zone = workshop.zone
    return workshop.starts_at.astimezone(zone).date(), workshop.ends_at.astimezone(zone).date()


class WorkshopSource:
    field = "workshop"

    def missing(self) -> list[tuple[object, Workshop]]:
        """(participant, workshop) of each completion without a certificate (for
        `issue_certificates`: completions made while production had no key)."""
        certified = Certificate.objects.filter(
            holder=OuterRef("user"), workshop=OuterRef("workshop")
        )
        rows = (
            Participant.objects.filter(completed_at__isnull=False)
            .exclude(Exists(certified))
            .select_related("user", "workshop")
            .order_by("pk")
        )
        return [(row.user, row.workshop) for row in rows]

    def subject(self, *, holder, obj: Workshop) -> Subject:
        completed_at: datetime | None = (
            Participant.objects.filter(workshop=obj, user=holder)
            .values_list("completed_at", flat=True)
            .first()
        )
        sessions = list(obj.sessions.only("date", "start_time", "end_time"))
        starts_on, ends_on = workshop_days(obj, sessions)
        hours = hours_of([(s.start_time, s.end_time) for s in sessions])
        return Subject(
            field=self.field,
            obj=obj,
            title={
                code: getattr(obj, f"title_{code}", "") or obj.title_en or obj.title
                for code, _name in settings.LANGUAGES
            },
            hours=hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if hours else None,
            completed_at=completed_at,
            grade=None,
            validity_months=None,
            achievement_key=f"workshop/{obj.pk}",
            kind="workshop",
            details={
                "starts_on": starts_on,
                "ends_on": ends_on,
                "venue_country": str(obj.venue_country or ""),
            },
        )
