"""Course packages, format `tadrib.course/1` (DESIGN.md, "Contracts").

Validation is pure (dicts in, problems out) and complete: every problem is reported with its
place, e.g. `activities[2].questions[0].choices: no correct choice`. Nothing is written unless
the whole package is valid. Activity types register a handler, so `courses` never imports the
apps that provide them (quizzes register "quiz").
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.text import slugify

from cms.sanitize import sanitize_html

FORMAT = "tadrib.course/1"
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
DEFAULT_LANGUAGE = settings.LANGUAGE_CODE


@dataclass(frozen=True)
class ActivityHandler:
    type: str
    model: type
    validate: Callable[[dict, str], list[str]]
    create: Callable[..., Any]  # create(*, course, data, category_name) -> page
    export: Callable[[Any], dict]


ACTIVITY_HANDLERS: dict[str, ActivityHandler] = {}


def register_activity_type(handler: ActivityHandler) -> None:
    ACTIVITY_HANDLERS[handler.type] = handler


def handler_for_page(page) -> ActivityHandler | None:
    return next((h for h in ACTIVITY_HANDLERS.values() if isinstance(page, h.model)), None)


class PackageError(Exception):
    """A package that cannot be imported; `problems` lists every reason with its place."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


# --- small validators shared by activity handlers -------------------------------------------


def text_problems(value, place: str, *, required: bool = True) -> list[str]:
    """A translated text: {"en": …, "fr": …, "ar": …}; English required when `required`."""
    if value is None:
        return [f"{place}: missing"] if required else []
    if not isinstance(value, dict):
        return [f"{place}: expected an object with en, fr, ar texts"]
    problems = [f"{place}: unknown language {key!r}" for key in value if key not in LANGUAGE_CODES]
    problems += [
        f"{place}.{key}: expected a string"
        for key, text in value.items()
        if key in LANGUAGE_CODES and not isinstance(text, str)
    ]
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
    return []


def int_problems(value, place: str, *, minimum: int = 0, maximum: int | None = None) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, int):
        return [f"{place}: expected a whole number"]
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and {maximum}" if maximum is not None else ""
        return [
            f"{place}: must be between {minimum}{upper}"
            if upper
            else f"{place}: must be at least {minimum}"
        ]
    return []


def set_translated(obj, field: str, value: dict | None, *, html: bool = False) -> None:
    """Set `field_en/_fr/_ar` from a translated dict; missing languages become empty."""
    for code in LANGUAGE_CODES:
        text = (value or {}).get(code) or ""
        setattr(obj, f"{field}_{code}", sanitize_html(text) if html else text.strip())


def translated_values(obj, field: str) -> dict:
    """The non-empty translations of `field`, as the package format writes them."""
    return {
        code: text for code in LANGUAGE_CODES if (text := getattr(obj, f"{field}_{code}", None))
    }


# --- modules and courses -----------------------------------------------------------------------


def _module_blocks():
    from .blocks import MODULE_BLOCKS

    return dict(MODULE_BLOCKS)


def body_problems(body, place: str) -> list[str]:
    if body is None:
        return [f"{place}: missing"]
    if not isinstance(body, dict):
        return [f"{place}: expected an object with en, fr, ar block lists"]
    problems = [f"{place}: unknown language {key!r}" for key in body if key not in LANGUAGE_CODES]
    if not body.get(DEFAULT_LANGUAGE):
        problems.append(f"{place}.{DEFAULT_LANGUAGE}: English body is required")
    blocks = _module_blocks()
    for code, stream in body.items():
        if code not in LANGUAGE_CODES:
            continue
        if not isinstance(stream, list):
            problems.append(f"{place}.{code}: expected a list of blocks")
            continue
        for i, block in enumerate(stream):
            where = f"{place}.{code}[{i}]"
            if not isinstance(block, dict) or "type" not in block or "value" not in block:
                problems.append(f"{where}: expected an object with type and value")
            elif block["type"] not in blocks:
                problems.append(f"{where}.type: unknown block type {block['type']!r}")
            else:
                problems += _block_value_problems(
                    blocks[block["type"]], block["value"], f"{where}.value"
                )
    return problems


def _block_value_problems(block, value, place: str) -> list[str]:
    from django.core.exceptions import ValidationError

    try:
        block.clean(block.to_python(value))
    except ValidationError as error:
        detail = getattr(error, "block_errors", None)
        if isinstance(detail, dict) and detail:
            return [f"{place}.{name}: {'; '.join(_messages(e))}" for name, e in detail.items()]
        return [f"{place}: {'; '.join(_messages(error))}"]
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        return [f"{place}: malformed value ({error.__class__.__name__})"]
    return []


def _messages(error) -> list[str]:
    if hasattr(error, "messages"):
        return [str(m) for m in error.messages]
    if isinstance(error, list | tuple):
        return [m for e in error for m in _messages(e)]
    return [str(error)]


def module_validate(data: dict, place: str) -> list[str]:
    problems = text_problems(data.get("title"), f"{place}.title")
    problems += body_problems(data.get("body"), f"{place}.body")
    if "required" in data and not isinstance(data["required"], bool):
        problems.append(f"{place}.required: expected true or false")
    if "estimated_minutes" in data:
        problems += int_problems(
            data["estimated_minutes"], f"{place}.estimated_minutes", maximum=10_000
        )
    return problems


def package_problems(data) -> list[str]:
    """Every problem in a package, each with its place. Empty when the package is valid."""
    if not isinstance(data, dict):
        return ["package: expected a JSON object"]
    if data.get("format") != FORMAT:
        return [f"format: expected {FORMAT!r}, got {data.get('format')!r}"]
    problems = slug_problems(data.get("slug"), "slug")
    problems += text_problems(data.get("title"), "title")
    problems += text_problems(data.get("summary"), "summary")
    for optional in ("objectives", "audience"):
        problems += text_problems(data.get(optional), optional, required=False)
    if "estimated_minutes" in data:
        problems += int_problems(data["estimated_minutes"], "estimated_minutes", maximum=100_000)
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
        if kind == "module":
            problems += module_validate(activity, place)
        elif kind in ACTIVITY_HANDLERS:
            problems += ACTIVITY_HANDLERS[kind].validate(activity, place)
        else:
            problems.append(f"{place}.type: unknown activity type {kind!r}")
    return problems


def module_export(page) -> dict:
    body = {}
    for code in LANGUAGE_CODES:
        stream = getattr(page, f"body_{code}", None)
        if stream:
            body[code] = list(stream.raw_data)
    return {
        "type": "module",
        "slug": page.slug_en or page.slug,
        "title": translated_values(page, "title"),
        "required": page.required,
        "estimated_minutes": page.estimated_minutes,
        "body": body,
    }


def course_export(course) -> dict:
    """The course and its live activities as a `tadrib.course/1` dict."""
    from .selectors import activity_models

    children = []
    for model in activity_models():
        children += list(model.objects.child_of(course))
    activities = []
    for page in sorted(children, key=lambda p: p.path):
        handler = handler_for_page(page)
        activities.append(handler.export(page) if handler else module_export(page))
    return {
        "format": FORMAT,
        "slug": course.slug_en or course.slug,
        "title": translated_values(course, "title"),
        "summary": translated_values(course, "summary"),
        "objectives": translated_values(course, "objectives"),
        "audience": translated_values(course, "audience"),
        "estimated_minutes": course.estimated_minutes,
        "activities": activities,
    }
