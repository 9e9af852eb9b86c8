"""Reads behind the managers' certificate report (`certificates.report_views`).

Built on the reports app: the reader's `reports.scope.Scope` filters certificates by their
holder's organisation and country, in the database, exactly as the reports filter learners.
Counts are GROUP BY queries, so their number never depends on how many certificates exist.

Every certificate falls in exactly one state, as of `now`:

- revoked: revoked (whatever else holds);
- renewed: not revoked, and a renewal replaces it;
- expired: neither, and its validity has ended;
- valid: none of these. Expiring within 60 days: valid, and its validity ends by then.

So `issued = valid + expired + renewed + revoked`, and a renewed holder counts once as valid.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from wagtail.models import Page

from cms.models import Organisation
from courses.models import CoursePage
from reports.scope import Scope
from reports.selectors import ReportFilters

from .models import Certificate, Kind, state_labels
from .rules import RENEWAL_WINDOWS

# "Expiring soon" is the first renewal window: holders are being invited to renew.
EXPIRING_DAYS = RENEWAL_WINDOWS[0]
BATCH_SIZE = 1000


class Dimension(models.TextChoices):
    COURSE = "course", _("Course")
    ORGANISATION = "organisation", _("Organisation")
    COUNTRY = "country", _("Country")


KEYS = {
    Dimension.COURSE: "course_id",
    Dimension.ORGANISATION: "holder__organisation_id",
    Dimension.COUNTRY: "holder__organisation__country",
}


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def certificates_in_scope(
    *, scope: Scope, filters: ReportFilters, kind: str = ""
) -> QuerySet[Certificate]:
    """Certificates whose holder the reader may see, narrowed by the reader's filters (the
    date range applies to the issue date, both ends whole days) and, when given, to one kind
    (course or workshop certificates)."""
    certificates = Certificate.objects.filter(scope.users_q("holder__"))
    if kind:
        certificates = certificates.filter(kind=Kind(kind))
    if filters.course_id is not None:
        certificates = certificates.filter(course_id=filters.course_id)
    if filters.organisation_ids is not None:
        certificates = certificates.filter(
            holder__organisation_id__in=sorted(filters.organisation_ids)
        )
    if filters.country:
        certificates = certificates.filter(holder__organisation__country=filters.country)
    if filters.date_from is not None:
        certificates = certificates.filter(issued_at__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        certificates = certificates.filter(
            issued_at__lt=_day_start(filters.date_to + timedelta(days=1))
        )
    return certificates


def _current() -> Q:
    return Q(revoked_at__isnull=True, superseded_by__isnull=True)


# The counts of each row, in the order the report shows them.
COUNTS = ("issued", "valid", "expiring", "expired", "renewed", "revoked")


def state_counts(now: datetime) -> dict[str, Count]:
    """The aggregates of one row, as of `now`."""
    current = _current()
    unexpired = Q(valid_until__isnull=True) | Q(valid_until__gt=now)
    return {
        "issued": Count("pk"),
        "valid": Count("pk", filter=current & unexpired),
        "expiring": Count(
            "pk",
            filter=current
            & Q(valid_until__gt=now, valid_until__lte=now + timedelta(days=EXPIRING_DAYS)),
        ),
        "expired": Count("pk", filter=current & Q(valid_until__lte=now)),
        "renewed": Count("pk", filter=Q(revoked_at__isnull=True, superseded_by__isnull=False)),
        "revoked": Count("pk", filter=Q(revoked_at__isnull=False)),
    }


@dataclass(frozen=True)
class CertificateRow:
    key: object
    label: str
    issued: int
    valid: int
    expiring: int
    expired: int
    renewed: int
    revoked: int


def _labels(dimension: str, keys: Iterable) -> dict:
    keys = [k for k in keys if k is not None and k != ""]
    if dimension == Dimension.COURSE:
        return {p.pk: p.title for p in Page.objects.filter(pk__in=keys)}
    if dimension == Dimension.ORGANISATION:
        return {
            o.pk: str(o) for o in Organisation.objects.filter(pk__in=keys).select_related("parent")
        }
    return {code: countries.name(code) or code for code in keys}


def _none_label(dimension: str) -> str:
    if dimension == Dimension.COURSE:
        return str(_("Course removed"))
    if dimension == Dimension.ORGANISATION:
        return str(_("No organisation"))
    return str(_("Unknown"))


def _workshop_labels(workshop_ids: Iterable[int]) -> dict[str, str]:
    """{"workshop-<id>": "Workshop: <title>"} in the active language, from the title the
    workshop's first certificate was issued with (certificates never import workshops): two
    queries."""
    firsts = (
        Certificate.objects.filter(workshop_id__in=sorted(workshop_ids))
        .values("workshop_id")
        .annotate(first=Min("pk"))
        .values_list("first", flat=True)
        .order_by()
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        f"workshop-{c.workshop_id}": str(_("Workshop: %(title)s") % {"title": c.title_in(language)})
        for c in Certificate.objects.filter(pk__in=list(firsts)).only(
            "workshop_id", "title", "language"
        )
    }


def certificate_counts(
    *,
    scope: Scope,
    filters: ReportFilters,
    by: str = Dimension.COURSE,
    now: datetime,
    kind: str = "",
) -> list[CertificateRow]:
    """Issued, valid, expiring within 60 days, expired, renewed and revoked certificates per
    course (a workshop's certificates are a row of their own, "Workshop: …"), organisation
    or country: one grouped query and one or two for the labels."""
    dimension = Dimension(by)
    certificates = certificates_in_scope(scope=scope, filters=filters, kind=kind)
    counts: dict[object, dict] = {}
    if dimension == Dimension.COURSE:
        grouped = (
            certificates.values(key=F("course_id"), ws=F("workshop_id"), of=F("kind"))
            .annotate(**state_counts(now))
            .order_by()
        )
        for row in grouped:
            key = f"workshop-{row['ws']}" if row["of"] == Kind.WORKSHOP else row["key"]
            if key in counts:  # a deleted workshop's (or course's) rows: add up
                for name in COUNTS:
                    counts[key][name] += row[name]
            else:
                counts[key] = dict(row)
        labels = _labels(dimension, [k for k in counts if not isinstance(k, str)])
        labels.update(
            _workshop_labels(row["ws"] for row in counts.values() if row["ws"] is not None)
        )
        if "workshop-None" in counts:
            labels["workshop-None"] = str(_("Workshop removed"))
    else:
        grouped = (
            certificates.values(key=F(KEYS[dimension])).annotate(**state_counts(now)).order_by()
        )
        counts = {row["key"]: dict(row) for row in grouped}
        labels = _labels(dimension, counts)
    rows = [
        CertificateRow(
            key=key,
            label=labels.get(key) or _none_label(dimension),
            **{name: row[name] for name in COUNTS},
        )
        for key, row in counts.items()
    ]
    return sorted(rows, key=lambda r: (r.label.casefold(), str(r.key)))


def certificate_totals(rows: Iterable[CertificateRow]) -> CertificateRow:
    """The sum of the rows (each certificate is in exactly one row)."""
    rows = list(rows)
    return CertificateRow(
        key=None,
        label=str(_("Total")),
        **{name: sum(getattr(r, name) for r in rows) for name in COUNTS},
    )


# --- Who holds a certificate issued before its course was substantially changed ------------


def _held_before_change() -> Q:
    """Current (unrevoked, not renewed) certificates issued before their course's change."""
    return _current() & Q(
        course__substantially_changed_on__isnull=False,
        issued_at__date__lt=F("course__substantially_changed_on"),
    )


@dataclass(frozen=True)
class ChangedCourse:
    course_id: int
    title: str
    changed_on: date | None  # never None: only courses marked changed are listed
    holders: int


def changed_courses(*, scope: Scope, filters: ReportFilters) -> list[ChangedCourse]:
    """Courses marked substantially changed (most recent change first), each with how many
    holders in scope (and filters) still hold a certificate issued before the change: two
    queries whatever the number of certificates."""
    courses = CoursePage.objects.filter(substantially_changed_on__isnull=False)
    if filters.course_id is not None:
        courses = courses.filter(pk=filters.course_id)
    holders = dict(
        certificates_in_scope(scope=scope, filters=filters)
        .filter(_held_before_change())
        .values("course_id")
        # A holder's current certificate of a course is one (a renewal supersedes the last):
        # counting certificates counts holders, without a DISTINCT sort.
        .annotate(holders=Count("pk"))
        .values_list("course_id", "holders")
        .order_by()
    )
    return [
        ChangedCourse(
            course_id=course.pk,
            title=course.title,
            changed_on=course.substantially_changed_on,
            holders=holders.get(course.pk, 0),
        )
        for course in courses.order_by("-substantially_changed_on", "path")
    ]


def changed_course(*, course_id: int) -> CoursePage | None:
    """The course, if it exists and was marked substantially changed."""
    return CoursePage.objects.filter(pk=course_id, substantially_changed_on__isnull=False).first()


@dataclass(frozen=True)
class HolderRow:
    certificate_id: int
    serial: str
    user_id: int | None
    name: str
    username: str
    organisation: str
    issued_at: datetime
    valid_until: datetime | None
    state: str
    state_label: str


def holders_before_change(
    *, scope: Scope, filters: ReportFilters, course: CoursePage
) -> QuerySet[Certificate]:
    """The certificates of `course` in scope still held from before its change, oldest first;
    a queryset, so that pages and exports read it one page or one batch at a time."""
    if course.substantially_changed_on is None:
        return Certificate.objects.none()
    # A bound on issued_at rather than a join to the course: (course, issued_at) is indexed,
    # so a page of the oldest reads only its rows.
    return (
        certificates_in_scope(scope=scope, filters=filters)
        .filter(
            _current(),
            course=course,
            issued_at__lt=_day_start(course.substantially_changed_on),
        )
        .select_related("holder", "holder__organisation", "holder__organisation__parent")
        .order_by("issued_at", "pk")
    )


def holder_rows(certificates: Iterable[Certificate], *, now: datetime) -> Iterable[HolderRow]:
    labels = state_labels()
    for certificate in certificates:
        holder = certificate.holder
        names = certificate.holder_names
        state = certificate.state(now)
        yield HolderRow(
            certificate_id=certificate.pk,
            serial=certificate.serial,
            user_id=holder.pk if holder else None,
            name=" / ".join(names) or (holder.get_full_name() if holder else ""),
            username=holder.username if holder else "",
            organisation=str(holder.organisation) if holder and holder.organisation else "",
            issued_at=certificate.issued_at,
            valid_until=certificate.valid_until,
            state=state.value,
            state_label=labels[state],
        )
