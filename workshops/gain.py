"""The arithmetic of knowledge gain: pure functions, no database (docs/knowledge-gain.md).

Scores are percentages (0–100) of a participant's pre-test and post-test. Every computation
is exact (on fractions) and only the figure shown is rounded, half up (a tie goes away from
zero: 2.345 → 2.35, −2.345 → −2.35): scores, gains and means to 2 decimals, normalised gains
and effect sizes to 3.

- gain = post − pre, in percentage points;
- normalised gain g = (post − pre) / (100 − pre), undefined when pre = 100 (the participant
  could not improve): such participants are counted apart, as "at ceiling";
- Hake's class gain ⟨g⟩ = (mean post − mean pre) / (100 − mean pre);
- paired effect size d_z = mean gain / sample standard deviation of gains (n − 1), undefined
  for fewer than two pairs or when every gain is the same.

Only *paired* participants (both tests taken) enter the means; those with one test are counted
as unpaired, those with none as untested, and never mixed in.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

SCORE_PLACES = 2
G_PLACES = 3
EFFECT_PLACES = 3
HUNDRED = Fraction(100)

Number = Decimal | int | float | Fraction | str


def _exact(value: Number) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        # A float score is read as the decimal it prints as (0.1 is 0.1, not 0.1000…0555).
        return Fraction(Decimal(repr(value)))
    return Fraction(Decimal(value) if isinstance(value, str) else value)


def _hundredths(value: Number) -> int | Fraction:
    """`value` × 100, exactly: an int for a stored score (two decimals), cheap to add up."""
    if isinstance(value, Decimal):
        scaled = value.scaleb(2)
        if scaled == scaled.to_integral_value():
            return int(scaled)
    elif isinstance(value, int):
        return value * 100
    return _exact(value) * 100


def round_half_up(value: Fraction | int | None, places: int) -> Decimal | None:
    """`value` rounded to `places` decimals, a tie away from zero; exact, None stays None."""
    if value is None:
        return None
    return _ratio_half_up(value.numerator, value.denominator, places)


def _ratio_half_up(numerator: int, denominator: int, places: int) -> Decimal:
    """numerator / denominator (denominator > 0) rounded half up to `places`, in integers."""
    scaled = abs(numerator) * 10**places
    # floor(x + 1/2) on the exact rational.
    rounded = (scaled * 2 + denominator) // (denominator * 2)
    return Decimal(-rounded if numerator < 0 else rounded).scaleb(-places)


def score(value: Number | None) -> Decimal | None:
    """A score as shown: 2 decimals, half up."""
    return None if value is None else round_half_up(_hundredths(value), 0).scaleb(-2)  # type: ignore[union-attr]


def _normalised(pre: Fraction | int, post: Fraction | int) -> Fraction | None:
    if pre >= HUNDRED:
        return None
    return (post - pre) / (HUNDRED - pre)


@dataclass(frozen=True)
class ParticipantGain:
    """One participant's figures, rounded for display (None: not taken, or undefined)."""

    pre: Decimal | None
    post: Decimal | None
    gain: Decimal | None
    normalized_gain: Decimal | None

    @property
    def paired(self) -> bool:
        return self.pre is not None and self.post is not None

    @property
    def at_ceiling(self) -> bool:
        """Paired with a full pre-test score: g is undefined."""
        return self.paired and self.normalized_gain is None


def _g(pre: int | Fraction, post: int | Fraction) -> Fraction | None:
    """Normalised gain from scores in hundredths; None at a pre-test of 100."""
    if pre >= 10_000:
        return None
    return Fraction(post - pre) / (10_000 - pre)


def participant_gain(pre: Number | None, post: Number | None) -> ParticipantGain:
    if pre is None or post is None:
        return ParticipantGain(score(pre), score(post), None, None)
    exact_pre, exact_post = _hundredths(pre), _hundredths(post)
    g = _g(exact_pre, exact_post)
    return ParticipantGain(
        pre=score(pre),
        post=score(post),
        gain=round_half_up(exact_post - exact_pre, 0).scaleb(-2),  # type: ignore[union-attr]
        normalized_gain=None if g is None else _ratio_half_up(g.numerator, g.denominator, G_PLACES),
    )


@dataclass(frozen=True)
class GroupGain:
    """A group's figures. Means are over the `paired` participants only."""

    participants: int
    paired: int
    unpaired: int  # one of the two tests only
    pre_only: int
    post_only: int
    untested: int  # neither test
    at_ceiling: int  # paired with pre = 100: no individual g
    mean_pre: Decimal | None
    mean_post: Decimal | None
    mean_gain: Decimal | None
    class_gain: Decimal | None  # Hake's ⟨g⟩
    mean_normalized_gain: Decimal | None  # mean of the individual g that are defined
    effect_size: Decimal | None  # d_z


def _sqrt(value: Fraction) -> Decimal:
    with localcontext() as context:
        context.prec = 60
        return (Decimal(value.numerator) / Decimal(value.denominator)).sqrt()


def effect_size(gains: list) -> Fraction | Decimal | None:
    """d_z = mean / sample SD of `gains`; None for n < 2 or a zero SD."""
    n = len(gains)
    if n < 2:
        return None
    total = sum(gains)
    squares = sum(g * g for g in gains)
    # n(n−1)·variance = nΣx² − (Σx)², exact in integers or fractions.
    spread = n * squares - total * total
    if spread == 0:
        return None
    if total == 0:
        return Fraction(0)
    # d_z² = mean² / variance = (Σx)² (n − 1) / (n (nΣx² − (Σx)²)): exact; only the root is not.
    root = _sqrt(Fraction(total * total * (n - 1)) / (n * spread))
    return root if total > 0 else -root


def _round_effect(value: Fraction | Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Fraction):
        return round_half_up(value, EFFECT_PLACES)
    # A 60-digit square root: rounding it half up is exact unless it ties at 60 digits.
    with localcontext() as context:
        context.rounding = ROUND_HALF_UP
        return value.quantize(Decimal(1).scaleb(-EFFECT_PLACES))


def group_gain(scores: Iterable[tuple[Number | None, Number | None]]) -> GroupGain:
    """The figures of a group from each participant's (pre, post); None for a test not taken."""
    participants = pre_only = post_only = untested = ceiling = 0
    # In hundredths of a point: integers for stored scores, so sums stay exact and cheap.
    pre_sum: int | Fraction = 0
    post_sum: int | Fraction = 0
    gains: list[int | Fraction] = []
    g_sum = Fraction(0)
    g_count = 0
    for pre, post in scores:
        participants += 1
        if pre is None and post is None:
            untested += 1
        elif post is None:
            pre_only += 1
        elif pre is None:
            post_only += 1
        else:
            exact_pre, exact_post = _hundredths(pre), _hundredths(post)
            pre_sum += exact_pre
            post_sum += exact_post
            gains.append(exact_post - exact_pre)
            g = _g(exact_pre, exact_post)
            if g is None:
                ceiling += 1
            else:
                g_sum += g
                g_count += 1
    n = len(gains)
    mean_pre = mean_post = class_gain = None
    if n:
        mean_pre = Fraction(pre_sum) / (100 * n)
        mean_post = Fraction(post_sum) / (100 * n)
        class_gain = _normalised(mean_pre, mean_post)
    return GroupGain(
        participants=participants,
        paired=n,
        unpaired=pre_only + post_only,
        pre_only=pre_only,
        post_only=post_only,
        untested=untested,
        at_ceiling=ceiling,
        mean_pre=round_half_up(mean_pre, SCORE_PLACES),
        mean_post=round_half_up(mean_post, SCORE_PLACES),
        mean_gain=round_half_up(
            None if mean_pre is None or mean_post is None else mean_post - mean_pre,
            SCORE_PLACES,
        ),
        class_gain=round_half_up(class_gain, G_PLACES),
        mean_normalized_gain=round_half_up(g_sum / g_count, G_PLACES) if g_count else None,
        # d_z does not depend on the unit: computed on the hundredths.
        effect_size=_round_effect(effect_size(gains)),
    )


@dataclass(frozen=True)
class CategoryGain:
    """One question category: the mean fraction correct, as a percentage, before and after."""

    pre: Decimal | None
    post: Decimal | None
    change: Decimal | None  # percentage points
    pre_responses: int
    post_responses: int


def _mean_percent(total: Number | None, count: int) -> Fraction | None:
    if not count or total is None:
        return None
    return _exact(total) * 100 / count


def category_gain(
    *, pre_total: Number | None, pre_count: int, post_total: Number | None, post_count: int
) -> CategoryGain:
    """From the sums of the fractions (0–1) of the category's answers and their counts."""
    pre = _mean_percent(pre_total, pre_count)
    post = _mean_percent(post_total, post_count)
    return CategoryGain(
        pre=round_half_up(pre, SCORE_PLACES),
        post=round_half_up(post, SCORE_PLACES),
        change=round_half_up(None if pre is None or post is None else post - pre, SCORE_PLACES),
        pre_responses=pre_count,
        post_responses=post_count,
    )


def rate(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` as a percentage to 2 decimals, half up; None when there is no whole."""
    if not whole:
        return None
    return round_half_up(Fraction(part * 100, whole), SCORE_PLACES)
