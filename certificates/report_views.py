"""The managers' certificate report, one of the reports (`/<lang>/reports/certificates/`):
counts by course, organisation or country, and who still holds a certificate issued before
its course was substantially changed. Same roles, scope, filters, print header and CSV as
every report (`reports.views`)."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.csv import csv_response
from reports.views import (
    csv_filename,
    csv_url,
    page_query,
    paginate,
    render_report,
    report_reader_required,
    wants_csv,
)

from . import report_selectors as selectors
from . import report_tables as tables
from .report_forms import CertificateFilterForm
from .report_selectors import Dimension

URLS = "certificates:report_"
TITLES = {
    Dimension.COURSE: lambda: _("Certificates by course"),
    Dimension.ORGANISATION: lambda: _("Certificates by organisation"),
    Dimension.COUNTRY: lambda: _("Certificates by country"),
}


def _filter_form(request) -> CertificateFilterForm:
    form = CertificateFilterForm(request.GET or None, scope=request.report_scope)
    if form.is_bound and not form.is_valid() and form.out_of_scope():
        raise Http404
    return form


@report_reader_required
def certificate_report(request, by: str = Dimension.COURSE):
    form = _filter_form(request)
    now = timezone.now()
    filters = form.filters()
    rows = selectors.certificate_counts(
        scope=request.report_scope, filters=filters, by=by, now=now, kind=form.kind()
    )
    if wants_csv(request):
        header, lines = tables.count_table(rows, by=by)
        return csv_response(
            filename=csv_filename(f"certificates-by-{by}"), header=header, rows=lines
        )
    title = TITLES[Dimension(by)]()
    return render_report(
        request,
        "certificates/reports/counts.html",
        {
            "title": title,
            "by": by,
            "dimensions": [
                (Dimension.COURSE, _("By course"), "certificates:report_by_course"),
                (
                    Dimension.ORGANISATION,
                    _("By organisation"),
                    "certificates:report_by_organisation",
                ),
                (Dimension.COUNTRY, _("By country"), "certificates:report_by_country"),
            ],
            "dimension_label": Dimension(by).label,
            "rows": rows,
            "totals": selectors.certificate_totals(rows),
            "expiring_days": selectors.EXPIRING_DAYS,
            "changed": selectors.changed_courses(scope=request.report_scope, filters=filters),
            "form": form,
            "csv_url": csv_url(request),
            "filter_query": page_query(request),
        },
        title=title,
        form=form,
    )


@report_reader_required
def held_before_change(request, course_id: int):
    """Holders in scope of a certificate issued before the course was substantially changed."""
    course = selectors.changed_course(course_id=course_id)
    if course is None:
        raise Http404
    form = _filter_form(request)
    now = timezone.now()
    certificates = selectors.holders_before_change(
        scope=request.report_scope, filters=form.filters(), course=course
    )
    if wants_csv(request):
        header, lines = tables.holder_table(
            selectors.holder_rows(certificates.iterator(chunk_size=selectors.BATCH_SIZE), now=now)
        )
        return csv_response(
            filename=csv_filename(f"course-{course.pk}-certificates-before-change"),
            header=header,
            rows=lines,
        )
    page = paginate(request, certificates)
    title = _("Certificates issued before the course changed")
    return render_report(
        request,
        "certificates/reports/held_before_change.html",
        {
            "title": title,
            "course": course,
            "rows": list(selectors.holder_rows(page.object_list, now=now)),
            "page_obj": page,
            "page_query": page_query(request),
            "form": form,
            "csv_url": csv_url(request),
        },
        title=f"{title}: {course.title}",
        form=form,
    )
