"""Dates, numbers and percentages are written one way per language (docs/learner-pages.md).

The formats are decided in cms/formats/<language>/formats.py and applied through Django's
localisation and `cms.formatting.format_percent`; these tests hold the decisions, that no
template writes a percentage or a date format of its own, and that the learner pages, rendered
in each language, show no other form.
"""

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import formats, timezone, translation

from cms.formatting import format_number, format_percent

ROOT = Path(__file__).resolve().parents[2]
NNBSP = "\u202f"

PERCENTS = {
    "en": ("70%", "66.67%", "80%"),
    "fr": (f"70{NNBSP}%", f"66,67{NNBSP}%", f"80{NNBSP}%"),
    "ar": ("70\u200e%\u200e", "66,67\u200e%\u200e", "80\u200e%\u200e"),
}
DATES = {
    "en": ("1 December 2026", "1 December 2026, 14:05"),
    "fr": ("1 décembre 2026", "1 décembre 2026, 14:05"),
    "ar": ("1 ديسمبر 2026", "1 ديسمبر 2026، 14:05"),
}


@pytest.mark.parametrize("language", PERCENTS)
def test_one_percentage_format_per_language(language):
    whole, decimals, dropped = PERCENTS[language]
    with translation.override(language):
        assert format_percent(70) == whole
        assert format_percent("66.666", 2) == decimals  # rounded half up, not cut
        assert format_percent(80, -2) == dropped
        assert format_percent(None) == ""
        rendered = Template("{% load tadrib_formats %}{{ v|percent }}|{{ s|percent:2 }}").render(
            Context({"v": 70, "s": "66.666"})
        )
        assert rendered == f"{whole}|{decimals}"


def test_decimals_are_rounded_half_up_like_scores():
    with translation.override("en"):
        assert format_number("70.585", 2) == "70.59"
        assert format_number("12.5", -2) == "12.50"  # as floatformat:"-2"
        assert format_number("12.00", -2) == "12"


@pytest.mark.parametrize("language", DATES)
def test_one_date_format_per_language(language):
    day, moment = DATES[language]
    with translation.override(language):
        assert formats.date_format(date(2026, 12, 1), "DATE_FORMAT") == day
        assert formats.date_format(datetime(2026, 12, 1, 14, 5), "DATETIME_FORMAT") == moment
        assert (
            formats.date_format(date(2026, 12, 1), "SHORT_DATE_FORMAT").replace("\u200f", "")
            == "01/12/2026"
        )


def _templates():
    for path in ROOT.glob("*/templates/**/*.html"):
        if ".venv" not in path.parts and "node_modules" not in path.parts:
            yield path


def test_no_template_writes_its_own_percent_sign_or_date_format():
    """A "%" after a value or a date pattern of its own in a template is a second format.
    (`floatformat` is allowed: it writes the language's decimal separator.)"""
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\{%.*?%\}", lambda m: "" if "blocktranslate" not in m[0] else m[0], text)
        for pattern in (r"\}\}\s*%", r"\}\}\s*٪", r'\|date:"(?![A-Z_]+")', r'\|time:"(?![A-Z_]+")'):
            if re.search(pattern, text):
                offenders.append(f"{path.relative_to(ROOT)}: {pattern}")
    # The lockout list in the admin keeps seconds for the record (docs/learner-pages.md).
    assert [o for o in offenders if "security/admin/lockouts.html" not in o] == []


def test_no_catalogue_entry_writes_a_percent_sign_of_its_own():
    import polib

    for language in ("ar", "fr"):
        for entry in polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")):
            if entry.obsolete:
                continue
            assert "٪" not in entry.msgstr, entry.msgid


# Forms that are not the language's one form: a second date order, a comma before the year,
# a percent sign with the wrong space or none, Arabic-Indic digits.
MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"
FORBIDDEN = {
    "en": [r"\d\s+%", rf"\b(?:{MONTHS_EN}) \d{{1,2}}, \d{{4}}", r"\b[A-Z][a-z]{2}\. \d{1,2},"],
    "fr": [r"\d%", r"\d[ \u00a0]%"],
    "ar": [r"\d\s+%", r"،\s*\d{4}", r"[\u0621-\u064a]+ \d{1,2}, \d{4}"],
}
ALWAYS_FORBIDDEN = [r"٪", r"[\u0660-\u0669\u06f0-\u06f9]"]


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def learner_pages(site, learner):
    from courses.services import activity_complete, enrolment_ensure
    from tests.courses.factories import make_course, make_module
    from tests.factories import ManagerFactory

    course = make_course(slug="formats")
    modules = [make_module(course, slug=f"m{i}") for i in range(3)]
    enrolment_ensure(
        user=learner, course=course, assigned_by=ManagerFactory(), due_date=date(2099, 3, 1)
    )
    activity_complete(user=learner, activity=modules[0])
    other = make_course(slug="late")
    make_module(other, slug="late-module")
    enrolment_ensure(user=learner, course=other, due_date=timezone.localdate() - timedelta(3))
    client = Client()
    client.force_login(learner)
    return client, course, modules


EXPECTED = {
    "en": ("1 March 2099", "33%"),
    "fr": ("1 mars 2099", f"33{NNBSP}%"),
    "ar": ("1 مارس 2099", "33\u200e%\u200e"),
}


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_learner_pages_show_only_the_languages_formats(learner_pages, language):
    client, course, modules = learner_pages
    with translation.override(language):
        urls = [
            f"/{language}/",
            course.get_parent().url,
            course.url,
            modules[1].url,
            f"/{language}/learning/",
        ]
    seen = ""
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _visible_text(response.content.decode())
        for pattern in FORBIDDEN[language] + ALWAYS_FORBIDDEN:
            found = re.search(pattern, text)
            assert found is None, f"{url}: {found and found[0]!r}"
        seen += text
    day, percent = EXPECTED[language]
    assert day in seen
    assert percent in seen
