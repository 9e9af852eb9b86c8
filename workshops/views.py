"""Participants' and facilitators' pages. Each view checks who the reader is on the server: a
workshop they neither take part in nor facilitate is a 404; a learner on a facilitator's page
is a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import AttendanceCsvForm
from .models import Workshop
from .page_sections import page_sections


@login_required
def workshop_list(request):
    taking, managing = selectors.workshop_list(user=request.user)
    standings = {}
    for workshop in taking:
        standing = selectors.standings(workshop, [request.user.pk]).get(request.user.pk)
        standings[workshop.pk] = standing
    return render(
        request,
        "workshops/workshop_list.html",
        {
            "taking": [(w, standings.get(w.pk)) for w in taking],
            "managing": managing,
        },
    )


@login_required
def workshop_detail(request, slug: str):
    workshop = selectors.visible_workshop(user=request.user, slug=slug)
    if workshop is None:
        raise Http404
    page = selectors.workshop_page(workshop=workshop, user=request.user, request=request)
    return render(
        request,
        "workshops/workshop_detail.html",
        {
            "p": page,
            "workshop": workshop,
            "sections": page_sections(user=request.user, workshop=workshop),
        },
    )


def _managed_workshop(request, slug: str) -> Workshop:
    """The workshop, if the reader facilitates it or is an administrator; 403 for someone who
    facilitates nothing (a learner), 404 for another facilitator's workshop."""
    workshop = Workshop.objects.filter(slug=slug).first()
    if workshop is not None and selectors.may_manage(request.user, workshop):
        return workshop
    if not selectors.facilitated(request.user).exists():
        raise PermissionDenied
    raise Http404


def _session_number(request, count: int) -> int:
    raw = request.POST.get("session") or request.GET.get("session") or "1"
    try:
        number = int(raw)
    except ValueError:
        raise Http404 from None
    if count and not 1 <= number <= count:
        raise Http404
    return number


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, slug: str):
    """One session at a time: a checkbox per participant, saved by a plain form."""
    workshop = _managed_workshop(request, slug)
    sessions = list(workshop.sessions.all())
    number = _session_number(request, len(sessions))
    session = sessions[number - 1] if sessions else None
    url = reverse("workshops:attendance", args=[workshop.slug])
    if request.method == "POST" and session is not None:
        sheet = selectors.attendance_sheet(session=session)
        present = set(request.POST.getlist("present"))
        marks = {row.participant_id: str(row.participant_id) in present for row in sheet}
        services.attendance_record(session=session, marks=marks, recorded_by=request.user)
        messages.success(
            request,
            ngettext(
                "Attendance saved: %(present)s of %(count)s participant present.",
                "Attendance saved: %(present)s of %(count)s participants present.",
                len(marks),
            )
            % {"present": sum(marks.values()), "count": len(marks)},
        )
        following = number + 1 if request.POST.get("next") and number < len(sessions) else number
        return redirect(f"{url}?session={following}")
    counts = selectors.attendance_counts(workshop=workshop)
    return render(
        request,
        "workshops/attendance.html",
        {
            "workshop": workshop,
            "sessions": [(n, s, counts.get(s.pk, 0)) for n, s in enumerate(sessions, start=1)],
            "session": session,
            "number": number,
            "count": len(sessions),
            "sheet": selectors.attendance_sheet(session=session) if session else [],
            "csv_form": AttendanceCsvForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_import(request, slug: str):
    workshop = _managed_workshop(request, slug)
    form = AttendanceCsvForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        result = services.attendance_import(
            workshop=workshop, text=form.cleaned_data["file"], recorded_by=request.user
        )
        if result.ok:
            messages.success(
                request,
                ngettext(
                    "%(count)s attendance mark imported.",
                    "%(count)s attendance marks imported.",
                    result.written,
                )
                % {"count": result.written},
            )
            return redirect("workshops:attendance", workshop.slug)
        errors = result.errors
    return render(
        request,
        "workshops/attendance_import.html",
        {
            "workshop": workshop,
            "form": form,
            "errors": errors,
            "status_note": _("Nothing was saved.") if errors else "",
        },
        status=400 if errors else 200,
    )
