"""A workshop's surveys: the needs assessment answered before it and the evaluation answered
after it (docs/workshops.md, "Surveys").

workshops depends on surveys, never the other way: surveys reaches this module only through
what it offers the apps built on it, registered in apps.py — its `response_saved` signal (to
record which workshop a response was given for), its response gates (the evaluation opens to
a participant once the last session has ended) and its results dimensions (results filtered
and broken down by workshop).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.scope import Scope
from surveys.dimensions import Dimension
from surveys.gates import response_refusal
from surveys.models import QuestionKind, SurveyPage, SurveyParticipation
from surveys.selectors import OptionRow, ResultFilters, survey_results

from . import rules, selectors
from .models import Participant, SurveyResponseWorkshop, Workshop

DIMENSION = "workshop"


def _naming(survey_id: int) -> Q:
    return Q(needs_survey_id=survey_id) | Q(evaluation_survey_id=survey_id)


def workshop_of_response(*, survey_id: int, user) -> Workshop | None:
    """The workshop a person's response to `survey_id` is given for: among the workshops that
    name the survey and that the person takes part in, the one that starts last."""
    return (
        Workshop.objects.filter(_naming(survey_id), participants__user=user)
        .order_by("-starts_at", "-pk")
        .first()
    )


def on_survey_response_saved(sender, *, survey, response, user, **kwargs):
    """Record (or move, or forget) the workshop of a response, in the response's transaction.
    Only the response and the workshop are kept, never the person."""
    workshop = workshop_of_response(survey_id=survey.pk, user=user)
    if workshop is None:
        SurveyResponseWorkshop.objects.filter(response=response).delete()
    else:
        SurveyResponseWorkshop.objects.update_or_create(
            response=response, defaults={"workshop": workshop}
        )


def workshop_evaluation_gate(*, user, survey, now):
    """A participant answers a workshop's evaluation once its last session has ended. People who
    take part in no workshop evaluated by this survey are not restricted by it."""
    if not getattr(user, "is_authenticated", False):
        return None
    workshops = Workshop.objects.filter(
        evaluation_survey_id=survey.pk, participants__user=user
    ).distinct()
    for workshop in workshops:
        span = selectors.span_of(workshop)
        if rules.post_test_open(now, span.last_ends):
            continue
        if span.last_ends is None:
            return _(
                "This is the evaluation of the workshop “%(workshop)s”: it opens after the last "
                "session."
            ) % {"workshop": workshop.title}
        return _(
            "This is the evaluation of the workshop “%(workshop)s”: it opens after the last "
            "session, on %(when)s (%(zone)s)."
        ) % {
            "workshop": workshop.title,
            "when": formats.date_format(
                span.last_ends.astimezone(workshop.zone), "DATETIME_FORMAT"
            ),
            "zone": workshop.time_zone,
        }
    return None


# --- results by workshop (surveys.dimensions) -------------------------------------------------


def workshops_in_scope(scope: Scope):
    """Workshops with a participant in `scope` (every workshop for `everything`)."""
    workshops = Workshop.objects.all()
    if not scope.everything:
        in_scope = Participant.objects.filter(workshop=OuterRef("pk")).filter(
            scope.users_q("user__")
        )
        workshops = workshops.filter(Exists(in_scope))
    return workshops


def survey_workshop_choices(*, survey, scope: Scope) -> list[tuple[int, str]]:
    """The workshops a results reader may choose for `survey`: those naming it, or holding
    responses to it, with a participant in the reader's scope. One query."""
    if survey is None:
        return []
    given_for = SurveyResponseWorkshop.objects.filter(
        workshop=OuterRef("pk"), response__survey_id=survey.pk
    )
    workshops = (
        workshops_in_scope(scope)
        .filter(_naming(survey.pk) | Q(Exists(given_for)))
        .order_by("-starts_at", "pk")
    )
    return [(w.pk, w.title) for w in workshops.only("pk", *_title_fields())]


def _title_fields() -> list[str]:
    from django.conf import settings

    return [f"title_{code}" for code, _name in settings.LANGUAGES]


def workshop_labels(keys) -> dict[int, str]:
    return {w.pk: w.title for w in Workshop.objects.filter(pk__in=list(keys))}


def survey_dimension() -> Dimension:
    return Dimension(
        key=DIMENSION,
        label=gettext_lazy("Workshop"),
        lookup="workshop_link__workshop",
        choices=survey_workshop_choices,
        labels=workshop_labels,
        none_label=gettext_lazy("Not given for a workshop"),
    )


# --- the participant's page -------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyItem:
    role: str  # "needs" or "evaluation"
    survey: SurveyPage
    url: str
    status: str  # "answered", "open", "after" (the last session), "not_yet", "closed"
    refusal: str = ""
    opens_at: object = None


def survey_items(*, workshop: Workshop, user, participant, request=None, now=None):
    """The workshop's needs assessment and evaluation as its participant sees them: each with
    its link and its status for them. One query for both, when the workshop names any."""
    now = now or timezone.now()
    named = [
        (role, survey)
        for role, survey in (
            ("needs", workshop.needs_survey),
            ("evaluation", workshop.evaluation_survey),
        )
        if survey is not None and survey.live
    ]
    if not named:
        return []
    answered = set()
    if participant is not None:
        answered = set(
            SurveyParticipation.objects.filter(
                survey_id__in=[s.pk for _role, s in named], user=user
            ).values_list("survey_id", flat=True)
        )
    items = []
    for role, survey in named:
        refusal = ""
        if survey.pk in answered:
            status = "answered"
        elif survey.has_closed(now):
            status = "closed"
        elif not survey.is_open(now):
            status = "not_yet"
        else:
            refusal = str(response_refusal(user=user, survey=survey, now=now) or "")
            status = "after" if refusal else "open"
        items.append(
            SurveyItem(
                role=role,
                survey=survey,
                url=survey.get_url(request) if participant is not None else "",
                status=status,
                refusal=refusal,
                opens_at=survey.opens_at,
            )
        )
    return items


# --- the knowledge-gain report ----------------------------------------------------------------


@dataclass
class ScaleSummary:
    number: int
    text: str
    answered: int
    hidden: bool
    mean: Decimal | None
    median: Decimal | None
    not_applicable: int
    rows: list[OptionRow] = field(default_factory=list)


@dataclass
class EvaluationSummary:
    survey: SurveyPage
    floor: int
    selected: int
    visible: bool
    scales: list[ScaleSummary]
    results_query: str  # the full results, filtered to this workshop


def evaluation_summary(*, workshop: Workshop, scope: Scope) -> EvaluationSummary | None:
    """The evaluation's scale questions for this workshop's responses in `scope`: the mean and
    distribution of each, under the surveys' privacy floor (a filtered selection, so also
    hidden when what it leaves out is below the floor). None without an evaluation."""
    from cms.sanitize import strip_html

    survey = workshop.evaluation_survey
    if survey is None or not survey.live:
        return None
    found = survey_results(
        survey=survey,
        scope=scope,
        filters=ResultFilters(groups=((DIMENSION, workshop.pk),)),
        texts_limit=0,
    )
    scales = [
        ScaleSummary(
            number=q.number,
            text=strip_html(q.question.text),
            answered=q.answered,
            hidden=q.hidden,
            mean=q.mean,
            median=q.median,
            not_applicable=q.not_applicable,
            rows=q.rows,
        )
        for q in found.questions
        if q.question.kind == QuestionKind.SCALE
    ]
    return EvaluationSummary(
        survey=survey,
        floor=found.floor,
        selected=found.selected,
        visible=found.visible,
        scales=scales,
        results_query=f"{DIMENSION}={workshop.pk}",
    )
