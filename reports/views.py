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
from .forms import AssignForm, ReportFilterForm
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
    return render(
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
            "tabs": _tabs(by),
        },
    )


def _tabs(current: str) -> list[tuple[str, str, bool]]:
    return [(DIMENSION_TITLES[d](), reverse(f"reports:by_{d}"), d == current) for d in Dimension]


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
    return render(
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
    return render(
        request,
        "reports/learner.html",
        {
            "report": report,
            "learner_name": report.user.get_full_name() or report.user.username,
            "assign_form": assign_form,
            "csv_url": _csv_url(request),
        },
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
    return render(
        request,
        "reports/assignments.html",
        {
            "title": _("Overdue") if overdue_only else _("Assignments"),
            "overdue_only": overdue_only,
            "rows": list(selectors.assignment_rows(page.object_list)),
            "page_obj": page,
            "page_query": _page_query(request),
            "form": form,
            "assign_form": assign_form,
            "csv_url": _csv_url(request),
        },
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
