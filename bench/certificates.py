"""Certificate PDF size and render time, and credential signing time (not a test).

    .venv/bin/python bench/certificates.py [--runs 10]

Renders the fixed sample certificates of the visual tests (Arabic and French) with WeasyPrint
and signs a credential of the same size; needs no database. Prints the budget (PDF ≤ 100 KB,
rendered ≤ 1 s, judged on renders in a warm process), the median and maximum of each, the
first render of the process apart (pango and fontconfig load the font then, once per
worker), and a JSON line; exits 1 over budget.
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

BUDGET_BYTES = 100 * 1024
BUDGET_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("compile_translations", verbosity=0)
    from certificates.credentials import credential_build, credential_sign
    from certificates.keys import signing_key
    from certificates.pdf import certificate_pdf
    from certificates.services import _facts
    from certificates.sources import Subject
    from tests.certificates.samples import sample_certificate

    results: dict[str, dict] = {}
    for language in ("ar", "fr"):
        certificate = sample_certificate(language)
        started = time.perf_counter()
        certificate_pdf(certificate)  # the first render in a process loads pango and the font
        cold = time.perf_counter() - started
        timings, size = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            size = len(certificate_pdf(certificate))
            timings.append(time.perf_counter() - started)
        results[f"pdf_{language}"] = {
            "bytes": size,
            "median_s": round(statistics.median(timings), 3),
            "max_s": round(max(timings), 3),
            "first_s": round(cold, 3),
        }
    certificate = sample_certificate("ar")
    subject = Subject("course", None, certificate.title, certificate.hours, None, None, 24, "c/1")

    class Issuer:
        url = ""

    key = signing_key()
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        credential_sign(credential_build(_facts(certificate, Issuer(), subject)), key=key)
        timings.append(time.perf_counter() - started)
    results["credential_sign"] = {"median_s": round(statistics.median(timings), 3)}

    print(
        f"{'':18}{'bytes':>10}{'median s':>10}{'max s':>8}{'first s':>9}   budget: ≤ 100 KB, ≤ 1 s"
    )
    for name, row in results.items():
        print(
            f"{name:18}{row.get('bytes', ''):>10}{row['median_s']:>10}"
            f"{row.get('max_s', ''):>8}{row.get('first_s', ''):>9}"
        )
    over = [
        name
        for name, row in results.items()
        if name.startswith("pdf") and (row["bytes"] > BUDGET_BYTES or row["max_s"] > BUDGET_SECONDS)
    ]
    print(json.dumps({"certificates": results, "over_budget": over}))
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
