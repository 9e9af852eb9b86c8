"""Time survey results at scale (not a test): the results page (with a breakdown by country,
by workshop, and filtered to one workshop) and both CSVs for a survey with 10,000 responses,
through Django's test client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tadrib_bench .venv/bin/python bench/surveys.py

Migrates and sets up the site, then creates (once) a course "survey-load" with the demo
needs-assessment survey and `--responses` anonymous responses written in bulk, four in five
of them given for one of 20 workshops that name the survey. Prints
milliseconds (median of several runs) and a JSON line.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

BUDGETS_MS = {
    "results": 300,
    "results_by_country": 300,
    "results_by_workshop": 300,
    "results_one_workshop": 300,
    "csv": 5000,
    "text_csv": 5000,
}


def _time(client, url, runs) -> tuple[float, int]:
    timings, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(body)
    return statistics.median(timings), size


def _seed(count: int):
    from django.db import transaction
    from django.utils import timezone

    from cms.models import Organisation
    from courses.services import course_import
    from surveys.demo import DEMO_FILE, demo_answers
    from surveys.models import SurveyAnswer, SurveyPage, SurveyResponse

    activity = json.loads(DEMO_FILE.read_text(encoding="utf-8"))["activities"][0]
    course = course_import(
        data={
            "format": "tadrib.course/1",
            "slug": "survey-load",
            "title": {"en": "Survey load"},
            "summary": {"en": "Load"},
            "activities": [activity],
        }
    )
    survey = SurveyPage.objects.child_of(course).get()
    organisations = [
        Organisation.objects.get_or_create(name_en=f"Load agency {c}", country=c)[0]
        for c in ("NE", "MA", "TN", "ML", "MR", "JO", "IQ", "DZ")
    ]
    rng = random.Random(1)
    questions = list(survey.questions.all())
    today = timezone.localdate()
    with transaction.atomic():
        for start in range(0, count, 1000):
            responses, answers = [], []
            for _n in range(start, min(start + 1000, count)):
                organisation = rng.choice(organisations)
                language = rng.choice(["ar", "fr", "en"])
                response = SurveyResponse(
                    survey=survey,
                    submitted_on=today,
                    country=str(organisation.country),
                    organisation=organisation,
                    language=language,
                )
                responses.append(response)
                for question_id, value in demo_answers(survey, rng, language).items():
                    question = next(q for q in questions if q.pk == question_id)
                    answers += _rows(SurveyAnswer, response, question, value)
            SurveyResponse.objects.bulk_create(responses)
            SurveyAnswer.objects.bulk_create(answers)
    return survey


def _workshops(survey) -> list[int]:
    """20 workshops naming the survey, four in five responses given for one of them (once)."""
    from datetime import UTC, datetime, timedelta

    from surveys.models import SurveyResponse
    from workshops.models import SurveyResponseWorkshop, Workshop

    found = list(
        Workshop.objects.filter(slug__startswith="survey-load-").values_list("pk", flat=True)
    )
    if found:
        return found
    start = datetime(2026, 1, 5, 8, tzinfo=UTC)
    workshops = [
        Workshop.objects.create(
            slug=f"survey-load-{n:02d}",
            title_en=f"Load workshop {n:02d}",
            starts_at=start + timedelta(days=7 * n),
            ends_at=start + timedelta(days=7 * n + 1),
            needs_survey=survey,
        )
        for n in range(20)
    ]
    rng = random.Random(2)
    ids = SurveyResponse.objects.filter(survey=survey).values_list("pk", flat=True)
    SurveyResponseWorkshop.objects.bulk_create(
        [
            SurveyResponseWorkshop(response_id=pk, workshop=rng.choice(workshops))
            for pk in ids.order_by("pk")
            if rng.random() < 0.8
        ],
        batch_size=2000,
    )
    return [w.pk for w in workshops]


def _rows(model, response, question, value):
    if question.kind == "scale":
        return [model(response=response, question=question, value=value)]
    if question.kind == "single":
        return [model(response=response, question=question, option=value)]
    if question.kind == "multiple":
        marker = [model(response=response, question=question)]
        return marker + [model(response=response, question=question, option=o) for o in value]
    if question.kind == "ranking":
        return [
            model(response=response, question=question, option=i, value=r)
            for i, r in enumerate(value)
        ]
    return [model(response=response, question=question, text=value)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from cms.models import User
    from courses.models import CoursePage
    from surveys.models import SurveyPage

    call_command("migrate", verbosity=0, interactive=False)
    call_command("setup_site", verbosity=0)
    course = CoursePage.objects.filter(slug_en="survey-load").first()
    started = time.perf_counter()
    if course is None:
        survey = _seed(args.responses)
        seed_seconds = round(time.perf_counter() - started, 1)
    else:
        survey = SurveyPage.objects.child_of(course).get()
        seed_seconds = None
    workshop_ids = _workshops(survey)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    admin, _created = User.objects.get_or_create(
        username="survey-load-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    base = f"/en/reports/surveys/{survey.pk}/"
    urls = {
        "results": base,
        "results_by_country": base + "?breakdown=country",
        "results_by_workshop": base + "?breakdown=workshop",
        "results_one_workshop": base + f"?workshop={workshop_ids[0]}&breakdown=country",
        "csv": base + "?breakdown=country&format=csv",
        "text_csv": base + "?format=text-csv",
    }
    for url in urls.values():
        _time(client, url, 1)
    results = {"database": connection.vendor, "responses": args.responses}
    if seed_seconds is not None:
        results["seed_s"] = seed_seconds
    for name, url in urls.items():
        ms, size = _time(client, url, args.runs)
        results[f"{name}_ms"] = round(ms, 1)
        budget = BUDGETS_MS[name]
        verdict = " ok" if ms <= budget else f" OVER {budget} ms"
        print(f"{name:24} {ms:9.1f} ms  {size / 1024:9.1f} KiB{verdict}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
