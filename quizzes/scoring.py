"""Quiz rules (docs/domain-rules.md, "Quiz scoring"; docs/quizzes.md): pure data in, numbers out.

No ORM and no Django here. Each question type (quizzes/question_types/) has a key here: a
frozen dataclass saying what counts as right, with the type's scoring rule (`fraction`), the
JSON form of its answers, and the check that an author gave enough to answer it. Services turn
questions and responses into keys and answers, call these functions and save the result.
Fractions are kept exact (`Fraction`) until the attempt score is rounded, half up, to two
decimals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

TWO_PLACES = Decimal("0.01")

# A learner's answer, by type: single → choice id; multiple → frozenset of choice ids;
# true_false → bool; matching → {prompt id: option id}; ordering → {item id: position}.
# None (or an empty collection) means unanswered.
Answer = int | bool | frozenset[int] | Mapping[int, int] | None


class Grading(StrEnum):
    HIGHEST = "highest"
    AVERAGE = "average"
    FIRST = "first"
    LAST = "last"


class Problem(StrEnum):
    """Why a question cannot be answered correctly."""

    NO_CORRECT_CHOICE = "no correct choice"
    MORE_THAN_ONE_CORRECT = "more than one correct choice"
    TOO_FEW_CHOICES = "fewer than two choices"
    NO_FULL_MARKS = "no answer earns full marks with these weights"
    NO_ANSWER = "no answer given (true or false)"
    TOO_FEW_PAIRS = "fewer than two pairs"
    TOO_FEW_ITEMS = "fewer than two items"


# Moodle's tolerance (question_state::graded_state_for_fraction): a fraction above 0.999999
# is right and one below 0.000001 wrong, so that three answers weighted 33.33333 % (summing to
# 0.9999999) still make full marks.
MOODLE_RIGHT_ABOVE = Fraction(999_999, 1_000_000)
MOODLE_WRONG_BELOW = Fraction(1, 1_000_000)


def moodle_rounded(value: Fraction) -> Fraction:
    """`value` within [0, 1], with Moodle's tolerance at both ends."""
    if value > MOODLE_RIGHT_ABOVE:
        return Fraction(1)
    if value < MOODLE_WRONG_BELOW:
        return Fraction(0)
    return value


def weights_problems(weights: Sequence[Fraction], *, single: bool) -> list[Problem]:
    """Grading by weights: two choices at least, and full marks within reach — one choice
    worth all the marks (single), or positive weights that add up to them (multiple)."""
    problems = [Problem.TOO_FEW_CHOICES] if len(weights) < 2 else []
    best = max(weights, default=Fraction(0)) if single else sum(w for w in weights if w > 0)
    if moodle_rounded(min(Fraction(best), Fraction(1))) < 1:
        problems.append(Problem.NO_FULL_MARKS)
    return problems


def is_answered(answer: Answer) -> bool:
    """False for None and for an empty set or mapping; `False` itself is an answer."""
    if answer is None:
        return False
    if type(answer) is int or type(answer) is bool:  # a choice, an ordering position; quickly
        return True
    if isinstance(answer, frozenset | set | Mapping):
        return len(answer) > 0
    return True


def _id(value: Any) -> int | None:
    """A stored or given id; booleans are not ids (True == 1 in Python)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _mapping_from_json(value: Any) -> Mapping[int, int] | None:
    if not isinstance(value, dict):
        return None
    result = {}
    for k, v in value.items():
        try:
            result[int(k)] = int(v)
        except (TypeError, ValueError):
            continue
    return result


def _mapping_to_json(answer: Answer) -> dict[str, int] | None:
    if not isinstance(answer, Mapping):
        return None
    return {str(k): v for k, v in sorted(answer.items())}


@dataclass(frozen=True, kw_only=True)
class QuestionKey:
    """What counts as right for one question (`id`), and what it is worth (`marks`).

    Subclasses, one per scoring rule, implement `fraction` and the JSON form of answers.
    Anything malformed in a stored answer reads as unanswered: answers are validated when
    saved.
    """

    id: int
    marks: int = 1

    def fraction(self, answer: Answer) -> Fraction:
        """The share of the marks earned, in [0, 1]; unanswered earns 0."""
        raise NotImplementedError

    @staticmethod
    def answer_from_json(value: Any) -> Answer:
        raise NotImplementedError

    @staticmethod
    def answer_to_json(answer: Answer) -> Any:
        raise NotImplementedError


def choice_problems(correct_flags: Sequence[bool], *, single: bool) -> list[Problem]:
    """Two choices at least; one right (exactly one for a single-choice question)."""
    problems = []
    right = sum(1 for flag in correct_flags if flag)
    if len(correct_flags) < 2:
        problems.append(Problem.TOO_FEW_CHOICES)
    if right == 0:
        problems.append(Problem.NO_CORRECT_CHOICE)
    elif single and right > 1:
        problems.append(Problem.MORE_THAN_ONE_CORRECT)
    return problems


@dataclass(frozen=True, kw_only=True)
class SingleChoiceKey(QuestionKey):
    """Single choice: 1 for the right choice, else 0.

    Graded by `weights` (choice id → share of the marks, Moodle's answer grades) instead,
    the chosen choice's weight within [0, 1] (Moodle's tolerance applied): partial credit,
    and a negative weight earns nothing (a question's fraction is never below 0 here).
    """

    correct: frozenset[int] = frozenset()
    weights: Mapping[int, Fraction] | None = None

    def fraction(self, answer: Answer) -> Fraction:
        chosen = _id(answer)
        if chosen is None:
            return Fraction(0)
        if self.weights is not None:
            return moodle_rounded(min(self.weights.get(chosen, Fraction(0)), Fraction(1)))
        return Fraction(int(chosen in self.correct))

    @staticmethod
    def problems(
        correct_flags: Sequence[bool], weights: Sequence[Fraction] | None = None
    ) -> list[Problem]:
        if weights is not None:
            return weights_problems(weights, single=True)
        return choice_problems(correct_flags, single=True)

    @staticmethod
    def answer_from_json(value: Any) -> Answer:
        return _id(value)

    @staticmethod
    def answer_to_json(answer: Answer) -> Any:
        return _id(answer)


@dataclass(frozen=True, kw_only=True)
class MultipleResponseKey(QuestionKey):
    """Multiple response: max(0, (right chosen − wrong chosen) ÷ right total), or 1 only for
    exactly the right set when `all_or_nothing`.

    Graded by `weights` (choice id → share of the marks, negative allowed) instead, as Moodle
    grades multiple-answer questions: the sum of the chosen choices' weights, within [0, 1],
    Moodle's tolerance applied.
    """

    correct: frozenset[int] = frozenset()
    all_or_nothing: bool = False
    weights: Mapping[int, Fraction] | None = None

    def fraction(self, answer: Answer) -> Fraction:
        if not isinstance(answer, frozenset | set):
            return Fraction(0)
        chosen = frozenset(answer)
        if self.weights is not None:
            total = sum((self.weights.get(c, Fraction(0)) for c in chosen), Fraction(0))
            return moodle_rounded(max(Fraction(0), min(total, Fraction(1))))
        if not self.correct:
            return Fraction(0)
        if self.all_or_nothing:
            return Fraction(int(chosen == self.correct))
        right = len(chosen & self.correct)
        wrong = len(chosen - self.correct)
        return max(Fraction(0), Fraction(right - wrong, len(self.correct)))

    @staticmethod
    def problems(
        correct_flags: Sequence[bool], weights: Sequence[Fraction] | None = None
    ) -> list[Problem]:
        if weights is not None:
            return weights_problems(weights, single=False)
        return choice_problems(correct_flags, single=False)

    @staticmethod
    def answer_from_json(value: Any) -> Answer:
        if not isinstance(value, list):
            return None
        return frozenset(v for v in value if _id(v) is not None)

    @staticmethod
    def answer_to_json(answer: Answer) -> Any:
        if not isinstance(answer, frozenset | set):
            return None
        return sorted(answer)


@dataclass(frozen=True, kw_only=True)
class TrueFalseKey(QuestionKey):
    """True or false: 1 for the right one, else 0 (1 is not taken for true)."""

    answer: bool | None = None

    def fraction(self, answer: Answer) -> Fraction:
        return Fraction(int(isinstance(answer, bool) and answer is self.answer))

    @staticmethod
    def problems(answer: bool | None) -> list[Problem]:
        return [Problem.NO_ANSWER] if answer is None else []

    @staticmethod
    def answer_from_json(value: Any) -> Answer:
        return value if isinstance(value, bool) else None

    @staticmethod
    def answer_to_json(answer: Answer) -> Any:
        return answer if isinstance(answer, bool) else None


@dataclass(frozen=True, kw_only=True)
class MatchingKey(QuestionKey):
    """Matching: correct pairs ÷ pairs. `matches` maps each prompt id to the option ids
    accepted for it (more than one when two pairs share the same answer text)."""

    matches: Mapping[int, frozenset[int]] = field(default_factory=dict)

    def fraction(self, answer: Answer) -> Fraction:
        if not self.matches or not isinstance(answer, Mapping):
            return Fraction(0)
        right = sum(1 for prompt, ok in self.matches.items() if answer.get(prompt) in ok)
        return Fraction(right, len(self.matches))

    @staticmethod
    def problems(pairs: int) -> list[Problem]:
        return [Problem.TOO_FEW_PAIRS] if pairs < 2 else []

    answer_from_json = staticmethod(_mapping_from_json)
    answer_to_json = staticmethod(_mapping_to_json)


# --- ordering: Moodle's grading types ----------------------------------------------------------
#
# Each rule takes the correct order (item ids) and the learner's order: one slot per position,
# holding the item given that position, or None when no item or several items were given it
# (Moodle's drag and drop always yields a full order; a hole here earns nothing).
Order = Sequence[int]
Slots = Sequence[int | None]


def _items_at_their_position(correct: Order, given: Slots) -> int:
    return sum(1 for at, item in enumerate(correct) if at < len(given) and given[at] == item)


def order_absolute_position(correct: Order, given: Slots) -> Fraction:
    """Items in their correct position ÷ items."""
    return Fraction(_items_at_their_position(correct, given), len(correct))


def order_all_or_nothing(correct: Order, given: Slots) -> Fraction:
    """1 when every item is in its correct position, else 0."""
    return Fraction(int(_items_at_their_position(correct, given) == len(correct)))


_END: Any = object()  # stands for the edge of the list: before the first item, after the last


def _followers(order: Slots, *, include_last: bool) -> dict:
    """Each item → the slot after it (`_END` after the last one, when it is counted)."""
    followers = {}
    for at, item in enumerate(order):
        if item is None:
            continue
        if at + 1 < len(order):
            followers[item] = order[at + 1]
        elif include_last:
            followers[item] = _END
    return followers


def _relative_next(correct: Order, given: Slots, *, include_last: bool) -> Fraction:
    expected = _followers(correct, include_last=include_last)
    actual = _followers(given, include_last=include_last)
    right = sum(1 for item, after in expected.items() if item in actual and actual[item] == after)
    return Fraction(right, len(expected)) if expected else Fraction(0)


def order_relative_next_exclude_last(correct: Order, given: Slots) -> Fraction:
    """Items followed by the item that follows them in the correct order ÷ (items − 1); the
    last item is not checked. Moodle's default."""
    return _relative_next(correct, given, include_last=False)


def order_relative_next_include_last(correct: Order, given: Slots) -> Fraction:
    """As the previous rule, and the last item counts too: it must have nothing after it."""
    return _relative_next(correct, given, include_last=True)


def _neighbours(order: Slots, *, every: bool) -> dict:
    """Each item → (items before it, items after it): all of them (`every`), or only the next
    one on each side, `_END` standing for the edge of the list."""
    found = {}
    for at, item in enumerate(order):
        if item is None:
            continue
        before, after = list(order[:at]), list(order[at + 1 :])
        if not every:
            before = [before[-1] if before else _END]
            after = [after[0] if after else _END]
        found[item] = (before, after)
    return found


def _relative_neighbours(correct: Order, given: Slots, *, every: bool) -> Fraction:
    expected = _neighbours(correct, every=every)
    actual = _neighbours(given, every=every)
    right = total = 0
    for item, (before, after) in expected.items():
        total += len(before) + len(after)
        if item in actual:
            given_before, given_after = actual[item]
            right += sum(1 for other in before if other is not None and other in given_before)
            right += sum(1 for other in after if other is not None and other in given_after)
    return Fraction(right, total) if total else Fraction(0)


def order_relative_one_previous_and_next(correct: Order, given: Slots) -> Fraction:
    """For each item, its neighbour before and its neighbour after (or the edge of the list)
    are checked: right neighbours ÷ (2 × items)."""
    return _relative_neighbours(correct, given, every=False)


def order_relative_all_previous_and_next(correct: Order, given: Slots) -> Fraction:
    """For each item, every item before it and after it is checked: pairs the right way
    round ÷ items × (items − 1)."""
    return _relative_neighbours(correct, given, every=True)


def _ordered_runs(ranks: Sequence[int], *, contiguous: bool) -> list[list[int]]:
    """The candidate ordered subsets of `ranks` (each slot's correct position, in the
    learner's order) that Moodle's qtype_ordering considers: a rank one more than a run's
    last extends that run; a greater one (unless `contiguous`) extends it too, the run as it
    was being kept, since a rank in between may come later; a rank nothing takes starts a
    run. Subsets are lists of slot indexes."""
    runs: list[list[int]] = []
    for at, rank in enumerate(ranks):
        started = True
        kept: list[list[int]] = []
        for run in runs:
            end = ranks[run[-1]]
            if rank == end + 1:
                started = False
                run.append(at)
            elif not contiguous and rank > end:
                started = False
                kept.append(run[:])
                run.append(at)
        if started:
            kept.append([at])
        runs += kept
    return runs


def _longest_subset(correct: Order, given: Slots, *, contiguous: bool) -> Fraction:
    position = {item: at for at, item in enumerate(correct)}
    ranks = [position[item] for item in given if item is not None and item in position]
    best = max((len(run) for run in _ordered_runs(ranks, contiguous=contiguous)), default=0)
    # A single item is not an ordered subset.
    return Fraction(best if best > 1 else 0, len(correct))


def order_longest_ordered_subset(correct: Order, given: Slots) -> Fraction:
    """The longest set of items given in the right order relative to one another (others may
    come between them) ÷ items; one item alone counts for nothing."""
    return _longest_subset(correct, given, contiguous=False)


def order_longest_contiguous_subset(correct: Order, given: Slots) -> Fraction:
    """The longest run of items that follow one another in the correct order, each the very
    next one, ÷ items; one item alone counts for nothing."""
    return _longest_subset(correct, given, contiguous=True)


def order_relative_to_correct(correct: Order, given: Slots) -> Fraction:
    """Each item earns (items − 1) minus its distance from its correct position (never below
    0), out of (items − 1) each."""
    most = len(correct) - 1
    if most <= 0:
        return Fraction(0)
    where = {item: at for at, item in enumerate(given) if item is not None}
    earned = sum(
        max(0, most - abs(at - where[item])) for at, item in enumerate(correct) if item in where
    )
    return Fraction(earned, most * len(correct))


class OrderingGrading(StrEnum):
    """Moodle's nine grading types for ordering questions; the first is Tadrib's usual rule."""

    ABSOLUTE_POSITION = "absolute_position"
    RELATIVE_NEXT_EXCLUDE_LAST = "relative_next_exclude_last"
    RELATIVE_NEXT_INCLUDE_LAST = "relative_next_include_last"
    RELATIVE_ONE_PREVIOUS_AND_NEXT = "relative_one_previous_and_next"
    RELATIVE_ALL_PREVIOUS_AND_NEXT = "relative_all_previous_and_next"
    LONGEST_ORDERED_SUBSET = "longest_ordered_subset"
    LONGEST_CONTIGUOUS_SUBSET = "longest_contiguous_subset"
    RELATIVE_TO_CORRECT = "relative_to_correct"
    ALL_OR_NOTHING = "all_or_nothing"


ORDERING_RULES: Mapping[str, Any] = {
    OrderingGrading.ABSOLUTE_POSITION: order_absolute_position,
    OrderingGrading.RELATIVE_NEXT_EXCLUDE_LAST: order_relative_next_exclude_last,
    OrderingGrading.RELATIVE_NEXT_INCLUDE_LAST: order_relative_next_include_last,
    OrderingGrading.RELATIVE_ONE_PREVIOUS_AND_NEXT: order_relative_one_previous_and_next,
    OrderingGrading.RELATIVE_ALL_PREVIOUS_AND_NEXT: order_relative_all_previous_and_next,
    OrderingGrading.LONGEST_ORDERED_SUBSET: order_longest_ordered_subset,
    OrderingGrading.LONGEST_CONTIGUOUS_SUBSET: order_longest_contiguous_subset,
    OrderingGrading.RELATIVE_TO_CORRECT: order_relative_to_correct,
    OrderingGrading.ALL_OR_NOTHING: order_all_or_nothing,
}


def order_slots(answer: Mapping[int, int], count: int) -> list[int | None]:
    """The learner's order from {item id: position from 1}: slot n holds the item given
    position n + 1, None where no item or several were given it."""
    claims: dict[int, list[int]] = {}
    for item, at in answer.items():
        claims.setdefault(at, []).append(item)
    return [claims[at][0] if len(claims.get(at, ())) == 1 else None for at in range(1, count + 1)]


@dataclass(frozen=True, kw_only=True)
class OrderingKey(QuestionKey):
    """Ordering: items in their correct position ÷ items, or another of Moodle's grading
    types (`grading`, see ORDERING_RULES). `positions` maps each item id to its correct
    position, counted from 1."""

    positions: Mapping[int, int] = field(default_factory=dict)
    grading: str = OrderingGrading.ABSOLUTE_POSITION

    def fraction(self, answer: Answer) -> Fraction:
        if not self.positions or not isinstance(answer, Mapping):
            return Fraction(0)
        if self.grading == OrderingGrading.ABSOLUTE_POSITION:
            # Each item judged by the position it was given, even one shared with another.
            right = sum(1 for item, at in self.positions.items() if answer.get(item) == at)
            return Fraction(right, len(self.positions))
        correct = sorted(self.positions, key=self.positions.__getitem__)
        given = order_slots(
            {item: at for item, at in answer.items() if item in self.positions}, len(correct)
        )
        return ORDERING_RULES[self.grading](correct, given)

    @staticmethod
    def problems(items: int) -> list[Problem]:
        return [Problem.TOO_FEW_ITEMS] if items < 2 else []

    answer_from_json = staticmethod(_mapping_from_json)
    answer_to_json = staticmethod(_mapping_to_json)


def question_fraction(key: QuestionKey, answer: Answer) -> Fraction:
    """The share of the question's marks earned, in [0, 1]. Unanswered earns 0."""
    if answer is None:
        return Fraction(0)
    return key.fraction(answer)


def round_percent(value: Fraction) -> Decimal:
    """`value` (a percentage) rounded half up to two decimals, exactly."""
    cents = value * 100
    # floor(x + 1/2) on the exact rational: half up for the non-negative values used here.
    rounded = (cents.numerator * 2 + cents.denominator) // (cents.denominator * 2)
    return (Decimal(rounded) / 100).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class AttemptScore:
    score: Decimal  # percent, two decimals
    passed: bool
    fractions: Mapping[int, Fraction]  # question id → fraction


def attempt_score(
    keys: Sequence[QuestionKey], answers: Mapping[int, Answer], *, pass_mark: int | Decimal
) -> AttemptScore:
    """Σ fraction×marks ÷ Σ marks × 100, rounded half up to 2 decimals; passed at ≥ pass mark.

    An attempt with no marks at all scores 0.
    """
    fractions = {key.id: question_fraction(key, answers.get(key.id)) for key in keys}
    total = sum(key.marks for key in keys)
    earned = sum((fractions[key.id] * key.marks for key in keys), Fraction(0))
    score = round_percent(earned / total * 100) if total else Decimal("0.00")
    return AttemptScore(score=score, passed=score >= Decimal(pass_mark), fractions=fractions)


def grade(scores: Sequence[Decimal], grading: Grading | str) -> Decimal | None:
    """The grade that counts across submitted attempts, given in attempt order.

    None when there is no submitted attempt. The average is rounded half up to 2 decimals.
    """
    if not scores:
        return None
    grading = Grading(grading)
    if grading is Grading.HIGHEST:
        return max(scores)
    if grading is Grading.FIRST:
        return scores[0]
    if grading is Grading.LAST:
        return scores[-1]
    return round_percent(sum((Fraction(s) for s in scores), Fraction(0)) / len(scores))


def counted_language(attempts: Sequence[tuple[Decimal, str]], grading: Grading | str) -> str:
    """The study language of a quiz result: the language of the attempt whose score is the
    grade that counts — the first attempt with the highest score, the first, or the last. For
    the average, which no single attempt carries, the language of most attempts (the latest
    among equals). `attempts` are (score, language) in attempt order; "" when there are none.
    """
    if not attempts:
        return ""
    grading = Grading(grading)
    if grading is Grading.HIGHEST:
        best = max(score for score, _language in attempts)
        return next(language for score, language in attempts if score == best)
    if grading is Grading.FIRST:
        return attempts[0][1]
    if grading is Grading.LAST:
        return attempts[-1][1]
    counts: dict[str, int] = {}
    for _score, language in attempts:
        counts[language] = counts.get(language, 0) + 1
    most = max(counts.values())
    return next(language for _s, language in reversed(attempts) if counts[language] == most)


def attempts_left(*, allowed: int, used: int) -> int | None:
    """Attempts the learner may still start; None when unlimited (allowed = 0)."""
    if allowed == 0:
        return None
    return max(0, allowed - used)


@dataclass(frozen=True)
class AttemptOutcome:
    score: Decimal
    passed: bool  # as recorded when the attempt was submitted


@dataclass(frozen=True)
class QuizStanding:
    grade: Decimal | None  # the grade that counts; None before any submitted attempt
    passed: bool  # the grade reaches the pass mark
    complete: bool  # the activity is complete for the course


def quiz_standing(
    outcomes: Sequence[AttemptOutcome],
    *,
    grading: Grading | str,
    pass_mark: int | Decimal,
    attempts_allowed: int,
    complete_when_attempts_exhausted: bool,
) -> QuizStanding:
    """A learner's standing on a quiz from their submitted attempts, in attempt order.

    The quiz is complete once it is passed — the grade that counts reaches the pass mark, or
    any attempt passed when it was submitted — or, when the quiz says so, once every attempt
    allowed is used (never with unlimited attempts).
    """
    counted = grade([o.score for o in outcomes], grading)
    passed = counted is not None and counted >= Decimal(pass_mark)
    exhausted = (
        complete_when_attempts_exhausted
        and attempts_allowed > 0
        and len(outcomes) >= attempts_allowed
    )
    complete = passed or any(o.passed for o in outcomes) or exhausted
    return QuizStanding(grade=counted, passed=passed, complete=complete)
