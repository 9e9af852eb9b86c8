"""Quiz scoring rules (DESIGN.md, "Quiz scoring"): pure data in, numbers out.

No ORM and no Django here. Services turn questions and responses into `QuestionKey` and
answers, call these functions and save the result. Fractions are kept exact (`Fraction`) until
the attempt score is rounded, half up, to two decimals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

TWO_PLACES = Decimal("0.01")


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    MATCHING = "matching"
    ORDERING = "ordering"


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
    NO_ANSWER = "no answer given (true or false)"
    TOO_FEW_PAIRS = "fewer than two pairs"
    TOO_FEW_ITEMS = "fewer than two items"
    NO_MARKS = "marks must be at least 1"


@dataclass(frozen=True)
class QuestionKey:
    """What counts as right for one question, and what it is worth.

    - single, multiple: `choices` are all choice ids, `correct` the right ones;
    - true_false: `answer`;
    - matching: `matches` maps each prompt id to the option ids accepted for it (more than one
      when two pairs share the same answer text);
    - ordering: `positions` maps each item id to its correct position, counted from 1.
    """

    id: int
    type: QuestionType
    marks: int = 1
    choices: frozenset[int] = frozenset()
    correct: frozenset[int] = frozenset()
    all_or_nothing: bool = False
    answer: bool | None = None
    matches: Mapping[int, frozenset[int]] = field(default_factory=dict)
    positions: Mapping[int, int] = field(default_factory=dict)


# A learner's answer, by type: single → choice id; multiple → frozenset of choice ids;
# true_false → bool; matching → {prompt id: option id}; ordering → {item id: position}.
# None (or an empty collection) means unanswered.
Answer = int | bool | frozenset[int] | Mapping[int, int] | None


def question_fraction(key: QuestionKey, answer: Answer) -> Fraction:
    """The share of the question's marks earned, in [0, 1]. Unanswered earns 0."""
    if answer is None:
        return Fraction(0)
    if key.type is QuestionType.SINGLE:
        return Fraction(int(answer in key.correct)) if isinstance(answer, int) else Fraction(0)
    if key.type is QuestionType.TRUE_FALSE:
        return Fraction(int(isinstance(answer, bool) and answer is key.answer))
    if key.type is QuestionType.MULTIPLE:
        chosen = frozenset(answer) if isinstance(answer, frozenset | set) else frozenset()
        if not key.correct:
            return Fraction(0)
        if key.all_or_nothing:
            return Fraction(int(chosen == key.correct))
        right = len(chosen & key.correct)
        wrong = len(chosen - key.correct)
        return max(Fraction(0), Fraction(right - wrong, len(key.correct)))
    if key.type is QuestionType.MATCHING:
        if not key.matches or not isinstance(answer, Mapping):
            return Fraction(0)
        right = sum(1 for prompt, accepted in key.matches.items() if answer.get(prompt) in accepted)
        return Fraction(right, len(key.matches))
    if key.type is QuestionType.ORDERING:
        if not key.positions or not isinstance(answer, Mapping):
            return Fraction(0)
        right = sum(1 for item, position in key.positions.items() if answer.get(item) == position)
        return Fraction(right, len(key.positions))
    raise ValueError(f"unknown question type {key.type!r}")


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


def attempts_left(*, allowed: int, used: int) -> int | None:
    """Attempts the learner may still start; None when unlimited (allowed = 0)."""
    if allowed == 0:
        return None
    return max(0, allowed - used)


def question_problems(
    *,
    type: QuestionType | str,
    marks: int = 1,
    correct_flags: Sequence[bool] = (),
    answer: bool | None = None,
    pairs: int = 0,
    items: int = 0,
) -> list[Problem]:
    """Why a question could not be answered correctly; empty when it can."""
    type = QuestionType(type)
    problems = []
    if marks < 1:
        problems.append(Problem.NO_MARKS)
    if type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        right = sum(1 for flag in correct_flags if flag)
        if len(correct_flags) < 2:
            problems.append(Problem.TOO_FEW_CHOICES)
        if right == 0:
            problems.append(Problem.NO_CORRECT_CHOICE)
        elif type is QuestionType.SINGLE and right > 1:
            problems.append(Problem.MORE_THAN_ONE_CORRECT)
    elif type is QuestionType.TRUE_FALSE and answer is None:
        problems.append(Problem.NO_ANSWER)
    elif type is QuestionType.MATCHING and pairs < 2:
        problems.append(Problem.TOO_FEW_PAIRS)
    elif type is QuestionType.ORDERING and items < 2:
        problems.append(Problem.TOO_FEW_ITEMS)
    return problems


def answer_from_json(type: QuestionType | str, value) -> Answer:
    """A stored answer (JSON) as the typed answer `question_fraction` expects.

    Anything malformed reads as unanswered: stored answers were validated when saved.
    """
    type = QuestionType(type)
    if value is None:
        return None
    if type is QuestionType.SINGLE:
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if type is QuestionType.TRUE_FALSE:
        return value if isinstance(value, bool) else None
    if type is QuestionType.MULTIPLE:
        if not isinstance(value, list):
            return None
        return frozenset(v for v in value if isinstance(v, int) and not isinstance(v, bool))
    if not isinstance(value, dict):
        return None
    result = {}
    for k, v in value.items():
        try:
            result[int(k)] = int(v)
        except (TypeError, ValueError):
            continue
    return result


def answer_to_json(type: QuestionType | str, answer: Answer):
    """The JSON form of a typed answer (the inverse of `answer_from_json`)."""
    type = QuestionType(type)
    if answer is None:
        return None
    if type is QuestionType.MULTIPLE and isinstance(answer, frozenset | set):
        return sorted(answer)
    if type in (QuestionType.MATCHING, QuestionType.ORDERING) and isinstance(answer, Mapping):
        return {str(k): v for k, v in sorted(answer.items())}
    return answer
