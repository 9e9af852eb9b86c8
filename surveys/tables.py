"""The CSV tables of survey results: the aggregate table and the free-text answers. Built
from the same `SurveyResults` the page shows, so the privacy floor holds alike."""

from django.utils.translation import gettext as _

from cms.sanitize import strip_html

from .models import QuestionKind
from .selectors import SurveyResults


def _question_rows(group: str, count, questions, floor: int):
    for q in questions:
        text = strip_html(q.question.text)
        kind = q.question.get_kind_display()
        base = [group, count, q.number, text, kind, q.answered]
        if q.hidden:
            yield [
                *base,
                _("fewer than %(floor)s responses") % {"floor": floor},
                "",
                "",
                "",
                "",
                "",
            ]
            continue
        if q.question.kind == QuestionKind.TEXT:
            continue
        if q.question.kind == QuestionKind.RANKING:
            for r in q.ranks:
                yield [*base, r.label, "", "", r.mean_rank, r.borda, r.first_places]
            continue
        for row in q.rows:
            yield [*base, row.label, row.count, row.percent, "", "", ""]
        if q.question.kind == QuestionKind.SCALE:
            if q.question.not_applicable:
                yield [*base, _("Not applicable"), q.not_applicable, "", "", "", ""]
            yield [*base, _("Mean"), "", "", q.mean, "", ""]
            yield [*base, _("Median"), "", "", q.median, "", ""]


def aggregate_table(results: SurveyResults):
    header = [
        _("Group"),
        _("Responses"),
        _("Question"),
        _("Question text"),
        _("Kind"),
        _("Answered"),
        _("Answer"),
        _("Count"),
        _("Percent"),
        _("Mean or mean rank"),
        _("Borda count"),
        _("Ranked first"),
    ]
    if not results.visible:
        message = _("fewer than %(floor)s responses") % {"floor": results.floor}
        return header, [[_("All"), "", "", message, "", "", "", "", "", "", "", ""]]

    def rows():
        yield from _question_rows(_("All"), results.selected, results.questions, results.floor)
        for group in results.groups:
            yield from _question_rows(group.label, group.count, group.questions, results.floor)
        if results.other is not None:
            yield from _question_rows(
                results.other.label, results.other.count, results.other.questions, results.floor
            )

    return header, rows()


def text_table(results: SurveyResults):
    header = [_("Question"), _("Question text"), _("Answer"), _("Language")]
    named = not results.survey.anonymous
    if named:
        header.append(_("Name"))
    if not results.visible:
        message = _("fewer than %(floor)s responses") % {"floor": results.floor}
        return header, [["", message, "", "", *([""] if named else [])]]

    def rows():
        for q in results.questions:
            if q.question.kind != QuestionKind.TEXT or q.hidden:
                continue
            text = strip_html(q.question.text)
            for answer in q.texts:
                yield [
                    q.number,
                    text,
                    answer.text,
                    answer.language,
                    *([answer.name] if named else []),
                ]

    return header, rows()
