"""Time the manager reports at scale (not a test): the four overviews, a course matrix's first
page and the course's full CSV, through Django's test client, as `load-manager` (a scope of
eight countries: the widest filter path).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tadrib_bench .venv/bin/python bench/reports.py \
        --learners 50000

Migrates, sets up the site and runs `seed_load` (50,000 learners × 50 activities by default,
Moodle's largest documented test size) when the data is not there yet. Prints milliseconds
(median of `--runs`) and a JSON line. For the CSV it also prints the process's resident memory
growth while the export streams (sampled every 10 ms, peak minus the level before it).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

BUDGETS_MS = {
    "overview": 1000,
    "overview_by_organisation": 1000,
    "overview_by_country": 1000,
    "overview_by_language": 1000,
    "matrix_first_page": 300,
    "matrix_csv": 15000,
}
BUDGET_MEMORY_MB = 100


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class _PeakMemory:
    """The peak resident memory while the block runs, sampled by a thread."""

    def __enter__(self):
        import threading

        self.start = self.peak = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, _rss_mb())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())

    @property
    def growth(self) -> float:
        return self.peak - self.start


def _time(client, url, runs) -> tuple[float, int]:
    timings, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        # A streamed body is counted as it arrives, never held: as a client would read it.
        if response.streaming:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50_000)
    parser.add_argument("--activities", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from cms.models import User
    from courses.models import CoursePage, Enrolment

    call_command("migrate", verbosity=0, interactive=False)
    call_command("setup_site", verbosity=0)
    seed_seconds = None
    course = CoursePage.objects.filter(slug="load-test").first()
    if course is None or Enrolment.objects.filter(course=course).count() != args.learners:
        started = time.perf_counter()
        call_command(
            "seed_load",
            learners=args.learners,
            activities=args.activities,
            reset=course is not None,
        )
        seed_seconds = round(time.perf_counter() - started, 1)
        course = CoursePage.objects.get(slug="load-test")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="load-manager"))
    urls = {
        "overview": reverse("reports:by_course"),
        "overview_by_organisation": reverse("reports:by_organisation"),
        "overview_by_country": reverse("reports:by_country"),
        "overview_by_language": reverse("reports:by_language"),
        "matrix_first_page": reverse("reports:course", args=[course.pk]),
        "matrix_csv": reverse("reports:course", args=[course.pk]) + "?format=csv",
    }
    for url in urls.values():  # warm caches and connections
        _time(client, url, 1)
    results = {"database": connection.vendor, "learners": args.learners}
    results["activities"] = args.activities
    if seed_seconds is not None:
        results["seed_load_s"] = seed_seconds
    for name, url in urls.items():
        if name == "matrix_csv":
            with _PeakMemory() as memory:
                ms, size = _time(client, url, args.runs)
            results["matrix_csv_memory_growth_mb"] = round(memory.growth, 1)
            verdict = " ok" if memory.growth <= BUDGET_MEMORY_MB else " OVER"
            print(f"{'matrix_csv memory growth':28} {memory.growth:9.1f} MB{verdict}")
        else:
            ms, size = _time(client, url, args.runs)
        results[f"{name}_ms"] = round(ms, 1)
        budget = BUDGETS_MS.get(name)
        verdict = "" if budget is None else (" ok" if ms <= budget else f" OVER {budget} ms")
        print(f"{name:28} {ms:9.1f} ms  {size / 1024:9.1f} KiB{verdict}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
