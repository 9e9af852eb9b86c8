"""Manager reports. Views check the role, read the scope and the filters, ask a selector, then
render the page or stream the same rows as CSV (`?format=csv`)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.models import CoursePage

from . import selectors, services, tables
from .charts import Bar, bar_chart
from .csv import csv_response
from .forms import AssignForm, AssignmentChangeForm, ReportFilterForm
from .scope import OutOfScope, is_report_reader, manager_scope
from .selectors import Dimension

PAGE_SIZE = 50


def report_reader_required(view):
    """Managers and superusers only: others signed in get 403, visitors go to sign in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_report_reader(request.user):
            raise PermissionDenied
        request.report_scope = manager_scope(user=request.user)
        return view(request, *args, **kwargs)

    return wrapper


def _filter_form(request, *, with_course: bool = True) -> ReportFilterForm:
    form = ReportFilterForm(
        request.GET or None, scope=request.report_scope, with_course=with_course
    )
    if form.is_bound and not form.is_valid() and form.out_of_scope():
        raise Http404
    return form


def _report(
    request, template: str, context: dict, *, title: str, form=None, organisations=None, status=200
):
    """Render a report page, with what its printed header states. `organisations`: labels by
    id the page has read already (the reader's own is looked up otherwise)."""
    user = request.user
    if user.organisation_id:
        if organisations is not None and user.organisation_id in organisations:
            organisation = organisations[user.organisation_id]
        else:
            organisation = selectors.organisation_label(user.organisation_id)
    elif request.report_scope.everything:
        organisation = _("All organisations")
    else:
        organisation = ""
    context["print_header"] = {
        "title": title,
        "organisation": organisation,
        "filters": form.described() if form is not None else [],
        "date": timezone.localdate(),
    }
    return render(request, template, context, status=status)


def _wants_csv(request) -> bool:
    return request.GET.get("format") == "csv"


def _csv_url(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return f"{request.path}?{query.urlencode()}"


def _filename(stem: str) -> str:
    return f"{stem}-{translation.get_language()}-{timezone.localdate():%Y-%m-%d}.csv"


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _page_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


DIMENSION_TITLES = {
    Dimension.COURSE: lambda: _("Completion by course"),
    Dimension.ORGANISATION: lambda: _("Completion by organisation"),
    Dimension.COUNTRY: lambda: _("Completion by country"),
    Dimension.LANGUAGE: lambda: _("Completion by study language"),
}


@report_reader_required
def overview(request, by: str = Dimension.COURSE):
    form = _filter_form(request)
    rows = selectors.completion_rates(scope=request.report_scope, filters=form.filters(), by=by)
    if _wants_csv(request):
        header, lines = tables.summary_table(rows, by=by)
        return csv_response(filename=_filename(f"completion-by-{by}"), header=header, rows=lines)
    title = DIMENSION_TITLES[Dimension(by)]()
    chart = bar_chart(
        title=_("Completion rate"),
        bars=[Bar(r.label, r.completion_rate) for r in rows],
        rtl=translation.get_language_bidi(),
    )
    return _report(
        request,
        "reports/overview.html",
        {
            "title": title,
            "by": by,
            "dimension_label": Dimension(by).label,
            "rows": rows,
            "chart": chart if rows else None,
            "form": form,
            "csv_url": _csv_url(request),
        },
        title=title,
        form=form,
    )


@report_reader_required
def course_matrix(request, course_id: int):
    course = get_object_or_404(CoursePage, pk=course_id)
    form = _filter_form(request, with_course=False)
    matrix = selectors.course_matrix(
        scope=request.report_scope, filters=form.filters(), course=course
    )
    if _wants_csv(request):
        header, lines = tables.matrix_table(matrix.iter_rows(), activities=matrix.activities)
        return csv_response(
            filename=_filename(f"course-{course.pk}-learners"), header=header, rows=lines
        )
    page = _page(request, matrix.enrolments)
    return _report(
        request,
        "reports/matrix.html",
        {
            "course": course,
            "matrix": matrix,
            "rows": matrix.rows(page.object_list),
            "page_obj": page,
            "page_query": _page_query(request),
            "form": form,
            "csv_url": _csv_url(request),
        },
        title=course.title,
        form=form,
        organisations=matrix.organisations,
    )


@report_reader_required
def learner(request, user_id: int):
    try:
        report = selectors.learner_report(scope=request.report_scope, user_id=user_id)
    except OutOfScope:
        raise Http404 from None
    if _wants_csv(request):
        header, lines = tables.learner_table(report)
        return csv_response(filename=_filename(f"learner-{user_id}"), header=header, rows=lines)
    assign_form = AssignForm(scope=request.report_scope, initial={"learner": user_id})
    return _learner_page(request, report, assign_form=assign_form)


def _learner_page(request, report, *, assign_form: AssignForm, status: int = 200):
    name = report.user.get_full_name() or report.user.username
    return _report(
        request,
        "reports/learner.html",
        {
            "report": report,
            "learner_name": name,
            "assign_form": assign_form,
            "csv_url": f"{reverse('reports:learner', args=[report.user.pk])}?format=csv",
        },
        title=name,
        status=status,
    )


def _assignment_list(request, *, overdue_only: bool):
    form = _filter_form(request)
    enrolments = selectors.assignments(
        scope=request.report_scope, filters=form.filters(), overdue_only=overdue_only
    )
    return form, enrolments


@report_reader_required
def assignments(request):
    scope = request.report_scope
    if request.method == "POST":
        assign_form = AssignForm(request.POST, scope=scope)
        if assign_form.is_valid():
            return _assign(request, assign_form)
        if assign_form.cleaned_data.get("learner"):
            # Sent from a learner's page: answered there, with the form's errors.
            try:
                report = selectors.learner_report(
                    scope=scope, user_id=assign_form.cleaned_data["learner"]
                )
            except OutOfScope:
                raise Http404 from None
            return _learner_page(request, report, assign_form=assign_form, status=400)
    else:
        assign_form = AssignForm(scope=scope)
    return _assignments_page(request, assign_form=assign_form, overdue_only=False)


@report_reader_required
def overdue(request):
    return _assignments_page(request, assign_form=None, overdue_only=True)


def _assignments_page(request, *, assign_form, overdue_only: bool):
    form, enrolments = _assignment_list(request, overdue_only=overdue_only)
    if _wants_csv(request):
        header, lines = tables.assignment_table(
            selectors.assignment_rows(enrolments.iterator(chunk_size=selectors.BATCH_SIZE))
        )
        stem = "overdue" if overdue_only else "assignments"
        return csv_response(filename=_filename(stem), header=header, rows=lines)
    page = _page(request, enrolments)
    title = _("Overdue") if overdue_only else _("Assignments")
    return _report(
        request,
        "reports/assignments.html",
        {
            "title": title,
            "overdue_only": overdue_only,
            "rows": list(selectors.assignment_rows(page.object_list)),
            "page_obj": page,
            "page_query": _page_query(request),
            "form": form,
            "assign_form": assign_form,
            "csv_url": _csv_url(request),
        },
        title=title,
        form=form,
        status=400 if assign_form is not None and assign_form.errors else 200,
    )


def _assign(request, form: AssignForm):
    scope = request.report_scope
    data = form.cleaned_data
    if data.get("learner"):
        try:
            learners = [selectors.learner_in_scope(scope=scope, user_id=data["learner"])]
        except OutOfScope:
            raise Http404 from None
        target = reverse("reports:learner", args=[data["learner"]])
    else:
        units = selectors.organisation_with_units(organisation=data["organisation"])
        learners = selectors.assignable_learners(scope=scope, organisation_ids=units).values_list(
            "pk", flat=True
        )
        target = reverse("reports:assignments")
    try:
        count = services.course_assign(
            manager=request.user,
            learners=learners,
            course=data["course"],
            due_date=data["due_date"],
        )
    except OutOfScope:
        raise Http404 from None
    messages.success(
        request,
        ngettext(
            "The course was assigned to %(count)s learner.",
            "The course was assigned to %(count)s learners.",
            count,
        )
        % {"count": count},
    )
    return HttpResponseRedirect(target)


@report_reader_required
def assignment(request, enrolment_id: int):
    """One assignment: change its due date, or withdraw it."""
    try:
        enrolment = selectors.assignment_in_scope(
            scope=request.report_scope, enrolment_id=enrolment_id
        )
    except OutOfScope:
        raise Http404 from None
    learner_name = enrolment.user.get_full_name() or enrolment.user.username
    form = AssignmentChangeForm(initial={"due_date": enrolment.due_date})
    if request.method == "POST":
        if "withdraw" in request.POST:
            services.assignment_withdraw(manager=request.user, enrolment=enrolment)
            messages.success(
                request,
                _("The course is no longer assigned to %(name)s.") % {"name": learner_name},
            )
            return HttpResponseRedirect(reverse("reports:assignments"))
        form = AssignmentChangeForm(request.POST)
        if form.is_valid():
            services.assignment_change(
                manager=request.user, enrolment=enrolment, due_date=form.cleaned_data["due_date"]
            )
            messages.success(request, _("The due date has been changed."))
            return HttpResponseRedirect(reverse("reports:assignments"))
    return _report(
        request,
        "reports/assignment.html",
        {"enrolment": enrolment, "learner_name": learner_name, "form": form},
        title=_("Assignment"),
        status=400 if form.errors else 200,
    )


# --- For reports that other apps add (certificates): the same frame, export link and paging.
render_report = _report
wants_csv = _wants_csv
csv_url = _csv_url
csv_filename = _filename
paginate = _page
page_query = _page_query
