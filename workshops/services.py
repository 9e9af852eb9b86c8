"""Every write about workshops: participants, attendance, completion. Keyword-only, in
transactions, used alike by the pages, the admin, the commands and the tests."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.models import Organisation
from courses.services import course_assign_users

from . import selectors
from .models import Attendance, Participant, Workshop, WorkshopSession
from .signals import workshop_completed


def _ids(users) -> set[int]:
    return {getattr(user, "pk", user) for user in users}


@transaction.atomic
def participants_add(*, workshop: Workshop, users: Iterable, added_by=None) -> int:
    """Make `users` participants of `workshop` and assign them its courses with their due
    dates. Users already taking part are left as they are. Returns how many were added."""
    ids = _ids(users)
    if not ids:
        return 0
    existing = set(
        Participant.objects.filter(workshop=workshop, user_id__in=sorted(ids)).values_list(
            "user_id", flat=True
        )
    )
    new = sorted(ids - existing)
    Participant.objects.bulk_create(
        [Participant(workshop=workshop, user_id=pk, added_by=added_by) for pk in new],
        batch_size=1000,
        ignore_conflicts=True,
    )
    if new:
        links = list(workshop.courses.select_related("course"))
        due = selectors.course_due_dates(workshop, links)
        for link in links:
            course_assign_users(
                course=link.course,
                user_ids=new,
                due_date=due[link.course_id],
                assigned_by=added_by,
            )
    return len(new)


def organisation_members(organisation: Organisation, *, with_units: bool = True):
    """Active accounts of `organisation` and, if asked, of its units at every depth."""
    ids = {organisation.pk}
    if with_units:
        frontier = {organisation.pk}
        while frontier:
            frontier = (
                set(
                    Organisation.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
                )
                - ids
            )
            ids |= frontier
    return get_user_model().objects.filter(organisation_id__in=ids, is_active=True)


def participants_add_organisation(
    *, workshop: Workshop, organisation: Organisation, with_units: bool = True, added_by=None
) -> int:
    return participants_add(
        workshop=workshop,
        users=organisation_members(organisation, with_units=with_units).values_list(
            "pk", flat=True
        ),
        added_by=added_by,
    )


@transaction.atomic
def participant_remove(*, workshop: Workshop, user) -> bool:
    """Remove a participant and their attendance; their course enrolments stay theirs."""
    deleted, _by_model = Participant.objects.filter(
        workshop=workshop, user_id=getattr(user, "pk", user)
    ).delete()
    return bool(deleted)


@transaction.atomic
def attendance_record(*, session: WorkshopSession, marks: dict[int, bool], recorded_by=None) -> int:
    """Record, for one session, who attended: `marks` maps participant ids (of the session's
    workshop; others are ignored) to attended or not. Returns the number of rows written."""
    valid = set(
        Participant.objects.filter(
            workshop_id=session.workshop_id, pk__in=sorted(marks)
        ).values_list("pk", flat=True)
    )
    now = timezone.now()
    rows = [
        Attendance(
            session=session,
            participant_id=pk,
            attended=bool(marks[pk]),
            recorded_by=recorded_by,
            recorded_at=now,
        )
        for pk in sorted(valid)
    ]
    Attendance.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["session", "participant"],
        update_fields=["attended", "recorded_by", "recorded_at"],
    )
    workshop = Workshop.objects.get(pk=session.workshop_id)
    completion_refresh(
        workshop=workshop,
        user_ids=Participant.objects.filter(pk__in=sorted(valid)).values_list("user_id", flat=True),
    )
    return len(rows)


@transaction.atomic
def completion_refresh(*, workshop: Workshop, user_ids=None) -> list[int]:
    """Record the completion of participants who now meet the rule (rules.workshop_complete)
    and have not completed before; send `workshop_completed` for each once the transaction
    commits. Completion never moves once recorded. Returns the user ids newly complete."""
    now = timezone.now()
    newly = []
    for user_id, standing in selectors.standings(workshop, user_ids).items():
        if standing.completed_at is not None or not standing.complete:
            continue
        won = Participant.objects.filter(
            workshop=workshop, user_id=user_id, completed_at__isnull=True
        ).update(completed_at=now)
        if won:
            newly.append(user_id)
    if newly:
        users = {u.pk: u for u in get_user_model().objects.filter(pk__in=newly)}

        def announce():
            for pk in newly:
                workshop_completed.send(
                    sender=Workshop, workshop=workshop, user=users[pk], completed_at=now
                )

        transaction.on_commit(announce, robust=True)
    return newly


# --- attendance CSV ---------------------------------------------------------------------------

YES = {"1", "yes", "y", "true", "present", "oui", "o", "vrai", "نعم", "حاضر"}
NO = {"0", "no", "n", "false", "absent", "non", "faux", "لا", "غائب"}
ATTENDANCE_COLUMNS = ("username", "session", "attended")


@dataclass
class AttendanceImport:
    errors: list[str] = field(default_factory=list)
    written: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _session_key(session: WorkshopSession) -> str:
    return f"{session.date.isoformat()} {session.start_time:%H:%M}"


def attendance_import(
    *, workshop: Workshop, text: str, recorded_by=None, dry_run: bool = False
) -> AttendanceImport:
    """Import attendance from CSV text with the columns `username,session,attended`.

    `session` is the session's number in the agenda (1 for the first) or its date and start time
    (`2026-03-02 09:00`, in the workshop's time zone); `attended` is 1/0, yes/no, true/false (also
    in French and Arabic). Every row is checked first: if any is wrong, nothing is written and
    each wrong row is reported with its line number.
    """
    result = AttendanceImport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in ATTENDANCE_COLUMNS if name not in header]
    if missing:
        result.errors.append(
            _("The file must have the columns %(columns)s; missing: %(missing)s.")
            % {"columns": ",".join(ATTENDANCE_COLUMNS), "missing": ", ".join(missing)}
        )
        return result
    reader.fieldnames = header
    sessions = list(workshop.sessions.all())
    by_key = {str(n): s for n, s in enumerate(sessions, start=1)}
    by_key.update({_session_key(s): s for s in sessions})
    participants = dict(
        Participant.objects.filter(workshop=workshop).values_list("user__username", "pk")
    )
    lowered = {name.lower(): pk for name, pk in participants.items()}
    marks: dict[int, dict[int, bool]] = {}
    seen: dict[tuple[int, int], int] = {}
    for line, row in enumerate(reader, start=2):
        username = (row.get("username") or "").strip()
        session_text = " ".join((row.get("session") or "").split())
        attended_text = (row.get("attended") or "").strip().lower()
        problems = []
        participant = participants.get(username) or lowered.get(username.lower())
        if not username:
            problems.append(_("the username is empty"))
        elif participant is None:
            problems.append(
                _("“%(username)s” is not a participant of this workshop") % {"username": username}
            )
        session = by_key.get(session_text)
        if session is None:
            problems.append(
                _("there is no session “%(session)s” (give its number, 1 to %(count)s)")
                % {"session": session_text, "count": len(sessions)}
            )
        if attended_text in YES:
            attended = True
        elif attended_text in NO:
            attended = False
        else:
            attended = None
            problems.append(
                _("“%(value)s” is not yes or no (1 or 0)") % {"value": row.get("attended") or ""}
            )
        if participant is not None and session is not None:
            earlier = seen.get((session.pk, participant))
            if earlier:
                problems.append(
                    _("the same participant and session are already on line %(line)s")
                    % {"line": earlier}
                )
            seen[(session.pk, participant)] = line
        if problems:
            result.errors.append(
                _("Line %(line)s: %(problems)s.") % {"line": line, "problems": "; ".join(problems)}
            )
            continue
        assert session is not None and participant is not None and attended is not None
        marks.setdefault(session.pk, {})[participant] = attended
    if not marks and not result.errors:
        result.errors.append(_("The file has no rows."))
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        by_pk = {s.pk: s for s in sessions}
        for session_pk, session_marks in marks.items():
            result.written += attendance_record(
                session=by_pk[session_pk], marks=session_marks, recorded_by=recorded_by
            )
    return result
