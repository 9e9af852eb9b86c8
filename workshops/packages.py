"""`tadrib.workshop/1`: a workshop as JSON — its metadata, agenda, course slugs and test quiz
slugs; never people (no facilitators, participants, attendance or results) and no documents.

Import is all-or-nothing, as for course packages: every problem is reported at once as
"place: message" (`sessions[2].end_time: must be after start_time`), and nothing is written
unless there is none. The format: docs/workshops.md.
"""

import zoneinfo
from datetime import date, datetime, time

from django.db import transaction
from django_countries import countries

from cms.models import Organisation
from courses.models import CoursePage
from courses.packages import PackageError, int_problems, slug_problems, text_problems
from courses.packages.base import set_translated, translated_values
from quizzes.models import QuizPage
from surveys.models import SurveyPage

from .models import Workshop, WorkshopCourse, WorkshopSession

FORMAT = "tadrib.workshop/1"
KEYS = {
    "format", "slug", "title", "description", "starts_at", "ends_at", "time_zone", "mode",
    "venue_country", "host_organisation", "attendance_threshold", "pre_test", "post_test",
    "needs_survey", "evaluation_survey", "courses", "sessions",
}  # fmt: skip
SESSION_KEYS = {"date", "start_time", "end_time", "topic", "speaker"}
COURSE_KEYS = {"course", "due_date", "due_days_after_end"}


def workshop_export(workshop: Workshop) -> dict:
    host = workshop.host_organisation
    return {
        "format": FORMAT,
        "slug": workshop.slug,
        "title": translated_values(workshop, "title"),
        "description": translated_values(workshop, "description"),
        "starts_at": workshop.starts_at.isoformat(),
        "ends_at": workshop.ends_at.isoformat(),
        "time_zone": workshop.time_zone,
        "mode": workshop.mode,
        "venue_country": workshop.venue_country.code or "",
        "host_organisation": {"name": host.name_en, "country": host.country.code} if host else None,
        "attendance_threshold": workshop.attendance_threshold,
        "pre_test": workshop.pre_test.slug_en if workshop.pre_test else None,
        "post_test": workshop.post_test.slug_en if workshop.post_test else None,
        "needs_survey": workshop.needs_survey.slug_en if workshop.needs_survey else None,
        "evaluation_survey": workshop.evaluation_survey.slug_en
        if workshop.evaluation_survey
        else None,
        "courses": [
            {
                "course": link.course.slug_en,
                "due_date": link.due_date.isoformat() if link.due_date else None,
                "due_days_after_end": link.due_days_after_end,
            }
            for link in workshop.courses.select_related("course")
        ],
        "sessions": [
            {
                "date": session.date.isoformat(),
                "start_time": session.start_time.strftime("%H:%M"),
                "end_time": session.end_time.strftime("%H:%M"),
                "topic": translated_values(session, "topic"),
                "speaker": session.speaker,
            }
            for session in workshop.sessions.all()
        ],
    }


def _moment(value, place: str) -> tuple[datetime | None, list[str]]:
    if not isinstance(value, str):
        return None, [f"{place}: expected a date and time such as 2026-03-02T08:00:00+01:00"]
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None, [f"{place}: expected a date and time such as 2026-03-02T08:00:00+01:00"]
    if moment.tzinfo is None:
        return None, [f"{place}: give the UTC offset (e.g. +01:00 or Z)"]
    return moment, []


def _clock(value, place: str) -> tuple[time | None, list[str]]:
    try:
        if not isinstance(value, str) or len(value) != 5:
            raise ValueError
        return time.fromisoformat(value), []
    except ValueError:
        return None, [f"{place}: expected a time written HH:MM"]


def _day(value, place: str) -> tuple[date | None, list[str]]:
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return date.fromisoformat(value), []
    except ValueError:
        return None, [f"{place}: expected a date written YYYY-MM-DD"]


def _unknown(data: dict, known: set[str], place: str) -> list[str]:
    prefix = f"{place}." if place else ""
    return [f"{prefix}{key}: unknown key" for key in sorted(set(data) - known)]


def _quiz(slug, place: str, problems: list[str]) -> QuizPage | None:
    if slug is None:
        return None
    if not isinstance(slug, str) or not slug:
        problems.append(f"{place}: expected a quiz slug or null")
        return None
    found = list(QuizPage.objects.filter(slug_en=slug)[:2])
    if not found:
        problems.append(f"{place}: no quiz with the slug {slug!r}")
        return None
    if len(found) > 1:
        problems.append(f"{place}: several quizzes have the slug {slug!r}")
        return None
    if found[0].required:
        problems.append(f"{place}: the quiz {slug!r} is a required activity; make it optional")
    return found[0]


def _survey(slug, place: str, problems: list[str]) -> SurveyPage | None:
    """A survey by its English slug (optional key: absent or null, none)."""
    if slug is None:
        return None
    if not isinstance(slug, str) or not slug:
        problems.append(f"{place}: expected a survey slug or null")
        return None
    found = list(SurveyPage.objects.filter(slug_en=slug)[:2])
    if not found:
        problems.append(f"{place}: no survey with the slug {slug!r}")
        return None
    if len(found) > 1:
        problems.append(f"{place}: several surveys have the slug {slug!r}")
        return None
    return found[0]


def workshop_plan(data) -> dict:
    """Check `data` against the format and the database; the values to write, or raise
    PackageError listing every problem."""
    if not isinstance(data, dict):
        raise PackageError(["(top): expected a JSON object"])
    problems: list[str] = []
    if data.get("format") != FORMAT:
        problems.append(f"format: expected {FORMAT!r}")
    problems += _unknown(data, KEYS, "")
    problems += slug_problems(data.get("slug"), "slug")
    if isinstance(data.get("slug"), str) and Workshop.objects.filter(slug=data["slug"]).exists():
        problems.append(f"slug: a workshop with the slug {data['slug']!r} exists already")
    problems += text_problems(data.get("title"), "title", max_length=255)
    problems += text_problems(data.get("description"), "description", required=False)
    starts, found = _moment(data.get("starts_at"), "starts_at")
    problems += found
    ends, found = _moment(data.get("ends_at"), "ends_at")
    problems += found
    if starts and ends and ends < starts:
        problems.append("ends_at: must not be before starts_at")
    zone = data.get("time_zone", "Africa/Niamey")
    if not isinstance(zone, str) or zone not in zoneinfo.available_timezones():
        problems.append(f"time_zone: {zone!r} is not an IANA time zone such as Africa/Niamey")
    mode = data.get("mode", Workshop.Mode.ONLINE)
    if mode not in Workshop.Mode.values:
        problems.append(f"mode: expected one of {', '.join(Workshop.Mode.values)}")
    country = data.get("venue_country") or ""
    if country and (not isinstance(country, str) or country not in dict(countries)):
        problems.append(f"venue_country: unknown country code {country!r}")
    host = None
    if data.get("host_organisation") is not None:
        spec = data["host_organisation"]
        if not isinstance(spec, dict) or set(spec) != {"name", "country"}:
            problems.append('host_organisation: expected {"name": …, "country": …} or null')
        else:
            host = Organisation.objects.filter(
                name_en=spec["name"], country=spec["country"]
            ).first()
            if host is None:
                problems.append(
                    f"host_organisation: no organisation {spec['name']!r} in {spec['country']!r}"
                )
    threshold = data.get("attendance_threshold", 75)
    problems += int_problems(threshold, "attendance_threshold", minimum=0, maximum=100)
    pre = _quiz(data.get("pre_test"), "pre_test", problems)
    post = _quiz(data.get("post_test"), "post_test", problems)
    if pre is not None and post is not None and pre.pk == post.pk:
        problems.append("post_test: must be another quiz than pre_test")
    needs = _survey(data.get("needs_survey"), "needs_survey", problems)
    evaluation = _survey(data.get("evaluation_survey"), "evaluation_survey", problems)
    if needs is not None and evaluation is not None and needs.pk == evaluation.pk:
        problems.append("evaluation_survey: must be another survey than needs_survey")

    links = []
    courses = data.get("courses", [])
    if not isinstance(courses, list):
        problems.append("courses: expected a list")
        courses = []
    seen_courses: dict[str, int] = {}
    for n, item in enumerate(courses):
        place = f"courses[{n}]"
        if not isinstance(item, dict):
            problems.append(f"{place}: expected an object")
            continue
        problems += _unknown(item, COURSE_KEYS, place)
        slug = item.get("course")
        course = CoursePage.objects.filter(slug_en=slug).first() if isinstance(slug, str) else None
        if course is None:
            problems.append(f"{place}.course: no course with the slug {slug!r}")
        elif slug in seen_courses:
            problems.append(f"{place}.course: already listed at courses[{seen_courses[slug]}]")
        else:
            seen_courses[slug] = n
        due, days = None, item.get("due_days_after_end")
        if item.get("due_date") is not None:
            due, found = _day(item["due_date"], f"{place}.due_date")
            problems += found
        if days is not None:
            problems += int_problems(days, f"{place}.due_days_after_end", minimum=0, maximum=3650)
            if item.get("due_date") is not None:
                problems.append(f"{place}: give due_date or due_days_after_end, not both")
        links.append((course, due, days))

    sessions = []
    items = data.get("sessions", [])
    if not isinstance(items, list):
        problems.append("sessions: expected a list")
        items = []
    for n, item in enumerate(items):
        place = f"sessions[{n}]"
        if not isinstance(item, dict):
            problems.append(f"{place}: expected an object")
            continue
        problems += _unknown(item, SESSION_KEYS, place)
        day, found = _day(item.get("date"), f"{place}.date")
        problems += found
        start, found = _clock(item.get("start_time"), f"{place}.start_time")
        problems += found
        end, found = _clock(item.get("end_time"), f"{place}.end_time")
        problems += found
        if start and end and end <= start:
            problems.append(f"{place}.end_time: must be after start_time")
        problems += text_problems(item.get("topic"), f"{place}.topic", max_length=300)
        speaker = item.get("speaker", "")
        if not isinstance(speaker, str) or len(speaker) > 300:
            problems.append(f"{place}.speaker: expected a text of at most 300 characters")
        sessions.append((day, start, end, item.get("topic"), speaker))
    if problems:
        raise PackageError(problems)
    return {
        "data": data,
        "starts": starts,
        "ends": ends,
        "zone": zone,
        "mode": mode,
        "country": country,
        "host": host,
        "threshold": threshold,
        "pre": pre,
        "post": post,
        "needs": needs,
        "evaluation": evaluation,
        "links": links,
        "sessions": sessions,
    }


@transaction.atomic
def workshop_import(data) -> Workshop:
    """Create the workshop `data` describes, or raise PackageError writing nothing."""
    plan = workshop_plan(data)
    workshop = Workshop(
        slug=data["slug"],
        starts_at=plan["starts"],
        ends_at=plan["ends"],
        time_zone=plan["zone"],
        mode=plan["mode"],
        venue_country=plan["country"],
        host_organisation=plan["host"],
        attendance_threshold=plan["threshold"],
        pre_test=plan["pre"],
        post_test=plan["post"],
        needs_survey=plan["needs"],
        evaluation_survey=plan["evaluation"],
    )
    set_translated(workshop, "title", data["title"])
    set_translated(workshop, "description", data.get("description"), html=True)
    workshop.title = workshop.title_en
    workshop.save()
    WorkshopCourse.objects.bulk_create(
        WorkshopCourse(
            workshop=workshop, course=course, due_date=due, due_days_after_end=days, position=n
        )
        for n, (course, due, days) in enumerate(plan["links"])
    )
    rows = []
    for day, start, end, topic, speaker in plan["sessions"]:
        session = WorkshopSession(
            workshop=workshop, date=day, start_time=start, end_time=end, speaker=speaker
        )
        set_translated(session, "topic", topic)
        session.topic = session.topic_en
        rows.append(session)
    WorkshopSession.objects.bulk_create(rows)
    return workshop
