"""Checking a package before anything is written. Pure: dicts in, problems out.

Every problem is a string "place: message", the place written as in the package
(`activities[2].questions[0].choices: no correct choice`), and every problem is reported at
once, so a trainer fixes a package in one pass.
"""

from django.utils.text import slugify

from .base import DEFAULT_LANGUAGE, FORMAT, LANGUAGE_CODES
from .handlers import ACTIVITY_HANDLERS

# Page titles and slugs are stored in 255 characters (Wagtail's `Page`).
TITLE_MAX_LENGTH = 255
SLUG_MAX_LENGTH = 255
# The course's plain-text fields (see `CoursePage`).
SUMMARY_MAX_LENGTH = 600
AUDIENCE_MAX_LENGTH = 300


def text_problems(
    value, place: str, *, required: bool = True, max_length: int | None = None
) -> list[str]:
    """A translated text: {"en": …, "fr": …, "ar": …}; English required when `required`."""
    if value is None:
        return [f"{place}: missing"] if required else []
    if not isinstance(value, dict):
        return [f"{place}: expected an object with en, fr, ar texts"]
    problems = [f"{place}: unknown language {key!r}" for key in value if key not in LANGUAGE_CODES]
    for key, text in value.items():
        if key not in LANGUAGE_CODES:
            continue
        if not isinstance(text, str):
            problems.append(f"{place}.{key}: expected a string")
        elif max_length is not None and len(text) > max_length:
            problems.append(f"{place}.{key}: longer than {max_length} characters")
    if required and not (
        isinstance(value.get(DEFAULT_LANGUAGE), str) and value[DEFAULT_LANGUAGE].strip()
    ):
        problems.append(f"{place}.{DEFAULT_LANGUAGE}: English text is required")
    return problems


def slug_problems(value, place: str) -> list[str]:
    if not isinstance(value, str) or not value:
        return [f"{place}: missing"]
    if slugify(value) != value:
        return [f"{place}: not a valid slug (lowercase letters, digits and hyphens)"]
    if len(value) > SLUG_MAX_LENGTH:
        return [f"{place}: longer than {SLUG_MAX_LENGTH} characters"]
    return []


def int_problems(value, place: str, *, minimum: int = 0, maximum: int | None = None) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, int):
        return [f"{place}: expected a whole number"]
    if maximum is not None and not minimum <= value <= maximum:
        return [f"{place}: must be between {minimum} and {maximum}"]
    if value < minimum:
        return [f"{place}: must be at least {minimum}"]
    return []


def hours_problems(value, place: str) -> list[str]:
    """Nominal hours: a number from 0 to 9999.9 with at most one decimal."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return [f"{place}: expected a number of hours"]
    if not 0 <= value <= 9999.9:
        return [f"{place}: must be between 0 and 9999.9"]
    if round(value, 1) != value:
        return [f"{place}: at most one decimal"]
    return []


def date_problems(value, place: str) -> list[str]:
    """A calendar date written YYYY-MM-DD."""
    import datetime

    if not isinstance(value, str):
        return [f"{place}: expected a date written YYYY-MM-DD"]
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return [f"{place}: expected a date written YYYY-MM-DD"]
    if len(value) != 10:
        return [f"{place}: expected a date written YYYY-MM-DD"]
    return []


def certificate_problems(data: dict) -> list[str]:
    """The optional course keys that shape its certificates (see docs/course-packages.md)."""
    problems = []
    if data.get("nominal_hours") is not None:
        problems += hours_problems(data["nominal_hours"], "nominal_hours")
    if data.get("validity_months") is not None:
        problems += int_problems(data["validity_months"], "validity_months", minimum=1, maximum=600)
    if data.get("refresher_course") is not None:
        problems += slug_problems(data["refresher_course"], "refresher_course")
    if data.get("substantially_changed_on") is not None:
        problems += date_problems(data["substantially_changed_on"], "substantially_changed_on")
    return problems


def bool_problems(data: dict, key: str, place: str) -> list[str]:
    """An optional true/false entry `key` of `data`."""
    if key in data and not isinstance(data[key], bool):
        return [f"{place}.{key}: expected true or false"]
    return []


def package_problems(data, media: frozenset[str] = frozenset()) -> list[str]:
    """Every problem in a package, each with its place. Empty when the package is valid.

    `media` holds the paths of the files that came with the package (zip entries). Each
    activity is checked by the handler registered for its type.
    """
    if not isinstance(data, dict):
        return ["package: expected a JSON object"]
    if data.get("format") != FORMAT:
        return [f"format: expected {FORMAT!r}, got {data.get('format')!r}"]
    problems = slug_problems(data.get("slug"), "slug")
    problems += text_problems(data.get("title"), "title", max_length=TITLE_MAX_LENGTH)
    problems += text_problems(data.get("summary"), "summary", max_length=SUMMARY_MAX_LENGTH)
    problems += text_problems(data.get("objectives"), "objectives", required=False)
    problems += text_problems(
        data.get("audience"), "audience", required=False, max_length=AUDIENCE_MAX_LENGTH
    )
    if "estimated_minutes" in data:
        problems += int_problems(data["estimated_minutes"], "estimated_minutes", maximum=100_000)
    problems += certificate_problems(data)
    activities = data.get("activities")
    if not isinstance(activities, list) or not activities:
        return [*problems, "activities: expected a non-empty list"]
    seen: dict[str, int] = {}
    for i, activity in enumerate(activities):
        place = f"activities[{i}]"
        if not isinstance(activity, dict):
            problems.append(f"{place}: expected an object")
            continue
        slug = activity.get("slug")
        problems += slug_problems(slug, f"{place}.slug")
        if isinstance(slug, str) and slug in seen:
            problems.append(f"{place}.slug: duplicate of activities[{seen[slug]}].slug {slug!r}")
        elif isinstance(slug, str):
            seen[slug] = i
        kind = activity.get("type")
        handler = ACTIVITY_HANDLERS.get(kind) if isinstance(kind, str) else None
        if handler is None:
            problems.append(f"{place}.type: unknown activity type {kind!r}")
        else:
            problems += handler.validate(activity, place, media=media)
    return problems
