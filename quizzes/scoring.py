"""Quiz rules (DESIGN.md, "Quiz scoring"; docs/quizzes.md): pure data in, numbers out.

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
    NO_ANSWER = "no answer given (true or false)"
    TOO_FEW_PAIRS = "fewer than two pairs"
    TOO_FEW_ITEMS = "fewer than two items"


def is_answered(answer: Answer) -> bool:
    """False for None and for an empty set or mapping; `False` itself is an answer."""
    if answer is None:
        return False
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
    """Single choice: 1 for the right choice, else 0."""

    correct: frozenset[int] = frozenset()

    def fraction(self, answer: Answer) -> Fraction:
        return Fraction(int(_id(answer) is not None and answer in self.correct))

    @staticmethod
    def problems(correct_flags: Sequence[bool]) -> list[Problem]:
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
    exactly the right set when `all_or_nothing`."""

    correct: frozenset[int] = frozenset()
    all_or_nothing: bool = False

    def fraction(self, answer: Answer) -> Fraction:
        if not self.correct or not isinstance(answer, frozenset | set):
            return Fraction(0)
        chosen = frozenset(answer)
        if self.all_or_nothing:
            return Fraction(int(chosen == self.correct))
        right = len(chosen & self.correct)
        wrong = len(chosen - self.correct)
        return max(Fraction(0), Fraction(right - wrong, len(self.correct)))

    @staticmethod
    def problems(correct_flags: Sequence[bool]) -> list[Problem]:
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


@dataclass(frozen=True, kw_only=True)
class OrderingKey(QuestionKey):
    """Ordering: items in their correct position ÷ items. `positions` maps each item id to
    its correct position, counted from 1."""

    positions: Mapping[int, int] = field(default_factory=dict)

    def fraction(self, answer: Answer) -> Fraction:
        if not self.positions or not isinstance(answer, Mapping):
            return Fraction(0)
        right = sum(1 for item, at in self.positions.items() if answer.get(item) == at)
        return Fraction(right, len(self.positions))

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
