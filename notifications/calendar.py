"""A workshop's agenda as an iCalendar file (RFC 5545), each session in the participant's time
zone (with its VTIMEZONE), so calendar programs show the times the invitation states."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event


@dataclass(frozen=True)
class WorkshopSession:
    """One session of a workshop, as the workshops app hands it over: times in UTC."""

    title: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "starts_at": self.starts_at.astimezone(UTC).isoformat(),
            "ends_at": self.ends_at.astimezone(UTC).isoformat(),
            "location": self.location,
        }

    @classmethod
    def from_json(cls, data: dict) -> "WorkshopSession":
        return cls(
            title=data["title"],
            starts_at=datetime.fromisoformat(data["starts_at"]),
            ends_at=datetime.fromisoformat(data["ends_at"]),
            location=data.get("location", ""),
        )


def workshop_calendar(
    *,
    uid: str,
    title: str,
    sessions: Sequence[WorkshopSession],
    time_zone: str,
    url: str = "",
    stamp: datetime,
) -> bytes:
    """The agenda of workshop `uid` (stable: a calendar updates the events of a resent
    invitation instead of adding them again)."""
    zone = ZoneInfo(time_zone)
    calendar = Calendar()
    calendar.add("prodid", "-//Tadrib//Workshops//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("calscale", "GREGORIAN")
    for number, session in enumerate(sessions, start=1):
        event = Event()
        event.add("uid", f"{uid}-session-{number}")
        event.add("dtstamp", stamp.astimezone(UTC))
        event.add("dtstart", session.starts_at.astimezone(zone))
        event.add("dtend", session.ends_at.astimezone(zone))
        event.add("summary", f"{title} — {session.title}" if session.title else title)
        if session.location:
            event.add("location", session.location)
        if url:
            event.add("url", url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
