"""The knowledge-gain report's pages, `/<lang>/reports/workshops/` and `…/<slug>/`: check the
reader, ask a selector, then render the page or stream one of its tables as CSV
(`?format=csv`, `&table=` one of TABLES; the participants by default)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports.csv import csv_response
from reports.scope import Scope

from . import report_selectors as selectors
from . import report_tables as tables
from . import survey_links
from .report_charts import Dumbbell, dumbbell_chart

PAGE_SIZE = 25
TABLES = ("participants", "not-completed", "groups", "categories")


def workshop_report_reader(view):
    """Administrators, managers and facilitators: others signed in get 403, visitors sign in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            request.workshop_reader = selectors.report_reader(request.user)
        except selectors.NotAReader:
            raise PermissionDenied from None
        return view(request, *args, **kwargs)

    return wrapper


def _filename(stem: str) -> str:
    return f"{stem}-{translation.get_language()}-{timezone.localdate():%Y-%m-%d}.csv"


def _csv_url(request, table: str | None = None) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    if table:
        query["table"] = table
    else:
        query.pop("table", None)
    return f"{request.path}?{query.urlencode()}"


def _print_header(request, title: str) -> dict:
    organisation = request.user.organisation
    return {
        "title": title,
        "organisation": str(organisation)
        if organisation is not None
        else (_("All organisations") if request.user.is_superuser else ""),
        "filters": [],
        "date": timezone.localdate(),
    }


@workshop_report_reader
def workshop_list(request):
    reader = request.workshop_reader
    workshops = selectors.visible_workshops(reader)
    if request.GET.get("format") == "csv":
        if request.GET.get("table") == "workshops":
            header, lines = tables.summary_table(
                selectors.workshop_summaries(reader, list(workshops))
            )
            return csv_response(filename=_filename("workshops"), header=header, rows=lines)
        slugs = dict(selectors.visible_workshops(reader).values_list("pk", "slug"))
        header, lines = tables.all_participants_table(selectors.all_participants(reader), slugs)
        return csv_response(filename=_filename("workshop-participants"), header=header, rows=lines)
    page = Paginator(workshops, PAGE_SIZE).get_page(request.GET.get("page"))
    title = _("Workshops: knowledge gain")
    return render(
        request,
        "workshops/report/list.html",
        {
            "title": title,
            "summaries": selectors.workshop_summaries(reader, list(page.object_list)),
            "page_obj": page,
            "page_query": "",
            "csv_url": _csv_url(request),
            "summary_csv_url": _csv_url(request, "workshops"),
            "print_header": _print_header(request, title),
            "manager_nav": reader.scope is not None,
        },
    )


def _chart(report: selectors.WorkshopReport):
    rows = [
        Dumbbell(g.label, g.figures.mean_pre, g.figures.mean_post, g.figures.paired)
        for g in report.groups["country"]
    ]
    if not any(r.paired for r in rows):
        return None
    return dumbbell_chart(
        title=_("Mean pre-test and post-test scores by country"),
        rows=rows,
        rtl=translation.get_language_bidi(),
        id_prefix="by-country",
    )


def _csv(request, report: selectors.WorkshopReport, table: str):
    slug = report.workshop.slug
    if table == "participants":
        header, lines = tables.participant_table(report.participants)
    elif table == "not-completed":
        header, lines = tables.participant_table(report.not_completed)
    elif table == "groups":
        header, lines = tables.group_table(
            (selectors.grouping_label(grouping), rows) for grouping, rows in report.groups.items()
        )
    else:
        header, lines = tables.category_table(report.categories)
    return csv_response(filename=_filename(f"workshop-{slug}-{table}"), header=header, rows=lines)


@workshop_report_reader
def workshop_detail(request, slug: str):
    wants_csv = request.GET.get("format") == "csv"
    table = request.GET.get("table", "participants")
    if wants_csv and table not in TABLES:
        raise Http404
    try:
        report = selectors.workshop_report(
            request.workshop_reader, slug, categories=not wants_csv or table == "categories"
        )
    except selectors.OutOfScope:
        raise Http404 from None
    if wants_csv:
        return _csv(request, report, table)
    title = report.workshop.title
    reader = request.workshop_reader
    evaluation = survey_links.evaluation_summary(
        workshop=report.workshop,
        scope=Scope(everything=True) if report.all_participants else reader.scope,
    )
    evaluation_url = ""
    if evaluation is not None and reader.scope is not None:  # the results are for managers
        evaluation_url = (
            reverse("surveys:results", args=[evaluation.survey.pk]) + "?" + evaluation.results_query
        )
    groupings = [
        (grouping, selectors.grouping_label(grouping), rows)
        for grouping, rows in report.groups.items()
        if grouping != "workshop"
    ]
    return render(
        request,
        "workshops/report/detail.html",
        {
            "title": title,
            "report": report,
            "whole": report.whole,
            "groupings": groupings,
            "chart": _chart(report),
            "evaluation": evaluation,
            "evaluation_url": evaluation_url,
            "csv_urls": {t.replace("-", "_"): _csv_url(request, t) for t in TABLES},
            "print_header": _print_header(request, title),
            "manager_nav": request.workshop_reader.scope is not None,
        },
    )
