"""Every read of the surveys app: the person's own response, and results for report readers.

Results are aggregated in the database (GROUP BY over answers), a fixed number of queries
whatever the number of responses, then passed through the privacy floor
(`statistics.suppress`, `statistics.selection_visible`). Results never read who wrote a
response: rows are grouped, or listed in id order (random), never in the order they came.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django_countries import countries

from reports.scope import Scope
from reports.selectors import organisation_labels

from . import statistics
from .dimensions import dimension
from .models import QuestionKind, SurveyAnswer, SurveyPage, SurveyQuestion, SurveyResponse
from .services import respondent_key

TEXTS_SHOWN = 100  # free-text answers listed per question on the page (the CSV has them all)
BREAKDOWNS = ("country", "organisation", "language")


def min_group() -> int:
    return int(getattr(settings, "TADRIB_SURVEY_MIN_GROUP", 5))


def survey_questions(*, survey: SurveyPage) -> list[SurveyQuestion]:
    return list(survey.questions.all().order_by("sort_order", "pk"))


def own_response(*, survey: SurveyPage, user) -> SurveyResponse | None:
    """The person's response, with its answers, while they may see it: by user for a named
    survey, by keyed hash for an anonymous one (gone once the survey has closed)."""
    if survey.anonymous:
        who = {"respondent_key": respondent_key(survey=survey, user=user)}
    else:
        who = {"user": user}
    return SurveyResponse.objects.filter(survey=survey, **who).prefetch_related("answers").first()


def has_responded(*, survey: SurveyPage, user) -> bool:
    from .models import SurveyParticipation

    return SurveyParticipation.objects.filter(survey=survey, user=user).exists()


@dataclass(frozen=True)
class ResultFilters:
    country: str = ""
    organisation_ids: frozenset[int] = frozenset()
    language: str = ""
    breakdown: str = ""
    # Registered dimensions (dimensions.py): (key, group key) pairs, e.g. (("workshop", 3),)
    groups: tuple[tuple[str, int], ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.country or self.organisation_ids or self.language or self.groups)

    def q(self, prefix: str = "") -> Q:
        condition = Q()
        if self.country:
            condition &= Q(**{f"{prefix}country": self.country})
        if self.organisation_ids:
            condition &= Q(**{f"{prefix}organisation_id__in": sorted(self.organisation_ids)})
        if self.language:
            condition &= Q(**{f"{prefix}language": self.language})
        for key, value in self.groups:
            registered = dimension(key)
            if registered is None:
                condition &= Q(pk__in=[])
            else:
                condition &= Q(**{f"{prefix}{registered.lookup}": value})
        return condition


def scope_q(scope: Scope, prefix: str = "") -> Q:
    """Responses of people the reader may see, by the organisation they answered from."""
    if scope.everything:
        return Q()
    condition = Q(pk__in=[])
    if scope.organisation_ids:
        condition |= Q(**{f"{prefix}organisation_id__in": sorted(scope.organisation_ids)})
    if scope.countries:
        condition |= Q(**{f"{prefix}country__in": sorted(scope.countries)})
    return condition


def responses_in_scope(*, survey: SurveyPage, scope: Scope) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(scope_q(scope), survey=survey)


@dataclass
class OptionRow:
    label: str
    count: int
    percent: int | None
    value: int | None = None  # scale point


@dataclass
class RankRow:
    label: str
    mean_rank: Decimal | None
    borda: int
    first_places: int


@dataclass
class TextAnswer:
    text: str
    language: str
    direction: str
    name: str = ""


@dataclass
class QuestionResult:
    number: int
    question: SurveyQuestion
    answered: int
    hidden: bool = False  # answered by fewer than the floor (within a group)
    rows: list[OptionRow] = field(default_factory=list)
    not_applicable: int = 0
    mean: Decimal | None = None
    median: Decimal | None = None
    ranks: list[RankRow] = field(default_factory=list)
    texts: list[TextAnswer] = field(default_factory=list)
    segments: list = field(default_factory=list)


@dataclass
class GroupResult:
    key: object
    label: str
    count: int
    questions: list[QuestionResult]


@dataclass
class SurveyResults:
    survey: SurveyPage
    floor: int
    total: int  # responses in the reader's scope
    selected: int  # after filters
    visible: bool
    questions: list[QuestionResult]
    breakdown: str = ""
    groups: list[GroupResult] = field(default_factory=list)
    other: GroupResult | None = None
    hidden_groups: int = 0


BUILT_IN_FIELDS = {"country": "country", "organisation": "organisation_id", "language": "language"}


def _group_field(breakdown: str) -> str:
    if breakdown in BUILT_IN_FIELDS:
        return BUILT_IN_FIELDS[breakdown]
    registered = dimension(breakdown)
    if registered is None:
        raise KeyError(breakdown)
    return registered.lookup


def group_labels(breakdown: str, keys) -> dict:
    """The labels of a breakdown's groups that are not computed from the key alone."""
    if breakdown == "organisation":
        return organisation_labels()
    registered = dimension(breakdown)
    if registered is not None:
        return registered.labels([k for k in keys if k is not None])
    return {}


def group_label(breakdown: str, key, labels: dict) -> str:
    registered = dimension(breakdown)
    if key in (None, ""):
        return str(registered.none_label) if registered is not None else _("None")
    if breakdown == "country":
        return str(countries.name(key)) or str(key)
    if breakdown == "organisation" or registered is not None:
        return str(labels.get(key, ""))
    return str(get_language_info(key)["name_translated"])


def _question_result(number, question, counts, answered, floor, *, with_segments) -> QuestionResult:
    """One question's statistics from its counts ({(option, value): n}) and respondents."""
    result = QuestionResult(number=number, question=question, answered=answered)
    if answered < floor:
        result.hidden = True
        return result
    if question.kind == QuestionKind.SCALE:
        by_point = {value: n for (_option, value), n in counts.items() if value is not None}
        result.not_applicable = by_point.get(0, 0)
        rated = answered - result.not_applicable
        result.rows = [
            OptionRow(
                label,
                by_point.get(point, 0),
                statistics.percent(by_point.get(point, 0), rated),
                point,
            )
            for point, label in enumerate(question.point_labels(), 1)
        ]
        result.mean = statistics.scale_mean(by_point)
        result.median = statistics.scale_median(by_point)
        if with_segments:
            result.segments = statistics.diverging_segments(by_point, points=question.scale_points)
    elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        by_option = {option: n for (option, _value), n in counts.items() if option is not None}
        result.rows = [
            OptionRow(label, by_option.get(i, 0), statistics.percent(by_option.get(i, 0), answered))
            for i, label in enumerate(question.option_lines())
        ]
    elif question.kind == QuestionKind.RANKING:
        items = question.option_lines()
        ranked = statistics.ranking_summary(
            {(o, v): n for (o, v), n in counts.items() if o is not None and v is not None},
            items=len(items),
        )
        result.ranks = [
            RankRow(items[r.option], r.mean_rank, r.borda, r.first_places)
            for r in ranked
            if r.option < len(items)
        ]
    return result


def _answered(kind: str, own: dict) -> int:
    """How many responses answered a question, from its counts {(option, value): n}: one row
    per response for scales, single choices and texts; for multiple choice the row without
    an option that marks the question answered; for rankings the items ranked first."""
    if kind == QuestionKind.MULTIPLE:
        return own.get((None, None), 0)
    if kind == QuestionKind.RANKING:
        return sum(n for (option, value), n in own.items() if value == 1)
    return sum(own.values())


def _counts(answers: QuerySet[SurveyAnswer], group: str | None, kinds: dict[int, str]):
    """({(group, question): {(option, value): n}}, {(group, question): respondents}) from one
    GROUP BY query; with `group`, also the totals over groups under the group None."""
    keys = ["question_id", "option", "value"]
    extra = [f"response__{group}"] if group else []
    by_question: dict = {}
    for row in answers.values(*extra, *keys).annotate(n=Count("id")).order_by():
        point = (row["option"], row["value"])
        question = row["question_id"]
        groups = (row[extra[0]], None) if extra else (None,)
        for g in groups:
            own = by_question.setdefault((g, question), {})
            own[point] = own.get(point, 0) + row["n"]
    answered = {(g, q): _answered(kinds.get(q, ""), own) for (g, q), own in by_question.items()}
    return by_question, answered


def _results_for(
    questions, counts, answered, group, floor, *, with_segments
) -> list[QuestionResult]:
    """Each question's result in `group`, from `counts` ({(group, question): {(option,
    value): n}}): one dictionary look-up per question, whatever the number of groups."""
    results = []
    for number, question in enumerate(questions, 1):
        if question.kind == QuestionKind.TEXT:
            results.append(QuestionResult(number, question, answered.get((group, question.pk), 0)))
            continue
        results.append(
            _question_result(
                number,
                question,
                counts.get((group, question.pk), {}),
                answered.get((group, question.pk), 0),
                floor,
                with_segments=with_segments,
            )
        )
    return results


def text_answers(
    *,
    survey: SurveyPage,
    responses: QuerySet[SurveyResponse],
    limit: int | None,
    question_ids: list[int] | None = None,
):
    """Free-text answers by question id, in id order (random, never the order of writing);
    with the respondent's name for named surveys. At most `limit` per question (None: all)."""
    if limit == 0:
        return {}
    answers = SurveyAnswer.objects.filter(
        response__in=responses, question__page=survey, question__kind=QuestionKind.TEXT
    ).exclude(text="")
    fields = ["question_id", "text", "response__language"]
    if not survey.anonymous:
        fields += ["response__user__first_name", "response__user__last_name"]
    if limit is not None and connection.features.supports_slicing_ordering_in_compound:
        # The first `limit` of each text question, each read by the (question, id) index and
        # stopped there, in one UNION ALL: not every answer numbered and then filtered.
        ids = question_ids
        if ids is None:
            ids = list(
                SurveyQuestion.objects.filter(page=survey, kind=QuestionKind.TEXT)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        if not ids:
            return {}
        parts = [
            answers.filter(question_id=pk).order_by("id").values(*fields, "id")[:limit]
            for pk in ids
        ]
        rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        ordered = sorted(rows, key=lambda row: (row["question_id"], row["id"]))
    else:
        if limit is not None:
            answers = answers.annotate(
                position=Window(
                    RowNumber(), partition_by=[F("question_id")], order_by=F("id").asc()
                )
            ).filter(position__lte=limit)
        ordered = answers.values(*fields).order_by("question_id", "id").iterator(chunk_size=2000)
    found: dict[int, list[TextAnswer]] = {}
    for row in ordered:
        language = row["response__language"]
        name = ""
        if not survey.anonymous:
            name = f"{row['response__user__first_name']} {row['response__user__last_name']}"
        found.setdefault(row["question_id"], []).append(
            TextAnswer(
                text=row["text"],
                language=language,
                direction="rtl" if language == "ar" else "ltr",
                name=name.strip(),
            )
        )
    return found


def survey_results(
    *,
    survey: SurveyPage,
    scope: Scope,
    filters: ResultFilters,
    texts_limit: int | None = TEXTS_SHOWN,
) -> SurveyResults:
    """The results the reader may see: the responses of people in their scope, filtered,
    shown only above the privacy floor, broken down into groups that each reach it."""
    floor = min_group()
    questions = survey_questions(survey=survey)
    in_scope = responses_in_scope(survey=survey, scope=scope)
    tally = in_scope.aggregate(total=Count("id"), selected=Count("id", filter=filters.q()))
    total, selected = tally["total"], tally["selected"]
    results = SurveyResults(
        survey=survey,
        floor=floor,
        total=total,
        selected=selected,
        visible=statistics.selection_visible(selected=selected, total=total, floor=floor)
        if filters.active
        else total >= floor,
        questions=[],
        breakdown=filters.breakdown,
    )
    if not results.visible:
        return results
    selection = in_scope.filter(filters.q())
    answers = SurveyAnswer.objects.filter(response__in=selection)
    kinds = {q.pk: q.kind for q in questions}
    group = _group_field(filters.breakdown) if filters.breakdown else None
    # One GROUP BY: by group when breaking down (the totals are their sums), else overall.
    counts, answered = _counts(answers, group, kinds)
    results.questions = _results_for(questions, counts, answered, None, floor, with_segments=True)
    texts = text_answers(
        survey=survey,
        responses=selection,
        limit=texts_limit,
        question_ids=[q.pk for q in questions if q.kind == QuestionKind.TEXT],
    )
    for result in results.questions:
        if result.question.kind == QuestionKind.TEXT:
            result.hidden = result.answered < floor
            result.texts = [] if result.hidden else texts.get(result.question.pk, [])
    if group:
        sizes = {
            row[group]: row["n"]
            for row in selection.values(group).annotate(n=Count("id")).order_by()
        }
        kept = statistics.suppress(sizes, floor=floor)
        labels = group_labels(filters.breakdown, kept.shown)
        results.groups = sorted(
            (
                GroupResult(
                    key,
                    group_label(filters.breakdown, key, labels),
                    sizes[key],
                    _results_for(questions, counts, answered, key, floor, with_segments=False),
                )
                for key in kept.shown
            ),
            key=lambda g: g.label,
        )
        results.hidden_groups = len(kept.hidden)
        if kept.other_shown:
            merged_counts: dict = {}
            merged_answered: dict = {}
            for (g, q), own in counts.items():
                if g in kept.hidden:
                    merged = merged_counts.setdefault(("other", q), {})
                    for point, n in own.items():
                        merged[point] = merged.get(point, 0) + n
            for (g, q), n in answered.items():
                if g in kept.hidden:
                    merged_answered[("other", q)] = merged_answered.get(("other", q), 0) + n
            results.other = GroupResult(
                "other",
                _("Other groups, fewer than %(floor)s responses each") % {"floor": floor},
                sum(sizes[key] for key in kept.hidden),
                _results_for(
                    questions, merged_counts, merged_answered, "other", floor, with_segments=False
                ),
            )
    return results


def surveys_for_reader(*, scope: Scope) -> list[dict]:
    """Every survey with the number of responses the reader may count: two queries."""
    surveys = list(SurveyPage.objects.live().order_by("path"))
    counts = {
        row["survey_id"]: row["n"]
        for row in SurveyResponse.objects.filter(scope_q(scope))
        .values("survey_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    return [{"survey": s, "responses": counts.get(s.pk, 0)} for s in surveys]
