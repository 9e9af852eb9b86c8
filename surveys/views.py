"""Survey views: the survey page itself (answering, changing one's answers) and the results
for report readers, as a page and as CSV. Thin: read the request, ask a selector or a
service, render."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.selectors import activity_navigation
from courses.services import NotAnActivity, activity_open
from quizzes.templatetags.quiz_tags import authored_inline
from reports.csv import csv_response
from reports.views import report_reader_required

from . import selectors, services, tables
from .charts import diverging_chart
from .forms import ResponseForm, initial_from
from .gates import response_refusal
from .models import QuestionKind, SurveyPage
from .results_forms import ResultFilterForm


def survey_serve(page: SurveyPage, request, render_page):
    """GET shows the form (with the person's answers while they may change them); POST
    records them, then redirects back (so a reload never submits twice)."""
    language = request.LANGUAGE_CODE
    try:
        activity_open(user=request.user, activity=page, language=language)
    except NotAnActivity:
        raise Http404 from None
    services.survey_keys_forget(survey_ids=[page.pk])
    questions = selectors.survey_questions(survey=page)
    refusal = response_refusal(user=request.user, survey=page, now=timezone.now())
    is_open = page.is_open() and not refusal
    responded = selectors.has_responded(survey=page, user=request.user)
    response = selectors.own_response(survey=page, user=request.user) if responded else None
    initial = initial_from(response, questions) if response is not None else {}
    status = 200
    if request.method == "POST" and is_open:
        form = ResponseForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                services.response_submit(
                    survey=page, user=request.user, answers=form.answers(), language=language
                )
            except services.SurveyClosed as closed:
                messages.error(
                    request,
                    closed.reason or _("This survey has closed: your answers were not saved."),
                )
            else:
                messages.success(
                    request,
                    _("Your answers have been changed.")
                    if responded
                    else _("Thank you: your answers have been recorded."),
                )
            return HttpResponseRedirect(request.path)
        status = 400
    elif request.method == "POST":
        messages.error(request, _("This survey is not open: your answers were not saved."))
        return HttpResponseRedirect(request.path)
    else:
        form = ResponseForm(initial=initial, questions=questions, disabled=not is_open)
    request.survey_context = {
        "form": form,
        "entries": _entries(form, questions),
        "is_open": is_open,
        "has_closed": page.has_closed(),
        "refusal": refusal,
        "survey_open": page.is_open(),
        "responded": responded,
        "navigation": activity_navigation(activity=page, user=request.user, request=request),
    }
    result = render_page(request)
    result.status_code = status
    return result


def _entries(form: ResponseForm, questions) -> list[dict]:
    """What the template draws for each question: the question and its bound field(s)."""
    from .forms import field_name, rank_name

    entries = []
    for number, question in enumerate(questions, 1):
        if question.kind == QuestionKind.RANKING:
            fields = [form[rank_name(question, i)] for i in range(len(question.option_lines()))]
            errors = [e for f in fields for e in f.errors]
        else:
            fields = [form[field_name(question)]]
            errors = list(fields[0].errors)
        entries.append({"number": number, "question": question, "fields": fields, "errors": errors})
    return entries


def _survey_or_404(survey_id: int) -> SurveyPage:
    return get_object_or_404(SurveyPage.objects.live(), pk=survey_id)


@report_reader_required
def results_index(request):
    rows = selectors.surveys_for_reader(scope=request.report_scope)
    return render(request, "surveys/results_index.html", {"rows": rows, "title": _("Surveys")})


@report_reader_required
def results(request, survey_id: int):
    survey = _survey_or_404(survey_id)
    services.survey_keys_forget(survey_ids=[survey.pk])
    form = ResultFilterForm(request.GET or None, scope=request.report_scope, survey=survey)
    if form.is_bound and not form.is_valid() and form.out_of_scope():
        raise Http404
    filters = form.filters()
    wants = request.GET.get("format")
    if wants == "csv":
        found = selectors.survey_results(
            survey=survey, scope=request.report_scope, filters=filters, texts_limit=0
        )
        header, rows = tables.aggregate_table(found)
        return csv_response(filename=_filename(survey, "results"), header=header, rows=rows)
    if wants == "text-csv":
        found = selectors.survey_results(
            survey=survey, scope=request.report_scope, filters=filters, texts_limit=None
        )
        header, rows = tables.text_table(found)
        return csv_response(filename=_filename(survey, "answers"), header=header, rows=rows)
    found = selectors.survey_results(survey=survey, scope=request.report_scope, filters=filters)
    # Each question's text, sanitised once however many groups show it.
    for result in found.questions:
        result.question.inline_html = authored_inline(result.question.text)
    rtl = translation.get_language_bidi()
    scale_rows = [
        (
            f"{q.number}. {q.question.text and _plain(q.question.text)}",
            q.segments,
            q.question.scale_points,
        )
        for q in found.questions
        if q.question.kind == QuestionKind.SCALE and q.segments
    ]
    chart = diverging_chart(title=_("Answers to the scale questions"), rows=scale_rows, rtl=rtl)
    query = request.GET.copy()
    query["format"] = "csv"
    csv_url = f"{request.path}?{query.urlencode()}"
    query["format"] = "text-csv"
    text_csv_url = f"{request.path}?{query.urlencode()}"
    return render(
        request,
        "surveys/results.html",
        {
            "title": survey.title,
            "survey": survey,
            "results": found,
            "form": form,
            "chart": chart if scale_rows else None,
            "scale_legend": _legend(found),
            "csv_url": csv_url,
            "text_csv_url": text_csv_url,
            "print_header": {
                "title": survey.title,
                "organisation": "",
                "filters": form.described(),
                "date": timezone.localdate(),
            },
        },
    )


def _plain(html: str) -> str:
    from cms.sanitize import strip_html

    return strip_html(html)


def _legend(found) -> list[dict]:
    """The colours of the chart, from the first scale question's labels."""
    for q in found.questions:
        if q.question.kind == QuestionKind.SCALE and q.segments:
            points = q.question.scale_points
            return [
                {"class": f"chart-point--{points}-{n}", "label": label}
                for n, label in enumerate(q.question.point_labels(), 1)
            ]
    return []


def _filename(survey: SurveyPage, stem: str) -> str:
    language = translation.get_language()
    return f"survey-{survey.pk}-{stem}-{language}-{timezone.localdate():%Y-%m-%d}.csv"
