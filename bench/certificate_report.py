"""Time the managers' certificate report at scale (not a test): the counts by course,
organisation and country, a page of holders from before a course change, and the counts' CSV,
through Django's test client, as a superuser (every certificate) and as the demo manager.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tadrib_bench \\
        .venv/bin/python bench/certificate_report.py --certificates 100000

Needs a migrated database with the demo (`setup_site`, `seed_demo`). Adds the synthetic
holders `bench-holder-N` (spread over the demo organisations) and their certificates of the
first course once, with issue dates over two years, validities ending from 300 days ago to
600 days ahead and one in 13 revoked; marks that course changed 200 days ago. Prints
milliseconds (median of several runs) and a JSON line.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")


def _load(count: int):
    from django.utils import timezone

    from certificates.models import Certificate
    from certificates.serials import serial_generate
    from cms.models import Organisation, User
    from courses.models import CoursePage

    course = CoursePage.objects.order_by("path").first()
    organisations = list(Organisation.objects.order_by("pk"))
    have = User.objects.filter(username__startswith="bench-holder-").count()
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                username=f"bench-holder-{n}",
                password="!",  # noqa: S106 - unusable, as Django writes it
                organisation=organisations[n % len(organisations)],
            )
            for n in range(have, count)
        ],
        batch_size=2000,
    )
    Certificate.objects.bulk_create(
        [
            Certificate(
                serial=serial_generate(),
                holder=user,
                course=course,
                language="ar",
                holder_name_latin=f"Holder {n}",
                title={"en": course.title},
                completed_at=now - timedelta(days=n % 730),
                issued_at=now - timedelta(days=n % 730),
                valid_until=now + timedelta(days=n % 900 - 300),
                revoked_at=now if n % 13 == 0 else None,
            )
            for n, user in enumerate(users, start=have)
        ],
        batch_size=2000,
    )
    CoursePage.objects.filter(pk=course.pk).update(
        substantially_changed_on=(now - timedelta(days=200)).date()
    )
    return course


def _time(client, url, runs) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from certificates.models import Certificate
    from cms.models import User

    course = _load(args.certificates)
    results = {"certificates": Certificate.objects.count()}
    with translation.override("en"):
        urls = {
            "by_course": reverse("certificates:report_by_course"),
            "by_organisation": reverse("certificates:report_by_organisation"),
            "by_country": reverse("certificates:report_by_country"),
            "holders_page": reverse("certificates:report_held_before_change", args=[course.pk]),
        }
    urls["by_course_csv"] = urls["by_course"] + "?format=csv"
    readers = {
        "superuser": User.objects.filter(is_superuser=True).first(),
        "manager": User.objects.get(username="manager"),
    }
    for name, user in readers.items():
        client = Client(HTTP_HOST="testserver")
        client.force_login(user)
        for key, url in urls.items():
            _time(client, url, 1)  # warm
            results[f"{name}.{key}_ms"] = round(_time(client, url, args.runs), 1)
            print(f"{name:10} {key:16} {results[f'{name}.{key}_ms']:8.1f} ms")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
