"""Pure rules for certificates: validity, state, renewal windows, names by script.

No Django here; services turn models into these values and tests run without a database.
"""

import calendar
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

# Days before expiry on which a holder is invited to renew, most distant first.
RENEWAL_WINDOWS = (60, 14)


class State(Enum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` plus calendar months; the day is clamped to the target month's length
    (31 January + 1 month is 28 or 29 February)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def valid_until_for(*, issued_at: datetime, validity_months: int | None) -> datetime | None:
    """When a certificate issued at `issued_at` expires; None when it never does."""
    if not validity_months:
        return None
    return add_months(issued_at, validity_months)


def state_of(*, revoked: bool, valid_until: datetime | None, now: datetime) -> State:
    """Revoked wins over expired; a certificate is expired from its `valid_until` on."""
    if revoked:
        return State.REVOKED
    if valid_until is not None and now >= valid_until:
        return State.EXPIRED
    return State.VALID


def renewal_window_due(
    *, valid_until: datetime | None, now: datetime, invited: frozenset[int] | set[int]
) -> int | None:
    """The renewal window (days before expiry) to invite for now, or None.

    Only the most urgent window reached counts: a run that comes late (10 days before expiry,
    nothing sent) sends the 14-day invitation, not the 60-day one as well. Nothing after
    expiry, and nothing for a window already invited or a more urgent one.
    """
    if valid_until is None or now >= valid_until:
        return None
    days_left = (valid_until - now).total_seconds() / 86400
    reached = [w for w in RENEWAL_WINDOWS if days_left <= w]
    if not reached:
        return None
    window = min(reached)
    if any(w <= window for w in invited):
        return None
    return window


def is_arabic_script(text: str) -> bool:
    """Whether the letters of `text` are mostly Arabic script."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    arabic = sum(1 for ch in letters if "ARABIC" in unicodedata.name(ch, ""))
    return arabic * 2 > len(letters)


@dataclass(frozen=True)
class HolderNames:
    arabic: str
    latin: str


def holder_names(*, arabic: str, latin: str, first_name: str, last_name: str) -> HolderNames:
    """The names a certificate shows: the ones the user stored per script, else the account's
    first and last name filed under the script they are written in."""
    arabic, latin = arabic.strip(), latin.strip()
    account = " ".join(part for part in (first_name.strip(), last_name.strip()) if part)
    if account and not (arabic or latin):
        if is_arabic_script(account):
            arabic = account
        else:
            latin = account
    return HolderNames(arabic=arabic, latin=latin)
