"""My learning from a shared shell (`cms.page_cache`): the page around the list is the same
for every learner; the list is the `my-learning` slot, drawn from its values alone.

A request reads, besides the session, the user and the content generation, one statement for
the learner's enrolments in live courses, their completions and their certificates (the
certificates app says how to read them: `register_certificate_reader`). What each course is
(title, address, activities in order) comes from `course_structure`, kept per worker for the
content generation, host and language: it is content, the same for everybody.
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import NamedTuple

from django.db import connection
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.models import Page

from cms import page_cache
from cms.statements import repeated_cursor

from .course_shell import _as_date, _as_datetime
from .models import ActivityCompletion, CoursePage, Enrolment
from .progress import ActivityState, Status, course_progress
from .selectors import (
    LearningEntry,
    _activities_by_course,
    catalogue_url,
    is_overdue,
    status_of,
)

TEMPLATE = "courses/my_learning.html"


class CertificateLinks(NamedTuple):
    serial: str
    current_title: str


class LearningRow(NamedTuple):
    """One course of the list, as the slot shows it."""

    url: str
    title: str
    percent: int
    complete: bool
    overdue: bool
    last_activity_on: date | None
    completed_on: date | None
    due_date: date | None
    continue_url: str | None
    certificate: CertificateLinks | None


class CourseShape(NamedTuple):
    title: str
    url: str
    # (activity id, required, address) in course order.
    activities: tuple[tuple[int, bool, str], ...]


# One entry per content generation, scheme, host and language: every live course's shape,
# measured in activities (each ~100 characters of title and address).
structures = page_cache.BoundedCache(
    16,
    max_bytes=200_000,
    getsizeof=lambda shapes: sum(1 + len(s.activities) for s in shapes.values()),
)


def _local_date(value: datetime | None) -> date | None:
    return timezone.localdate(value) if value is not None else None


class WorkshopCertificateLinks(NamedTuple):
    serial: str
    current_title: str
    starts_on: date | None
    ends_on: date | None
    current_venue: str


class LearnerCertificates(NamedTuple):
    by_course: dict[int, CertificateLinks]
    workshops: tuple[WorkshopCertificateLinks, ...]


NO_CERTIFICATES = LearnerCertificates({}, ())


class CertificateRows(NamedTuple):
    """How to read a learner's certificates in the statement that reads their enrolments."""

    # user id -> (SELECT list, "FROM … WHERE …", parameters)
    statement: Callable[[int], tuple[str, str, list]]
    # each column's type, for the NULLs that stand for it in the enrolments' rows
    null_types: Callable[[], tuple[str, ...]]
    # the statement's rows -> the certificates, in the active language
    decode: Callable[[list[tuple]], LearnerCertificates]


# The app that issues certificates registers how to read a learner's (courses never imports
# it): one statement, values only, in the active language; and, with `rows`, how to read them
# along with the learner's enrolments (`_learner_rows`).
_certificate_reader: Callable[[object], LearnerCertificates] | None = None
_certificate_rows: CertificateRows | None = None


def register_certificate_reader(
    reader: Callable[[object], LearnerCertificates], *, rows: CertificateRows | None = None
) -> None:
    global _certificate_reader, _certificate_rows
    _certificate_reader = reader
    _certificate_rows = rows


def certificates_of(user) -> LearnerCertificates:
    """The learner's current certificate per course, and their workshop certificates."""
    return _certificate_reader(user) if _certificate_reader else NO_CERTIFICATES


def rows_of(entries: list[LearningEntry], certificates: dict) -> tuple[LearningRow, ...]:
    """The slot's rows for a full render (from `selectors.my_learning`)."""
    return tuple(
        LearningRow(
            url=e.url,
            title=e.course.title,
            percent=e.percent,
            complete=e.complete,
            overdue=e.overdue,
            last_activity_on=_local_date(e.last_activity_at),
            completed_on=_local_date(e.completed_at),
            due_date=e.due_date,
            continue_url=e.continue_url,
            certificate=certificates.get(e.course.pk),
        )
        for e in entries
    )


def slot_values(rows: tuple[LearningRow, ...], workshops: tuple = ()) -> dict:
    return {"my-learning": {"entries": rows, "workshop_certificates": workshops}}


def render(
    request, rows: tuple[LearningRow, ...] | None, workshops: tuple = ()
) -> TemplateResponse:
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            "catalogue_url": catalogue_url(request),
            "slot_values": slot_values(rows or (), workshops),
        },
    )


def course_structure(request) -> dict[int, CourseShape]:
    """Every live course's title, address and activities, for this request's generation,
    host and language (nothing about any learner)."""
    key = page_cache.route_key(request)
    shapes = structures.get(key)
    if shapes is None:
        courses = list(CoursePage.objects.live().order_by("path"))
        activities = _activities_by_course(courses, request)
        shapes = {
            c.pk: CourseShape(
                title=c.title,
                url=c.get_url(request) or "",
                activities=tuple((a.id, a.required, a.url) for a in activities[c.pk]),
            )
            for c in courses
        }
        structures.set(key, shapes)
    return shapes


_ENROLMENT, _COMPLETION, _CERTIFICATE = range(3)


def _learner_rows(
    user_id: int, certificate_rows: CertificateRows | None = None
) -> tuple[list[tuple], dict[int, Status], list[tuple] | None]:
    """The learner's enrolments in live courses, all their completions and, with
    `certificate_rows`, the rows of their certificates: one statement.

    The certificates' columns follow the others; in the enrolments' branch, the first, their
    NULLs are typed (PostgreSQL types a UNION's columns from its first branches)."""
    enrolment = Enrolment._meta.db_table
    completion = ActivityCompletion._meta.db_table
    page = Page._meta.db_table
    extra = blank = ""
    params: list = [user_id, True, user_id]
    if certificate_rows is not None:
        types = certificate_rows.null_types()
        extra = "".join(f", CAST(NULL AS {t})" for t in types)
        blank = ", NULL" * len(types)
    sql = (
        f"SELECT {_ENROLMENT}, e.course_id, e.due_date, e.completed_at, e.last_activity_at,"  # noqa: S608
        f" e.enrolled_at, NULL, NULL{extra} FROM {enrolment} e JOIN {page} p ON p.id = e.course_id"
        f" WHERE e.user_id = %s AND p.live = %s"
        f" UNION ALL SELECT {_COMPLETION}, NULL, NULL, NULL, NULL, NULL, c.activity_id, c.state"
        f"{blank} FROM {completion} c WHERE c.user_id = %s"
    )
    if certificate_rows is not None:
        columns, rest, more = certificate_rows.statement(user_id)
        sql += f" UNION ALL SELECT {_CERTIFICATE}, {', '.join(['NULL'] * 7)}, {columns} {rest}"
        params += more
    with repeated_cursor(connection) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    enrolments = []
    statuses = {}
    certificates: list[tuple] = []
    for row in rows:
        kind, course_id, due, completed, last, enrolled, activity_id, state = row[:8]
        if kind == _COMPLETION:
            statuses[activity_id] = status_of(state)
        elif kind == _CERTIFICATE:
            certificates.append(row[8:])
        else:
            enrolments.append(
                (
                    course_id,
                    _as_date(due),
                    _as_datetime(completed),
                    _as_datetime(last),
                    _as_datetime(enrolled),
                )
            )
    return enrolments, statuses, None if certificate_rows is None else certificates


def _order(enrolment) -> tuple:
    """As `selectors.my_learning`: unfinished first, soonest due (none last), then the most
    recently active (never last), then the most recently enrolled."""
    _course_id, due, completed, last, enrolled = enrolment
    return (
        completed is not None,
        due is None,
        due or date.min,
        last is None,
        -(last.timestamp() if last else 0),
        -(enrolled.timestamp() if enrolled else 0),
    )


def learner_rows(request) -> tuple[tuple[LearningRow, ...], tuple] | None:
    """The list for `request`'s learner, or None when a course they are in is not known yet
    (published since the structure was read: the full path answers); with the learner's
    workshop certificates."""
    shapes = course_structure(request)
    enrolments, statuses, certificate_rows = _learner_rows(request.user.pk, _certificate_rows)
    if _certificate_rows is not None and certificate_rows is not None:
        certificates, workshops = _certificate_rows.decode(certificate_rows)
    else:
        certificates, workshops = certificates_of(request.user)
    today = timezone.localdate()
    rows = []
    for enrolment in sorted(enrolments, key=_order):
        course_id, due, completed, last, _enrolled = enrolment
        shape = shapes.get(course_id)
        if shape is None:
            return None
        progress = course_progress(
            [
                ActivityState(aid, required, statuses.get(aid, Status.NOT_STARTED))
                for aid, required, _url in shape.activities
            ]
        )
        next_url = next(
            (url for aid, _r, url in shape.activities if aid == progress.next_activity_id), None
        )
        rows.append(
            LearningRow(
                url=shape.url,
                title=shape.title,
                percent=progress.percent,
                complete=completed is not None,
                overdue=is_overdue(due_date=due, completed_at=completed, today=today),
                last_activity_on=_local_date(last),
                completed_on=_local_date(completed),
                due_date=due,
                continue_url=next_url,
                certificate=certificates.get(course_id),
            )
        )
    return tuple(rows), workshops


def serve_my_learning(request):
    """My learning from its shell, the learner's list in its slot; None: not from a shell."""
    found = learner_rows(request)
    if found is None:
        return None
    rows, workshops = found
    return page_cache.serve_shell(
        request,
        page_cache.shell_key(request, "my-learning"),
        render=lambda r: render(r, None) if page_cache.is_shell(r) else render(r, rows, workshops),
        values=slot_values(rows, workshops),
    )
