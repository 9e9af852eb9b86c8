"""Time the knowledge-gain report at scale (not a test): a workshop's page, the list of
workshops and the per-participant CSV of every workshop, through Django's test client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tadrib_bench .venv/bin/python bench/workshops.py

Migrates, sets up the site and seeds (bulk inserts) 200 workshops × 50 participants when the
data is not there yet: 10,000 synthetic learners in 20 organisations of 10 countries, 4
sessions and their attendance per workshop, a pre-test and a post-test (first attempts with
10 answers each, in 3 question categories), one course per workshop. Reads as a manager whose
scope is every synthetic country (the widest filter path). Prints milliseconds (median of
several runs) against the budgets, and a JSON line.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

BUDGETS_MS = {"workshop_page": 300, "list": 300, "all_participants_csv": 5000}
PREFIX = "wsbench-"
COUNTRIES = ["DZ", "BF", "TD", "LY", "ML", "MA", "MR", "NE", "SN", "TN"]
UNUSABLE = "!"
BATCH = 5_000


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


def _reset():
    from cms.models import Organisation, User
    from courses.models import CoursePage, Enrolment
    from quizzes.models import Question, QuestionCategory, QuizAttempt
    from workshops.models import Workshop

    Workshop.objects.filter(slug__startswith=PREFIX).delete()
    users = User.objects.filter(username__startswith=PREFIX)
    QuizAttempt.objects.filter(user__in=users).delete()
    Enrolment.objects.filter(user__in=users).delete()
    users.delete()
    course = CoursePage.objects.filter(slug=f"{PREFIX}course").first()
    if course is not None:
        course.delete()
    Question.objects.filter(category__name__startswith=PREFIX).delete()
    QuestionCategory.objects.filter(name__startswith=PREFIX).delete()
    Organisation.objects.filter(name_en__startswith=PREFIX).delete()


def _seed(workshops: int, participants: int) -> None:
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import translation

    from cms.models import Organisation, User
    from cms.roles import GROUP_NAMES, Role
    from courses.models import CourseIndexPage, CoursePage, Enrolment
    from quizzes.models import Question, QuestionCategory, QuizAttempt, QuizPage, Response
    from reports.models import ManagerScope
    from workshops.models import Attendance, Participant, Workshop, WorkshopCourse, WorkshopSession

    rng = random.Random(14)
    with translation.override("en"), transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"{PREFIX}{kind} {country}",
                name_en=f"{PREFIX}{kind} {country}",
                name_fr=f"{PREFIX}{kind} {country} (fr)",
                name_ar=f"{PREFIX}{kind} {country} (ar)",
                country=country,
            )
            for country in COUNTRIES
            for kind in ("Police", "Prosecution")
        )
        total = workshops * participants
        User.objects.bulk_create(
            (
                User(
                    username=f"{PREFIX}{n:06d}",
                    email=f"{PREFIX}{n:06d}@example.invalid",
                    first_name=f"P{n}",
                    last_name=f"Participant {n:06d}",
                    password=UNUSABLE,
                    organisation=organisations[n % len(organisations)],
                    preferred_language=("ar", "fr", "en")[n % 3],
                )
                for n in range(total)
            ),
            batch_size=BATCH,
        )
        user_ids = list(
            User.objects.filter(username__startswith=PREFIX)
            .order_by("username")
            .values_list("pk", flat=True)
        )
        manager = User.objects.create(
            username=f"{PREFIX}manager", organisation=organisations[0], password=UNUSABLE
        )
        manager.groups.add(Group.objects.get(name=GROUP_NAMES[Role.MANAGER]))
        ManagerScope.objects.create(manager=manager, countries=COUNTRIES)

        index = CourseIndexPage.objects.first()
        course = CoursePage(
            title="Workshop bench course",
            title_en="Workshop bench course",
            summary_en="Synthetic course for measuring the knowledge-gain report.",
            slug=f"{PREFIX}course",
            slug_en=f"{PREFIX}course",
        )
        index.add_child(instance=course)
        course.save_revision().publish()
        tests = []
        for slug in ("pre", "post"):
            quiz = QuizPage(
                title=f"Bench {slug}-test",
                title_en=f"Bench {slug}-test",
                slug=f"{PREFIX}{slug}",
                slug_en=f"{PREFIX}{slug}",
            )
            course.add_child(instance=quiz)
            quiz.save_revision().publish()
            tests.append(quiz)
        pre_test, post_test = tests
        categories = [
            QuestionCategory.objects.create(name=f"{PREFIX}{name}", name_en=f"{PREFIX}{name}")
            for name in ("Law", "Evidence", "Cooperation")
        ]
        questions = [
            Question.objects.create(category=categories[n % 3], type="true_false", name=f"q{n}")
            for n in range(10)
        ]

        starts = date(2026, 1, 5)
        rows = Workshop.objects.bulk_create(
            Workshop(
                slug=f"{PREFIX}{n:03d}",
                title=f"Bench workshop {n}",
                title_en=f"Bench workshop {n}",
                title_fr=f"Atelier de test {n}",
                title_ar=f"ورشة اختبار {n}",
                starts_at=datetime.combine(starts + timedelta(days=3 * n), clock(8), tzinfo=UTC),
                ends_at=datetime.combine(starts + timedelta(days=3 * n + 1), clock(16), tzinfo=UTC),
                venue_country=COUNTRIES[n % len(COUNTRIES)],
                pre_test=pre_test,
                post_test=post_test,
            )
            for n in range(workshops)
        )
        WorkshopCourse.objects.bulk_create(WorkshopCourse(workshop=w, course=course) for w in rows)
        sessions = WorkshopSession.objects.bulk_create(
            WorkshopSession(
                workshop=w,
                date=w.starts_at.date() + timedelta(days=day),
                start_time=clock(9 + 2 * slot),
                end_time=clock(10 + 2 * slot),
                topic=f"Topic {day}.{slot}",
                topic_en=f"Topic {day}.{slot}",
            )
            for w in rows
            for day in range(2)
            for slot in range(2)
        )
        sessions_of: dict[int, list] = {}
        for s in sessions:
            sessions_of.setdefault(s.workshop_id, []).append(s)
        people = Participant.objects.bulk_create(
            (
                Participant(workshop=w, user_id=user_ids[i * participants + j])
                for i, w in enumerate(rows)
                for j in range(participants)
            ),
            batch_size=BATCH,
        )
        Attendance.objects.bulk_create(
            (
                Attendance(session=s, participant=p, attended=rng.random() < 0.85)
                for p in people
                for s in sessions_of[p.workshop_id]
            ),
            batch_size=BATCH,
        )
        now = datetime(2026, 1, 1, tzinfo=UTC)
        attempts = []
        for pk in user_ids:
            pre = Decimal(rng.randint(1000, 8000)) / 100
            if rng.random() < 0.95:
                attempts.append((pk, pre_test, pre))
            if rng.random() < 0.85:
                post = min(Decimal(100), pre + Decimal(rng.randint(-1000, 4000)) / 100)
                attempts.append((pk, post_test, max(post, Decimal(0))))
        made = QuizAttempt.objects.bulk_create(
            (
                QuizAttempt(
                    user_id=pk,
                    quiz=quiz,
                    number=1,
                    state=QuizAttempt.State.SUBMITTED,
                    started_at=now,
                    submitted_at=now,
                    score=score,
                    passed=score >= 50,
                    language=("ar", "fr", "en")[pk % 3],
                    layout=[],
                )
                for pk, quiz, score in attempts
            ),
            batch_size=BATCH,
        )
        scores = {a.pk: a.score for a in made}
        Response.objects.bulk_create(
            (
                Response(
                    attempt_id=attempt_pk,
                    question=q,
                    fraction=Decimal(1) if rng.random() * 100 < score else Decimal(0),
                )
                for attempt_pk, score in scores.items()
                for q in questions
            ),
            batch_size=BATCH,
        )
        Enrolment.objects.bulk_create(
            (
                Enrolment(
                    user_id=pk,
                    course=course,
                    completed_at=now if rng.random() < 0.7 else None,
                )
                for pk in user_ids
            ),
            batch_size=BATCH,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workshops", type=int, default=200)
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reset", action="store_true", help="seed again")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from cms.models import User
    from workshops.models import Participant

    call_command("migrate", interactive=False, verbosity=0)
    call_command("setup_site", verbosity=0)
    seed_seconds = None
    expected = args.workshops * args.participants
    found = Participant.objects.filter(workshop__slug__startswith=PREFIX).count()
    if args.reset or found != expected:
        started = time.perf_counter()
        _reset()
        _seed(args.workshops, args.participants)
        seed_seconds = round(time.perf_counter() - started, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=f"{PREFIX}manager"))
    middle = f"{PREFIX}{args.workshops // 2:03d}"
    urls = {
        "workshop_page": reverse("workshop_reports:detail", args=[middle]),
        "workshop_csv": reverse("workshop_reports:detail", args=[middle]) + "?format=csv",
        "list": reverse("workshop_reports:list"),
        "all_participants_csv": reverse("workshop_reports:list") + "?format=csv",
    }
    for url in urls.values():  # warm caches and connections
        _time(client, url, 1)
    results: dict = {"database": connection.vendor, "workshops": args.workshops}
    results["participants"] = args.participants
    if seed_seconds is not None:
        results["seed_s"] = seed_seconds
    for name, url in urls.items():
        ms, size = _time(client, url, args.runs)
        results[f"{name}_ms"] = round(ms, 1)
        budget = BUDGETS_MS.get(name)
        verdict = "" if budget is None else (" ok" if ms <= budget else f" OVER {budget} ms")
        print(f"{name:24} {ms:9.1f} ms  {size / 1024:9.1f} KiB{verdict}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
