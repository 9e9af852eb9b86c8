"""Writing a valid package into the page tree, and reading a course back into package form.

`package_import` runs inside the caller's transaction (`courses.services.course_import`).
Anything that goes wrong while writing — a page that refuses to save (a slug another page
already uses in one of the languages), a database constraint, a file the storage refuses —
is raised as a PackageError naming its place in the package, so the transaction rolls back
and the trainer reads what to fix, never a traceback.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError
from django.utils import translation

from ..models import CourseIndexPage, CoursePage
from .base import (
    DEFAULT_LANGUAGE,
    FORMAT,
    LANGUAGE_CODES,
    PackageError,
    set_translated,
    translated_values,
)
from .handlers import ACTIVITY_HANDLERS, handler_for_page
from .media import PackageMedia
from .validation import package_problems

# Course fields in the package, and whether each is rich text.
COURSE_TEXTS = {"title": False, "summary": False, "objectives": True, "audience": False}
OPTIONAL_COURSE_TEXTS = ("objectives", "audience")
# Page fields that repeat another: their errors are reported once, at the field they repeat.
MIRRORED_FIELDS = {"title": "title_en", "draft_title": "title_en"}


def _under(place: str, problem: str) -> str:
    """`problem`, found relative to an activity ("body.en[1]: …"), at the activity's place."""
    if not place:
        return problem
    return f"{place}{problem}" if problem.startswith((":", "[")) else f"{place}.{problem}"


def validation_problems(error: ValidationError, place: str) -> list[str]:
    """A model's ValidationError as package problems: `slug_fr` is the package's `slug` in
    French, `title_ar` its `title.ar`, and so on."""
    if not hasattr(error, "error_dict"):
        return [_under(place, f": {message}") for message in error.messages]
    found: dict[tuple[str, str], list[str]] = {}
    for field, errors in error.error_dict.items():
        if MIRRORED_FIELDS.get(field) in error.error_dict:
            continue
        where, language = _package_place(MIRRORED_FIELDS.get(field, field))
        for message in ValidationError(errors).messages:
            found.setdefault((where, message), []).append(language)
    problems = []
    for (where, message), languages in found.items():
        named = [code for code in languages if code]
        suffix = f" (in {', '.join(named)})" if named else ""
        problems.append(_under(place, f"{where}: {message}{suffix}" if where else f": {message}"))
    return problems


def _package_place(field: str) -> tuple[str, str]:
    """The package key a model field comes from, and the language of the field when the
    package has a single value for all languages (slugs)."""
    if field == NON_FIELD_ERRORS:
        return "", ""
    base, _sep, code = field.rpartition("_")
    if code in LANGUAGE_CODES and base in ("slug", "url_path"):
        return "slug", code
    if code in LANGUAGE_CODES:
        return f"{base}.{code}", ""
    if field == "url_path":
        return "slug", ""
    return field, ""


@contextmanager
def problems_at(place: str) -> Iterator[None]:
    """Report whatever goes wrong while writing the part of the package at `place` as a
    PackageError naming that place ("" is the course itself)."""
    try:
        yield
    except PackageError as error:
        raise PackageError([_under(place, p) for p in error.problems]) from error
    except ValidationError as error:
        raise PackageError(validation_problems(error, place)) from error
    except DatabaseError as error:
        # IntegrityError and the like: the database refused the row; the import rolls back.
        where = place or "package"
        raise PackageError([f"{where}: the database refused the change ({error})"]) from error


def course_fill(course: CoursePage, data: dict) -> None:
    """Set the course's own fields from a valid package."""
    course.estimated_minutes = data.get("estimated_minutes", 60)
    for name, html in COURSE_TEXTS.items():
        set_translated(course, name, data.get(name), html=html)
    course.title = course.title_en
    course.slug = course.slug_en = data["slug"]
    hours = data.get("nominal_hours")
    course.nominal_hours = None if hours is None else Decimal(str(hours))
    course.validity_months = data.get("validity_months")
    changed = data.get("substantially_changed_on")
    course.substantially_changed_on = None if changed is None else date.fromisoformat(changed)


def refresher_set(course: CoursePage, data: dict) -> None:
    """The course a certificate holder renews with: this course itself, or another already on
    the platform, named by its slug."""
    slug = data.get("refresher_course")
    if slug is None:
        refresher = None
    elif slug == data["slug"]:
        refresher = course
    else:
        refresher = CoursePage.objects.filter(slug_en=slug).first()
        if refresher is None:
            raise PackageError(
                [f"refresher_course: no course with the slug {slug!r} (import that course first)"]
            )
    if course.refresher_course_id != (refresher.pk if refresher else None):
        course.refresher_course = refresher
        course.save_revision().publish()


def package_import(
    *,
    data: dict,
    files: PackageMedia,
    index: CourseIndexPage | None = None,
    replace: bool = False,
) -> CoursePage:
    """Create the course of a package under the catalogue, or with `replace` update the course
    with the same slug in place. Call inside a transaction: on PackageError, roll back.

    On replace, each activity whose slug remains (with the same type) is updated in place by
    its handler, so learners keep their progress, attempts and grades on it; activities gone
    from the package are deleted; the course's activities end in the package's order.
    """
    problems = package_problems(data, files.names)
    if problems:
        raise PackageError(problems)
    index = index or CourseIndexPage.objects.first()
    if index is None:
        raise PackageError(["package: the site has no course catalogue (run setup_site)"])
    course = CoursePage.objects.filter(slug_en=data["slug"]).first()
    if course is not None and not replace:
        raise PackageError(
            [f"slug: a course with the slug {data['slug']!r} already exists (use --replace)"]
        )
    # Plain `title`/`slug` are those of the active language: the package's default.
    with translation.override(DEFAULT_LANGUAGE), problems_at(""):
        if course is None:
            course = CoursePage()
            course_fill(course, data)
            index.refresh_from_db()
            index.add_child(instance=course)
        else:
            course_fill(course, data)
        course.save_revision().publish()
        refresher_set(course, data)
    with translation.override(DEFAULT_LANGUAGE):
        activities_write(course=course, activities=data["activities"], files=files)
    return course


def activities_write(*, course: CoursePage, activities: list[dict], files: PackageMedia) -> None:
    """Make the course's activities those of the package, in its order."""
    current = {page.slug_en or page.slug: page for page in course.get_children().specific()}
    for slug, page in list(current.items()):
        wanted = next((a for a in activities if a["slug"] == slug), None)
        handler = ACTIVITY_HANDLERS[wanted["type"]] if wanted else None
        if handler is None or not isinstance(page, handler.model):
            # Gone from the package, or now another type: removed before anything is added,
            # so its slugs are free for the activities that follow.
            with problems_at(f"activity {slug!r} (removed)"):
                page.delete()
            del current[slug]
    order = []
    for position, activity in enumerate(activities):
        handler = ACTIVITY_HANDLERS[activity["type"]]
        existing = current.get(activity["slug"])
        with problems_at(f"activities[{position}]"):
            if existing is None:
                page = handler.create(course=course, data=activity, media=files)
            else:
                page = handler.update(course=course, page=existing, data=activity, media=files)
        order.append(page.pk)
    if list(course.get_children().values_list("pk", flat=True)) != order:
        for position, pk in enumerate(order):
            with problems_at(f"activities[{position}]"):
                page = course.get_children().get(pk=pk)
                page.move(course, pos="last-child")


def course_export(course: CoursePage) -> tuple[dict, dict[str, bytes]]:
    """The course and its activities as a `tadrib.course/1` dict, plus the media it uses."""
    media: dict[str, bytes] = {}
    activities = []
    for page in course.get_children().specific().order_by("path"):
        handler = handler_for_page(page)
        if handler is not None:
            activities.append(handler.export(page, media=media))
    data = {
        "format": FORMAT,
        "slug": course.slug_en or course.slug,
        **{name: translated_values(course, name) for name in COURSE_TEXTS},
        "estimated_minutes": course.estimated_minutes,
        **certificate_values(course),
        "activities": activities,
    }
    for optional in OPTIONAL_COURSE_TEXTS:
        if not data[optional]:
            del data[optional]
    return data, media


def certificate_values(course: CoursePage) -> dict:
    """The certificate keys of a course in package form, only those that are set."""
    values: dict = {}
    if course.nominal_hours is not None:
        hours = course.nominal_hours
        values["nominal_hours"] = int(hours) if hours == hours.to_integral_value() else float(hours)
    if course.validity_months is not None:
        values["validity_months"] = course.validity_months
    if course.refresher_course_id is not None:
        refresher = CoursePage.objects.filter(pk=course.refresher_course_id).first()
        if refresher is not None:
            values["refresher_course"] = refresher.slug_en or refresher.slug
    if course.substantially_changed_on is not None:
        values["substantially_changed_on"] = course.substantially_changed_on.isoformat()
    return values
