"""Writes for certificates: issue (once, race-safe), revoke, renew, invite to renew.

See docs/certificates.md for the rules; pure parts live in `rules.py` and `serials.py`.
"""

from datetime import datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cms.audit import audit
from courses import rollups
from courses.models import ActivityCompletion, CoursePage, Enrolment
from courses.services import enrolment_ensure

from . import rules
from .credentials import CredentialFacts, credential_build, credential_sign
from .keys import signing_key
from .models import Certificate, IssuerSettings, RenewalInvitation, RevocationReason
from .serials import serial_generate
from .sources import SOURCES, NotCompleted, Subject

# Serial collisions are astronomically rare (58 random bits); a few fresh draws settle one.
_SERIAL_ATTEMPTS = 5


class AlreadyRevoked(Exception):
    pass


def _subject(*, holder, course: CoursePage | None, workshop) -> Subject:
    given = {name: obj for name, obj in {"course": course, "workshop": workshop}.items() if obj}
    if len(given) != 1:
        raise TypeError("certificate_issue needs exactly one of course= or workshop=")
    ((name, obj),) = given.items()
    if name not in SOURCES:  # the workshop_certificates app is not installed
        raise TypeError(f"no certificate source registered for {name}=")
    return SOURCES[name].subject(holder=holder, obj=obj)


def _existing(*, holder, subject: Subject, round: int) -> Certificate | None:
    return Certificate.objects.filter(
        holder=holder, **{subject.field: subject.obj}, round=round
    ).first()


def certificate_issue(
    *,
    holder,
    course: CoursePage | None = None,
    workshop=None,
    language: str | None = None,
    serial: str | None = None,
) -> Certificate:
    """The holder's certificate for `course` (or, later, `workshop`), issued on first call.

    Idempotent and safe under concurrent calls: the unique constraint on holder, course and
    round decides, and the loser returns the winner's certificate. Raises NotCompleted when
    there is nothing to certify and CredentialKeyMissing (writing nothing) when production
    has no signing key. `language` defaults to the holder's preferred language; `serial`, to
    a new random one (the demo and imports from another system give their own).
    """
    subject = _subject(holder=holder, course=course, workshop=workshop)
    current = (
        Certificate.objects.filter(holder=holder, **{subject.field: subject.obj})
        .order_by("-round")
        .first()
    )
    if current is not None:
        return current
    return _issue(
        holder=holder, subject=subject, round=1, supersedes=None, language=language, serial=serial
    )


def certificate_renew(*, previous: Certificate, language: str | None = None) -> Certificate:
    """A new certificate for what `previous` certified, superseding it (once: the one-to-one
    `supersedes` and the round constraint make a second renewal of it return the first)."""
    renewal = Certificate.objects.filter(supersedes=previous).first()
    if renewal is not None:
        return renewal
    if previous.course is None:
        raise NotCompleted("the course no longer exists")
    subject = SOURCES["course"].subject(holder=previous.holder, obj=previous.course)
    return _issue(
        holder=previous.holder,
        subject=subject,
        round=previous.round + 1,
        supersedes=previous,
        language=language or previous.language,
    )


def _issue(
    *,
    holder,
    subject: Subject,
    round: int,
    supersedes: Certificate | None,
    language: str | None,
    serial: str | None = None,
) -> Certificate:
    if subject.completed_at is None:
        raise NotCompleted(f"{holder} has not completed {subject.obj}")
    key = signing_key()  # before any write: production refuses without a key
    issuer = IssuerSettings.load()
    names = rules.holder_names(
        arabic=holder.full_name_arabic,
        latin=holder.full_name_latin,
        first_name=holder.first_name,
        last_name=holder.last_name,
    )
    language = language or holder.preferred_language
    now = timezone.now()
    for _attempt in range(_SERIAL_ATTEMPTS):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    serial=serial or serial_generate(),
                    holder=holder,
                    round=round,
                    supersedes=supersedes,
                    language=language,
                    holder_name_arabic=names.arabic,
                    holder_name_latin=names.latin,
                    title=subject.title,
                    issuer_name=issuer.names(),
                    hours=subject.hours,
                    grade=subject.grade,
                    completed_at=subject.completed_at,
                    issued_at=now,
                    valid_until=rules.valid_until_for(
                        issued_at=now, validity_months=subject.validity_months
                    ),
                    kind=subject.kind,
                    **subject.details,
                    **{subject.field: subject.obj},
                )
                certificate.credential = credential_sign(
                    credential_build(_facts(certificate, issuer, subject)), key=key, created=now
                )
                certificate.save(update_fields=["credential"])
        except IntegrityError:
            existing = _existing(holder=holder, subject=subject, round=round)
            if existing is None and supersedes is not None:
                existing = Certificate.objects.filter(supersedes=supersedes).first()
            if existing is not None:  # a concurrent call issued it first
                return existing
            serial = None  # the serial was taken: draw another
            continue
        audit("certificate_issued", obj=certificate, user=holder, detail=f"round={round}")
        return certificate
    raise IntegrityError("could not draw an unused serial")


def _facts(certificate: Certificate, issuer: IssuerSettings, subject: Subject) -> CredentialFacts:
    language = certificate.language
    return CredentialFacts(
        pk=certificate.pk,
        credential_id=certificate.credential_id,
        serial=certificate.serial,
        language=language,
        title=certificate.title_in(language),
        issuer_name=certificate.issuer_in(language),
        issuer_url=issuer.url,
        names=tuple(certificate.names_for(language)),
        hours=_plain(certificate.hours),
        grade=None if certificate.grade is None else f"{certificate.grade:.2f}",
        completed_at=certificate.completed_at,
        issued_at=certificate.issued_at,
        valid_until=certificate.valid_until,
        achievement_key=subject.achievement_key,
        kind=certificate.kind,
        starts_on=certificate.starts_on,
        ends_on=certificate.ends_on,
        venue=certificate.venue_in(language) if certificate.is_workshop else "",
    )


def _plain(hours) -> str | None:
    if hours is None:
        return None
    return f"{hours:f}".rstrip("0").rstrip(".")


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, reason: str, note: str = "", by=None
) -> Certificate:
    """Revoke once, with a reason category; audited. The status list shows it at once (its
    cache is dropped on commit) and every verifier within STATUS_TTL_SECONDS."""
    from .selectors import status_list_forget

    if reason not in RevocationReason.values:
        raise ValueError(f"unknown reason {reason!r}")
    updated = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revocation_reason=reason, revocation_note=note, revoked_by=by
    )
    if not updated:
        raise AlreadyRevoked(certificate.serial)
    certificate.refresh_from_db()
    audit("certificate_revoked", obj=certificate, user=by, detail=reason)
    transaction.on_commit(lambda: status_list_forget(certificate_pk=certificate.pk))
    return certificate


def course_completion_certify(*, user, course: CoursePage, completed_at: datetime) -> list:
    """What a first recorded course completion earns: the course's own certificate, and the
    renewal of every certificate this course is the refresher for and whose holder was
    invited to renew. Called by the `course_completed` receiver."""
    issued = []
    renewing = (
        Certificate.objects.filter(
            holder=user,
            revoked_at__isnull=True,
            superseded_by__isnull=True,
            renewal_invitations__refresher=course,
        )
        .select_related("course")
        .distinct()
    )
    renewed_courses = set()
    for previous in renewing:
        issued.append(certificate_renew(previous=previous))
        renewed_courses.add(previous.course_id)
    if course.pk not in renewed_courses:
        issued.append(certificate_issue(holder=user, course=course))
    return issued


def _restart(*, user, course: CoursePage, due) -> None:
    """Enrol `user` in `course` again for a renewal: the completion time and the activities'
    completion are cleared (attempts and grades are kept), so completing it again is the
    refresher that renews the certificate."""
    enrolment = enrolment_ensure(user=user, course=course)
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=None, due_date=due)
    ActivityCompletion.objects.filter(
        user=user, course=course, state=ActivityCompletion.State.COMPLETE
    ).update(state=ActivityCompletion.State.IN_PROGRESS, completed_at=None)
    rollups.enrolment_refresh(user_id=user.pk, course_id=course.pk)


def certificates_invite_renewals(*, now: datetime) -> list[RenewalInvitation]:
    """Invite holders whose certificate expires within a renewal window (60 and 14 days), once
    per certificate and window: re-enrol them in the refresher course (the course's designated
    one, else the course itself) and record the invitation. Running twice, or in two
    schedulers at once, invites nobody twice."""
    horizon = now + timedelta(days=max(rules.RENEWAL_WINDOWS))
    candidates = Certificate.objects.filter(
        revoked_at__isnull=True,
        superseded_by__isnull=True,
        holder__isnull=False,
        course__isnull=False,
        valid_until__gt=now,
        valid_until__lte=horizon,
    ).select_related("course", "holder")
    invited: dict[int, set[int]] = {}
    for certificate_id, days in RenewalInvitation.objects.filter(
        certificate__in=candidates
    ).values_list("certificate_id", "days_before"):
        invited.setdefault(certificate_id, set()).add(days)
    made = []
    for certificate in candidates:
        course, valid_until = certificate.course, certificate.valid_until
        assert course is not None and valid_until is not None  # the filter above
        window = rules.renewal_window_due(
            valid_until=valid_until, now=now, invited=invited.get(certificate.pk, set())
        )
        if window is None:
            continue
        refresher = course.refresher_course or course
        try:
            with transaction.atomic():
                invitation = RenewalInvitation.objects.create(
                    certificate=certificate, days_before=window, refresher=refresher, invited_at=now
                )
                # The first invitation re-enrols; a later one must not undo progress since.
                if certificate.pk not in invited:
                    _restart(user=certificate.holder, course=refresher, due=valid_until.date())
        except IntegrityError:  # another scheduler recorded it first
            continue
        made.append(invitation)
    return made


def certificates_issue_missing() -> list[Certificate]:
    """Certificates for every completed enrolment, and every completion another source
    (a workshop) reports, that has none yet. Idempotent."""
    certified = Certificate.objects.filter(holder=OuterRef("user"), course=OuterRef("course"))
    missing = (
        Enrolment.objects.filter(completed_at__isnull=False, course__live=True)
        .exclude(Exists(certified))
        .select_related("user", "course")
    )
    issued = [certificate_issue(holder=e.user, course=e.course) for e in missing]
    # Other sources (workshops) list their own completions without a certificate.
    for source in SOURCES.values():
        for holder, obj in getattr(source, "missing", lambda: [])():
            issued.append(certificate_issue(holder=holder, **{source.field: obj}))
    return issued


def certificates_holder_erase(*, user) -> int:
    """The holder's personal data was erased: their certificates lose the names and the signed
    credential (which carries the name), and those still in force are revoked at the holder's
    request, so a verifier is never told that a nameless certificate is valid. Returns how many
    certificates were changed."""
    now = timezone.now()
    revoked = Certificate.objects.filter(holder=user, revoked_at__isnull=True)
    revoked_pks = list(revoked.values_list("pk", flat=True))
    revoked.update(
        revoked_at=now,
        revocation_reason=RevocationReason.HOLDER_REQUEST,
        revocation_note="personal data erased",
    )
    changed = Certificate.objects.filter(holder=user).update(
        holder_name_arabic="", holder_name_latin="", credential={}
    )
    from .selectors import status_list_forget

    for pk in revoked_pks:
        transaction.on_commit(partial(status_list_forget, certificate_pk=pk))
    return changed
