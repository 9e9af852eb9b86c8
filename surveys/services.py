"""Every write of the surveys app: submitting (and changing) a response, forgetting who wrote
the anonymous ones once a survey closes."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from courses.services import activity_complete

from .gates import response_refusal
from .models import QuestionKind, SurveyAnswer, SurveyPage, SurveyParticipation, SurveyResponse
from .signals import response_saved

KEY_SALT = "tadrib.surveys.respondent"


class SurveyClosed(Exception):
    """The survey is not open for responses (not yet, or any more), or not yet for this
    person (a gate's reason, `gates.py`, is then `reason`)."""

    def __init__(self, survey_id, reason=None):
        super().__init__(survey_id)
        self.reason = reason


def respondent_key(*, survey: SurveyPage, user) -> str:
    """The anonymous response's key for this person: a hash keyed with a secret the database
    does not hold, so reading the tables never turns it back into a person."""
    secret = getattr(settings, "TADRIB_SURVEY_SECRET", "") or settings.SECRET_KEY
    return salted_hmac(
        KEY_SALT, f"{survey.pk}:{user.pk}", secret=secret, algorithm="sha256"
    ).hexdigest()


def _answer_rows(survey: SurveyPage, answers: dict) -> list[SurveyAnswer]:
    """Answer rows (unsaved, no response yet) from cleaned answers by question id."""
    rows = []
    for question in survey.questions.all():
        value = answers.get(question.pk)
        if value is None or value == "" or value == []:
            continue
        if question.kind == QuestionKind.SCALE:
            rows.append(SurveyAnswer(question=question, value=int(value)))
        elif question.kind == QuestionKind.SINGLE:
            rows.append(SurveyAnswer(question=question, option=int(value)))
        elif question.kind == QuestionKind.MULTIPLE:
            # A row without an option marks the question answered: results count respondents
            # without a COUNT(DISTINCT) over every chosen option.
            rows.append(SurveyAnswer(question=question))
            rows += [SurveyAnswer(question=question, option=int(o)) for o in sorted(set(value))]
        elif question.kind == QuestionKind.RANKING:
            rows += [
                SurveyAnswer(question=question, option=item, value=int(rank))
                for item, rank in enumerate(value)
            ]
        else:
            rows.append(SurveyAnswer(question=question, text=str(value)[: question.max_length]))
    return rows


def _participation_locked(*, survey: SurveyPage, user) -> SurveyParticipation:
    """The person's participation row, created on first need and locked for the transaction:
    concurrent submissions by one person run one after the other."""
    try:
        with transaction.atomic():
            SurveyParticipation.objects.get_or_create(survey=survey, user=user)
    except IntegrityError:  # created by a concurrent submission first
        pass
    return SurveyParticipation.objects.select_for_update().get(survey=survey, user=user)


def response_submit(*, survey: SurveyPage, user, answers: dict, language: str) -> SurveyResponse:
    """Record `user`'s answers to `survey` (cleaned answers by question id): their one
    response, created or replaced, then complete the activity. Only while the survey is open.

    The response of an anonymous survey stores no user, only the day and a keyed hash; the
    person's country, organisation and language are kept as groups for results.
    """
    if not survey.is_open():
        raise SurveyClosed(survey.pk)
    reason = response_refusal(user=user, survey=survey, now=timezone.now())
    if reason:
        raise SurveyClosed(survey.pk, reason)
    with transaction.atomic():
        _participation_locked(survey=survey, user=user)
        if survey.anonymous:
            who = {"respondent_key": respondent_key(survey=survey, user=user)}
        else:
            who = {"user": user}
        organisation = user.organisation
        groups = {
            "submitted_on": timezone.localdate(),
            "country": str(organisation.country) if organisation else "",
            "organisation": organisation,
            "language": language,
        }
        response = SurveyResponse.objects.filter(survey=survey, **who).first()
        if response is None:
            response = SurveyResponse.objects.create(survey=survey, **who, **groups)
        else:
            for field, value in groups.items():
                setattr(response, field, value)
            response.save()
            response.answers.all().delete()
        rows = _answer_rows(survey, answers)
        for row in rows:
            row.response = response
        SurveyAnswer.objects.bulk_create(rows)
        response_saved.send(sender=SurveyPage, survey=survey, response=response, user=user)
        activity_complete(user=user, activity=survey, language=language)
    return response


def survey_keys_forget(*, survey_ids=None, now=None) -> int:
    """Erase the keys of anonymous responses to surveys that have closed: from then on not
    even the server's secret finds a person's response. Returns the responses changed."""
    closed = SurveyPage.objects.filter(closes_at__lte=now or timezone.now())
    if survey_ids is not None:
        closed = closed.filter(pk__in=list(survey_ids))
    return SurveyResponse.objects.filter(survey__in=closed, respondent_key__isnull=False).update(
        respondent_key=None
    )
