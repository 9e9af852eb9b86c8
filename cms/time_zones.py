"""The time zones a reader may choose for showing times (workshop agendas): every canonical
IANA zone of the inhabited regions, plus UTC, sorted by name. Empty means "not chosen": each
page then uses its own default (a workshop's agenda, the workshop's zone)."""

import zoneinfo
from functools import cache

_REGIONS = (
    "Africa/",
    "America/",
    "Antarctica/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
)


@cache
def time_zone_names() -> tuple[str, ...]:
    names = {name for name in zoneinfo.available_timezones() if name.startswith(_REGIONS)}
    return ("UTC", *sorted(names))


def is_time_zone(name: str) -> bool:
    return name in time_zone_names()


def reader_zone(user, default: str) -> str:
    """The zone `user` reads times in: their own choice, else `default`."""
    chosen = getattr(user, "time_zone", "") or ""
    return chosen if is_time_zone(chosen) else default
