"""Demo surveys for `seed_demo`: a training-needs assessment and a workshop evaluation in the
demo course on electronic evidence, answered by fictional respondents from five countries, so
the results show breakdowns (and two groups below the floor) from the first run. Every name
and answer here is fictional."""

import json
import random
from pathlib import Path

from django.db import transaction
from django.utils import translation

from cms.models import Organisation, User
from courses.models import CoursePage

from .models import QuestionKind, SurveyPage, SurveyParticipation
from .packages import survey_create
from .services import response_submit

DEMO_FILE = Path(__file__).resolve().parent / "demo" / "surveys.json"

ORGANISATIONS = [
    # key, country, en, fr, ar
    # The demo investigator's unit, inside the demo manager's service: the manager sees results.
    ("ne", "NE", "Digital Evidence Unit", "Cellule des preuves numériques", "خلية الأدلة الرقمية"),
    ("ma", "MA", "National Judicial Police Brigade", "Brigade nationale de police judiciaire",
     "الفرقة الوطنية للشرطة القضائية"),
    ("tn", "TN", "Counter-Terrorism Judicial Unit", "Pôle judiciaire antiterroriste",
     "القطب القضائي لمكافحة الإرهاب"),
    ("ml", "ML", "Specialised Judicial Unit", "Pôle judiciaire spécialisé",
     "القطب القضائي المتخصص"),
    ("mr", "MR", "Directorate of Judicial Police", "Direction de la police judiciaire",
     "إدارة الشرطة القضائية"),
]  # fmt: skip

# How many fictional respondents per organisation, and the language they answer in. Mali
# and Mauritania have three each: below the floor, so the results show them only merged,
# as "other groups".
RESPONDENTS = {"ne": (12, "fr"), "ma": (9, "ar"), "tn": (7, "fr"), "ml": (3, "fr"), "mr": (3, "ar")}

TEXTS = {
    "ar": [
        "طلبنا بيانات مشترك من منصة أجنبية ولم نتلقَّ ردًا إلا بعد انتهاء مدة الحفظ.",
        "لم نكن نعرف الجهة المختصة بتلقي طلب المساعدة القانونية في الدولة الأخرى.",
        "كان ينقصنا تمرين عملي على صياغة طلب إفصاح عاجل.",
    ],
    "fr": [
        "La demande d'entraide est restée sans réponse pendant huit mois ; "
        "les données avaient été effacées.",
        "L'opérateur a exigé une réquisition que notre droit ne prévoit pas "
        "pour ce type de données.",
        "Il manquait une séance sur l'enquête en sources ouvertes.",
    ],
    "en": [
        "The platform asked for a court order from its own country before disclosing anything.",
        "We needed more time on chain of custody for seized phones.",
    ],
}


def _organisation(key, country, en, fr, ar) -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        name_en=en, country=country, defaults={"name_fr": fr, "name_ar": ar}
    )
    return organisation


def _respondents() -> list[User]:
    users = []
    for key, country, en, fr, ar in ORGANISATIONS:
        organisation = _organisation(key, country, en, fr, ar)
        count, language = RESPONDENTS[key]
        for n in range(1, count + 1):
            user, created = User.objects.get_or_create(
                username=f"respondent-{key}-{n:02d}",
                defaults={
                    "first_name": "Respondent",
                    "last_name": f"{country} {n:02d}",
                    "email": f"respondent-{key}-{n:02d}@demo.tadrib.invalid",
                    "organisation": organisation,
                    "preferred_language": language,
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            user.demo_language = language
            users.append(user)
    return users


def demo_answers(
    survey: SurveyPage, rng: random.Random, language: str, *, scale_weights=None
) -> dict:
    """Fictional answers to every question of `survey` (cleaned, by question id), drawn from
    `rng`; scale points weighted by `scale_weights` (one weight per point of a 5-point scale)."""
    answers: dict = {}
    for question in survey.questions.all().order_by("sort_order", "pk"):
        if question.kind == QuestionKind.SCALE:
            points = question.scale_points
            weights = (scale_weights or [1, 2, 3, 5, 4]) if points == 5 else [1, 1, 2, 3, 5, 6, 4]
            answers[question.pk] = rng.choices(range(1, points + 1), weights)[0]
            if question.not_applicable and rng.random() < 0.08:
                answers[question.pk] = 0
        elif question.kind == QuestionKind.SINGLE:
            answers[question.pk] = rng.randrange(len(question.option_lines("en")))
        elif question.kind == QuestionKind.MULTIPLE:
            count = len(question.option_lines("en"))
            answers[question.pk] = sorted(rng.sample(range(count), rng.randint(1, count)))
        elif question.kind == QuestionKind.RANKING:
            ranks = list(range(1, len(question.option_lines("en")) + 1))
            rng.shuffle(ranks)
            answers[question.pk] = ranks
        elif rng.random() < 0.6:
            answers[question.pk] = rng.choice(TEXTS[language] + TEXTS["en"][:1])
    return answers


@transaction.atomic
def demo_seed_surveys() -> list[SurveyPage]:
    """The two demo surveys (created once) answered by the demo respondents; returns the
    surveys, needs assessment first (none without the demo course)."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    course = CoursePage.objects.filter(slug_en=data["course"]).first()
    if course is None:
        return []
    surveys = []
    with translation.override("en"):
        for activity in data["activities"]:
            found = SurveyPage.objects.child_of(course).filter(slug_en=activity["slug"]).first()
            surveys.append(found or survey_create(course=course, data=activity))
    rng = random.Random(15)  # the same answers on every machine
    for user in _respondents():
        for survey in surveys:
            if SurveyParticipation.objects.filter(survey=survey, user=user).exists():
                continue
            response_submit(
                survey=survey,
                user=user,
                answers=demo_answers(survey, rng, user.demo_language),
                language=user.demo_language,
            )
    return surveys
