"""Time the search page at scale (not a test): the three demo courses and 500 generated
trilingual modules, queries in Arabic, French and English, through Django's test client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<database> .venv/bin/python bench/search.py

Migrates, sets up the site and loads the demo (glossary included) when they are not there
yet, then adds the generated modules (5 courses of 100, their text drawn from the glossary's
terms so that queries match hundreds of rows) and rebuilds the index. Prints each query's
median in milliseconds and the median over all, then a JSON line; exits 1 over the budget
(150 ms median, docs/glossary-and-search.md).
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

BUDGET_MS = 150
COURSES = 5
MODULES_PER_COURSE = 100
QUERIES = [
    ("ar", "الإحتفاظ بالبيانات"),
    ("ar", "طلب المساعدة القانونية المتبادلة"),
    ("ar", "سلسلة حيازة الأدلة"),
    ("ar", "مقدم الخدمات"),
    ("fr", "entraide judiciaire"),
    ("fr", "données relatives au trafic"),
    ("fr", "livraison surveillee"),
    ("en", "preservation request"),
    ("en", "chain of custody"),
    ("en", "undercover operation"),
    ("en", "OSINT"),
    ("en", "evidence"),
]
FILLER = {
    "en": "The investigator records each step and asks the prosecutor before acting.",
    "fr": "L'enquêteur consigne chaque étape et consulte le procureur avant d'agir.",
    "ar": "يدوّن المحقق كل خطوة ويستشير النيابة العامة قبل أن يتصرف.",
}


def _paragraphs(rng: random.Random, names: list[str], language: str) -> list[dict]:
    blocks = []
    for _ in range(6):
        words = rng.sample(names, k=min(4, len(names)))
        text = f"{'، '.join(words) if language == 'ar' else ', '.join(words)}. {FILLER[language]}"
        blocks.append({"type": "paragraph", "value": f"<p>{text}</p>"})
    return blocks


def seed_modules() -> int:
    """Add the generated courses and modules unless they are there; the modules added."""
    from django.utils import translation

    from courses.models import CourseIndexPage, CoursePage, ModulePage
    from glossary.models import Term

    if CoursePage.objects.filter(slug_en="search-bench-1").exists():
        return 0
    terms = list(Term.objects.all())
    rng = random.Random(20)  # the same text on every run
    catalogue = CourseIndexPage.objects.get()
    added = 0
    with translation.override("en"):
        for c in range(1, COURSES + 1):
            slug = f"search-bench-{c}"
            course = CoursePage(
                title=f"Search bench {c}", slug=slug, slug_en=slug, summary="Generated."
            )
            for code in ("en", "fr", "ar"):
                setattr(course, f"title_{code}", f"Search bench {c} ({code})")
                setattr(course, f"summary_{code}", "Generated.")
            catalogue.add_child(instance=course)
            for m in range(1, MODULES_PER_COURSE + 1):
                module = ModulePage(title=f"Module {c}.{m}", slug=f"m{m}", slug_en=f"m{m}")
                for code in ("en", "fr", "ar"):
                    setattr(module, f"title_{code}", f"Module {c}.{m} ({code})")
                    names = [t.name(code) for t in terms]
                    setattr(module, f"body_{code}", _paragraphs(rng, names, code))
                course.add_child(instance=module)
                added += 1
            catalogue.refresh_from_db()
    return added


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from cms.models import User
    from search.models import SearchDocument
    from search.services import index_rebuild

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", verbosity=0)
    started = time.perf_counter()
    added = seed_modules()
    if added or not SearchDocument.objects.exists():
        index_rebuild()
    seed_seconds = round(time.perf_counter() - started, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="investigator"))
    medians = {}
    for language, query in QUERIES:
        with translation.override(language):
            url = reverse("search:search")
        client.get(url, {"q": query})  # warm: the glossary, the site's root paths
        timings = []
        for _ in range(args.runs):
            begun = time.perf_counter()
            response = client.get(url, {"q": query})
            timings.append((time.perf_counter() - begun) * 1000)
            assert response.status_code == 200, (query, response.status_code)
        medians[f"{language}: {query}"] = round(statistics.median(timings), 1)
        print(f"{medians[f'{language}: {query}']:8.1f} ms  {language}  {query}")
    overall = round(statistics.median(medians.values()), 1)
    rows = SearchDocument.objects.count()
    print(
        f"{overall:8.1f} ms  median over {len(QUERIES)} queries ({rows} index rows, "
        f"{connection.vendor}); budget {BUDGET_MS} ms"
    )
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "index_rows": rows,
                "modules_added": added,
                "seed_seconds": seed_seconds,
                "median_ms": overall,
                "queries_ms": medians,
                "budget_ms": BUDGET_MS,
            },
            ensure_ascii=False,
        )
    )
    sys.exit(0 if overall <= BUDGET_MS else 1)


if __name__ == "__main__":
    main()
