"""What a certificate is issued for: one source per kind, in the `SOURCES` registry.

A source reads what the certificate states (title, hours, completion, grade, validity) from
the app it belongs to through that app's own selectors, and names its foreign key field on
`Certificate`. The course source is built in (certificates depend on courses); an app that
certificates may not import registers its own with `register_source` — the workshops' is
registered by the `workshop_certificates` app, since neither certificates nor workshops
imports the other (docs/certificates.md).
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.conf import settings
from django.utils import translation

from courses.models import ActivityCompletion, CoursePage, Enrolment
from courses.selectors import activity_states


@dataclass(frozen=True)
class Subject:
    """Facts about what was completed, at the moment of issue."""

    field: str  # the Certificate foreign key naming it ("course", later "workshop")
    obj: object
    title: dict[str, str]
    hours: Decimal | None
    completed_at: datetime | None
    grade: Decimal | None
    validity_months: int | None
    achievement_key: str
    kind: str = "course"
    # Further Certificate fields to copy at issue (a workshop's dates and venue).
    details: dict = field(default_factory=dict)


class NotCompleted(Exception):
    """The holder has not completed what the certificate would be for."""


def _titles(page) -> dict[str, str]:
    titles = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            titles[code] = getattr(page, f"title_{code}", "") or page.title
    return titles


class CourseSource:
    field = "course"

    def subject(self, *, holder, obj: CoursePage) -> Subject:
        completed_at = (
            Enrolment.objects.filter(user=holder, course=obj)
            .values_list("completed_at", flat=True)
            .first()
        )
        hours = obj.nominal_hours
        if hours is None and obj.estimated_minutes:
            hours = (Decimal(obj.estimated_minutes) / 60).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
        return Subject(
            field=self.field,
            obj=obj,
            title=_titles(obj),
            hours=hours,
            completed_at=completed_at,
            grade=self._final_grade(holder=holder, course=obj),
            validity_months=obj.validity_months,
            achievement_key=f"course/{obj.pk}",
        )

    @staticmethod
    def _final_grade(*, holder, course: CoursePage) -> Decimal | None:
        """The grade of the course's last scored activity (its final quiz), if any."""
        order = [state.activity_id for state in activity_states(course=course, user=holder)]
        scores = dict(
            ActivityCompletion.objects.filter(
                user=holder, activity_id__in=order, score__isnull=False
            ).values_list("activity_id", "score")
        )
        for activity_id in reversed(order):
            if activity_id in scores:
                return scores[activity_id]
        return None


class Source(Protocol):
    field: str

    def subject(self, *, holder, obj) -> Subject: ...


SOURCES: dict[str, Source] = {"course": CourseSource()}


def register_source(source: Source) -> Source:
    """Make `certificate_issue(holder=…, <source.field>=obj)` issue through `source`."""
    SOURCES[source.field] = source
    return source
