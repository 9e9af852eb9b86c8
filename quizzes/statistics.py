"""Item statistics for trainers: pure functions over response rows, no ORM.

- facility index: the mean fraction earned on a question (1 = everyone right);
- discrimination index: the Pearson correlation, across attempts, between the fraction earned
  on the question and the score on the rest of the quiz (point-biserial for right/wrong
  questions). Near 0 or negative, the question does not separate stronger from weaker learners
  — in one language only, it is often a translation problem.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from math import sqrt
from typing import NamedTuple

ALL_LANGUAGES = ""


class ResponseRow(NamedTuple):
    attempt: int
    language: str
    question: int
    fraction: Decimal
    marks: int


@dataclass(frozen=True)
class QuestionStatistics:
    responses: int
    facility: float | None
    discrimination: float | None


@dataclass(frozen=True)
class ItemStatistics:
    attempts: int
    mean_score: Decimal | None
    # question id → {language ("" for all): statistics}
    questions: dict[int, dict[str, QuestionStatistics]]


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """The correlation of two equally long series; None when undefined (n < 2, no spread)."""
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / sqrt(sxx * syy)


def item_statistics(rows: Iterable[ResponseRow]) -> ItemStatistics:
    rows = list(rows)
    earned: dict[int, float] = defaultdict(float)
    total: dict[int, int] = defaultdict(int)
    for row in rows:
        earned[row.attempt] += float(row.fraction) * row.marks
        total[row.attempt] += row.marks
    scores = [earned[a] / total[a] * 100 for a in total if total[a]]
    mean = Decimal(str(round(sum(scores) / len(scores), 2))) if scores else None

    groups: dict[tuple[int, str], list[ResponseRow]] = defaultdict(list)
    for row in rows:
        groups[(row.question, ALL_LANGUAGES)].append(row)
        groups[(row.question, row.language)].append(row)
    questions: dict[int, dict[str, QuestionStatistics]] = defaultdict(dict)
    for (question, language), group in groups.items():
        fractions = [float(r.fraction) for r in group]
        pairs = [
            (float(r.fraction), (earned[r.attempt] - float(r.fraction) * r.marks) / rest_marks)
            for r in group
            if (rest_marks := total[r.attempt] - r.marks) > 0
        ]
        questions[question][language] = QuestionStatistics(
            responses=len(group),
            facility=sum(fractions) / len(fractions),
            discrimination=pearson([p[0] for p in pairs], [p[1] for p in pairs]),
        )
    return ItemStatistics(attempts=len(total), mean_score=mean, questions=dict(questions))
