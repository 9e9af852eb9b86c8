"""Moodle's grading rules as pure functions (quizzes/scoring.py), against worked examples.

No database. Each ordering example is worked by hand from the definition Moodle documents
for its grading type (qtype_ordering's help), for the correct order A B C D E (ids 1–5).
"""

from fractions import Fraction as F

import pytest

from quizzes.scoring import (
    ORDERING_RULES,
    MultipleResponseKey,
    OrderingGrading,
    OrderingKey,
    Problem,
    SingleChoiceKey,
    moodle_rounded,
    order_slots,
    weights_problems,
)

THIRD = F("0.3333333")


class TestChoiceWeights:
    def test_three_thirds_sum_to_0_9999999_and_still_earn_full_marks(self):
        key = MultipleResponseKey(id=1, weights={1: THIRD, 2: THIRD, 3: THIRD, 4: F(-1)})
        assert sum([THIRD] * 3) == F("0.9999999")
        assert key.fraction(frozenset({1, 2, 3})) == 1

    def test_tolerance_is_strictly_above_0_999999(self):
        assert moodle_rounded(F("0.9999991")) == 1
        assert moodle_rounded(F("0.999999")) == F("0.999999")
        assert moodle_rounded(F("0.0000009")) == 0
        assert moodle_rounded(F("0.000001")) == F("0.000001")

    def test_a_negative_weight_takes_marks_away_but_never_below_zero(self):
        key = MultipleResponseKey(id=1, weights={1: F(1, 2), 2: F(1, 2), 3: F(-1, 2), 4: F(-1)})
        assert key.fraction(frozenset({1})) == F(1, 2)
        assert key.fraction(frozenset({1, 2, 3})) == F(1, 2)
        assert key.fraction(frozenset({1, 3})) == 0
        assert key.fraction(frozenset({1, 4})) == 0
        assert key.fraction(frozenset({1, 2})) == 1

    def test_weights_above_full_marks_are_clamped(self):
        key = MultipleResponseKey(id=1, weights={1: F(1), 2: F(1, 2), 3: F(0)})
        assert key.fraction(frozenset({1, 2})) == 1

    def test_fractional_weights_give_partial_credit(self):
        key = MultipleResponseKey(id=1, weights={1: F("0.25"), 2: F("0.75"), 3: F("-0.1")})
        assert key.fraction(frozenset({2, 3})) == F("0.65")

    def test_single_choice_earns_the_weight_of_the_chosen_answer(self):
        key = SingleChoiceKey(
            id=1, correct=frozenset({1}), weights={1: F(1), 2: F(1, 2), 3: F(-1, 4)}
        )
        assert key.fraction(1) == 1
        assert key.fraction(2) == F(1, 2)
        assert key.fraction(3) == 0  # Moodle would subtract; a fraction here is never below 0
        assert key.fraction(None) == 0

    def test_without_weights_the_usual_rules_hold(self):
        assert SingleChoiceKey(id=1, correct=frozenset({1})).fraction(2) == 0
        key = MultipleResponseKey(id=1, correct=frozenset({1, 2}))
        assert key.fraction(frozenset({1, 3})) == 0
        assert key.fraction(frozenset({1})) == F(1, 2)

    def test_weights_must_make_full_marks_reachable(self):
        assert weights_problems([F(1, 2), F(1, 2)], single=True) == [Problem.NO_FULL_MARKS]
        assert weights_problems([F(1, 2), F(1, 2)], single=False) == []
        assert weights_problems([THIRD, THIRD, THIRD, F(-1)], single=False) == []
        assert weights_problems([F(1)], single=True) == [Problem.TOO_FEW_CHOICES]
        assert SingleChoiceKey.problems([True, True], [F(1), F(1)]) == []


CORRECT = [1, 2, 3, 4, 5]
# (learner's order, expected fraction per grading type)
EXAMPLES = {
    OrderingGrading.ABSOLUTE_POSITION: [
        ([1, 2, 3, 4, 5], F(1)),
        ([2, 1, 3, 5, 4], F(1, 5)),  # only C in place
        ([5, 4, 3, 2, 1], F(1, 5)),
    ],
    OrderingGrading.ALL_OR_NOTHING: [([1, 2, 3, 4, 5], F(1)), ([1, 2, 3, 5, 4], F(0))],
    # Pairs A→B, B→C, C→D, D→E (4); the last item is not checked.
    OrderingGrading.RELATIVE_NEXT_EXCLUDE_LAST: [
        ([1, 2, 3, 4, 5], F(1)),
        ([1, 2, 3, 5, 4], F(2, 4)),  # A→B, B→C
        ([5, 1, 2, 3, 4], F(3, 4)),  # A→B, B→C, C→D
        ([5, 4, 3, 2, 1], F(0)),
    ],
    # Also E→end (5).
    OrderingGrading.RELATIVE_NEXT_INCLUDE_LAST: [
        ([1, 2, 3, 4, 5], F(1)),
        ([1, 2, 3, 5, 4], F(2, 5)),
        ([5, 1, 2, 3, 4], F(3, 5)),
    ],
    # Each item's neighbour before and after (the list's edge counts): 2 × 5 = 10 checks.
    OrderingGrading.RELATIVE_ONE_PREVIOUS_AND_NEXT: [
        ([1, 2, 3, 4, 5], F(1)),
        ([1, 2, 3, 5, 4], F(5, 10)),  # worked in full below
    ],
    # Every other item before and after: 5 × 4 = 20 checks, 2 per pair the right way round.
    OrderingGrading.RELATIVE_ALL_PREVIOUS_AND_NEXT: [
        ([1, 2, 3, 4, 5], F(1)),
        ([1, 2, 3, 5, 4], F(18, 20)),  # one pair of ten inverted
        ([5, 4, 3, 2, 1], F(0)),
    ],
    OrderingGrading.LONGEST_ORDERED_SUBSET: [
        ([1, 2, 3, 4, 5], F(1)),
        ([2, 1, 3, 5, 4], F(3, 5)),  # e.g. B C E
        ([5, 4, 3, 2, 1], F(0)),  # a single item is not an ordered subset
        ([3, 1, 4, 2, 5], F(3, 5)),  # A B E, or C D E
    ],
    OrderingGrading.LONGEST_CONTIGUOUS_SUBSET: [
        ([1, 2, 3, 4, 5], F(1)),
        ([3, 4, 5, 1, 2], F(3, 5)),  # C D E
        ([1, 3, 5, 2, 4], F(2, 5)),  # A then B, each the very next one
        ([5, 4, 3, 2, 1], F(0)),
    ],
    # Each item earns 4 − its distance from its place, out of 4: total out of 20.
    OrderingGrading.RELATIVE_TO_CORRECT: [
        ([1, 2, 3, 4, 5], F(1)),
        ([2, 1, 3, 4, 5], F(18, 20)),
        ([5, 4, 3, 2, 1], F(8, 20)),  # 0 + 2 + 4 + 2 + 0
    ],
}


@pytest.mark.parametrize(
    ("grading", "given", "expected"),
    [(g, given, expected) for g, cases in EXAMPLES.items() for given, expected in cases],
)
def test_ordering_grading_types_against_worked_examples(grading, given, expected):
    assert ORDERING_RULES[grading](CORRECT, given) == expected


def test_every_grading_type_has_a_rule_and_examples():
    assert set(ORDERING_RULES) == set(OrderingGrading) == set(EXAMPLES)


def test_one_previous_and_next_worked_in_full():
    # Given A B C E D. A: before edge ✓, after B ✓. B: A ✓, C ✓. C: B ✓, after E ✗ (D).
    # D: before E ✗ (C), after edge ✗ (E). E: before C ✗ (D), after D ✗ (edge). 5 of 10.
    rule = ORDERING_RULES[OrderingGrading.RELATIVE_ONE_PREVIOUS_AND_NEXT]
    assert rule(CORRECT, [1, 2, 3, 5, 4]) == F(5, 10)


def _answer(order):
    return {item: at for at, item in enumerate(order, start=1)}


class TestOrderingKey:
    def test_the_usual_rule_is_absolute_position_and_unchanged(self):
        key = OrderingKey(id=1, positions={1: 1, 2: 2, 3: 3})
        assert key.grading == OrderingGrading.ABSOLUTE_POSITION
        # Two items given the same position are each judged by their own.
        assert key.fraction({1: 1, 2: 1, 3: 3}) == F(2, 3)

    @pytest.mark.parametrize("grading", list(OrderingGrading))
    def test_the_key_reads_the_learner_s_positions(self, grading):
        key = OrderingKey(id=1, positions={i: i for i in CORRECT}, grading=grading)
        assert key.fraction(_answer(CORRECT)) == 1
        assert key.fraction(None) == 0
        assert key.fraction({}) == 0

    def test_relative_rules_read_a_full_order(self):
        key = OrderingKey(
            id=1,
            positions={i: i for i in CORRECT},
            grading=OrderingGrading.RELATIVE_NEXT_EXCLUDE_LAST,
        )
        assert key.fraction(_answer([5, 1, 2, 3, 4])) == F(3, 4)

    def test_a_position_given_twice_or_not_at_all_is_a_hole(self):
        assert order_slots({1: 1, 2: 1, 3: 3}, 3) == [None, None, 3]
        assert order_slots({1: 2}, 3) == [None, 1, None]
        key = OrderingKey(
            id=1, positions={1: 1, 2: 2, 3: 3}, grading=OrderingGrading.RELATIVE_TO_CORRECT
        )
        # Items 1 and 2 share position 1: only item 3 is placed, in its place (2 of 2).
        assert key.fraction({1: 1, 2: 1, 3: 3}) == F(2, 6)
