from django.utils import translation

from surveys.packages import survey_create


def tr(en: str, fr: str | None = None, ar: str | None = None) -> dict:
    return {"en": en, "fr": fr or f"{en} (fr)", "ar": ar or f"{en} (ar)"}


def trl(*items: str) -> dict:
    return {
        "en": list(items),
        "fr": [f"{i} (fr)" for i in items],
        "ar": [f"{i} (ar)" for i in items],
    }


def survey_data(**overrides) -> dict:
    data = {
        "type": "survey",
        "slug": "needs",
        "title": tr("Training needs"),
        "intro": tr("<p>Tell us what you need.</p>"),
        "required": True,
        "anonymous": True,
        "questions": [
            {
                "type": "scale",
                "text": tr("<p>The training was relevant</p>"),
                "required": True,
                "points": 5,
                "not_applicable": True,
                "labels": trl(
                    "Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"
                ),
            },
            {
                "type": "single",
                "text": tr("<p>Your role</p>"),
                "required": True,
                "options": trl("Investigator", "Prosecutor", "Judge"),
            },
            {
                "type": "multiple",
                "text": tr("<p>Topics you need</p>"),
                "required": False,
                "options": trl("Preservation", "Mutual legal assistance", "Forensics"),
            },
            {
                "type": "ranking",
                "text": tr("<p>Rank these needs</p>"),
                "required": False,
                "options": trl("Legal framework", "Platforms", "Forensics"),
            },
            {
                "type": "text",
                "text": tr("<p>What was missing?</p>"),
                "required": False,
                "max_length": 500,
            },
        ],
    }
    data.update(overrides)
    return data


def make_survey(course, **overrides):
    with translation.override("en"):
        return survey_create(course=course, data=survey_data(**overrides))


def answers_for(
    survey, *, scale=4, single=0, multiple=(0, 2), ranking=(1, 2, 3), text="More cases"
):
    """Cleaned answers by question id, as the form gives them."""
    by_kind = {
        "scale": scale,
        "single": single,
        "multiple": list(multiple),
        "ranking": list(ranking) if ranking is not None else None,
        "text": text,
    }
    return {q.pk: by_kind[q.kind] for q in survey.questions.all()}
