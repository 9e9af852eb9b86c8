"""Survey statistics and the privacy floor, as pure functions (no ORM, no Django).

Counts come in as plain dicts from one GROUP BY query; everything here is arithmetic on
them, tested without a database (tests/surveys/test_statistics.py).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


def percent(part: int, whole: int) -> int | None:
    """`part` of `whole` as a whole percent, rounded half up; None when `whole` is 0."""
    if not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


def _two(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def scale_mean(counts: Mapping[int, int]) -> Decimal | None:
    """Mean of the points answered (1…n), "not applicable" (0) left out; two decimals."""
    answered = {point: n for point, n in counts.items() if point > 0 and n > 0}
    total = sum(answered.values())
    if not total:
        return None
    return _two(Decimal(sum(point * n for point, n in answered.items())) / total)


def scale_median(counts: Mapping[int, int]) -> Decimal | None:
    """Median of the points answered, "not applicable" left out; between two points it is
    their midpoint (e.g. 3.5)."""
    answered = sorted((point, n) for point, n in counts.items() if point > 0 and n > 0)
    total = sum(n for _point, n in answered)
    if not total:
        return None

    def at(position: int) -> int:  # the point of the `position`-th answer, 0-based
        seen = 0
        for point, n in answered:
            seen += n
            if position < seen:
                return point
        raise AssertionError(position)

    if total % 2:
        return Decimal(at(total // 2))
    return (Decimal(at(total // 2 - 1)) + Decimal(at(total // 2))) / 2


@dataclass(frozen=True)
class RankedItem:
    option: int
    mean_rank: Decimal | None
    borda: int
    first_places: int


def ranking_summary(counts: Mapping[tuple[int, int], int], *, items: int) -> list[RankedItem]:
    """Per item of a ranking question, from counts of (item, rank): the mean rank (1 is the
    top), the Borda count (an item ranked r of n scores n − r points), and how often it came
    first. Sorted by Borda count, highest first, then by item order."""
    summary = []
    for option in range(items):
        ranks = {rank: n for (item, rank), n in counts.items() if item == option}
        total = sum(ranks.values())
        mean = _two(Decimal(sum(r * n for r, n in ranks.items())) / total) if total else None
        borda = sum((items - r) * n for r, n in ranks.items())
        summary.append(RankedItem(option, mean, borda, ranks.get(1, 0)))
    return sorted(summary, key=lambda item: (-item.borda, item.option))


@dataclass(frozen=True)
class Suppression:
    """Which groups of a breakdown may be shown. `hidden` are merged into one "other" group,
    itself shown only when `other_shown`."""

    shown: tuple
    hidden: tuple
    other_shown: bool


def suppress(counts: Mapping, *, floor: int) -> Suppression:
    """The groups of a breakdown that may be shown under the privacy floor.

    A group with fewer than `floor` responses is hidden. When the hidden groups together hold
    fewer than `floor` (but some), the total minus the shown groups would give them away, so
    the smallest shown groups are hidden too until the hidden ones together reach the floor.
    The hidden groups are then shown merged, as one "other" group, when it reaches the floor.
    """
    ordered = sorted(counts, key=lambda key: (counts[key], str(key)))
    hidden = [key for key in ordered if counts[key] < floor]
    shown = [key for key in ordered if counts[key] >= floor]
    hidden_total = sum(counts[key] for key in hidden)
    while hidden and 0 < hidden_total < floor and shown:
        smallest = shown.pop(0)
        hidden.append(smallest)
        hidden_total += counts[smallest]
    shown_sorted = tuple(sorted(shown, key=str))
    return Suppression(shown_sorted, tuple(hidden), bool(hidden) and hidden_total >= floor)


def selection_visible(*, selected: int, total: int, floor: int) -> bool:
    """Whether a filtered selection of `selected` responses out of the reader's `total` may be
    shown: it must reach the floor, and so must what it leaves out (else the unfiltered page
    minus this one singles out the few left out)."""
    if selected < floor:
        return False
    rest = total - selected
    return rest == 0 or rest >= floor


def diverging_segments(counts: Mapping[int, int], *, points: int) -> list[tuple[int, int, int]]:
    """The segments of a diverging stacked bar 2000 wide, as (point, start, width): the
    answers span 1000, the neutral midpoint (odd scales) centred on 1000, low points towards
    the start and high points towards the end. "Not applicable" is left out."""
    answered = {p: counts.get(p, 0) for p in range(1, points + 1)}
    total = sum(answered.values())
    if not total:
        return []
    widths = {p: answered[p] * 1000 / total for p in answered}
    middle = (points + 1) / 2
    low = sum(w for p, w in widths.items() if p < middle) + (
        widths.get(int(middle), 0) / 2 if points % 2 else 0
    )
    position = 1000 - low
    segments = []
    for p in range(1, points + 1):
        width = widths[p]
        if width:
            segments.append((p, round(position), round(width)))
        position += width
    return segments
