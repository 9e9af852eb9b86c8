"""The scoring rules (docs/quizzes.md, docs/domain-rules.md), as pure functions: no database."""

from decimal import Decimal
from fractions import Fraction

import pytest

from quizzes.scoring import (
    AttemptOutcome,
    Grading,
    MatchingKey,
    MultipleResponseKey,
    OrderingKey,
    Problem,
    SingleChoiceKey,
    TrueFalseKey,
    attempt_score,
    attempts_left,
    counted_language,
    grade,
    is_answered,
    question_fraction,
    quiz_standing,
    round_percent,
)


def single(id=1, marks=1):
    return SingleChoiceKey(id=id, marks=marks, correct=frozenset({2}))


def multiple(id=2, marks=2, all_or_nothing=False):
    return MultipleResponseKey(
        id=id, marks=marks, correct=frozenset({10, 11, 12}), all_or_nothing=all_or_nothing
    )


def true_false(id=3, answer=True):
    return TrueFalseKey(id=id, answer=answer)


def matching(id=4):
    # Prompts 20, 21, 22; 22 shares its answer text with 21, so either option is accepted.
    return MatchingKey(
        id=id, matches={20: frozenset({20}), 21: frozenset({21, 22}), 22: frozenset({21, 22})}
    )


def ordering(id=5):
    return OrderingKey(id=id, positions={30: 1, 31: 2, 32: 3, 33: 4})


class TestSingleAndTrueFalse:
    def test_single_right_choice_earns_everything(self):
        assert question_fraction(single(), 2) == 1

    def test_single_wrong_choice_earns_nothing(self):
        assert question_fraction(single(), 1) == 0

    def test_single_unknown_choice_earns_nothing(self):
        assert question_fraction(single(), 999) == 0

    def test_single_unanswered_earns_nothing(self):
        assert question_fraction(single(), None) == 0

    def test_single_ignores_an_answer_of_the_wrong_shape(self):
        assert question_fraction(single(), frozenset({2})) == 0

    @pytest.mark.parametrize("key_answer", [True, False])
    def test_true_false_right_and_wrong(self, key_answer):
        key = true_false(answer=key_answer)
        assert question_fraction(key, key_answer) == 1
        assert question_fraction(key, not key_answer) == 0

    def test_true_false_unanswered_earns_nothing(self):
        assert question_fraction(true_false(), None) == 0

    def test_true_false_does_not_take_1_for_true(self):
        assert question_fraction(true_false(answer=True), 1) == 0


class TestMultipleResponse:
    def test_all_right_choices_earn_everything(self):
        assert question_fraction(multiple(), frozenset({10, 11, 12})) == 1

    def test_partial_credit_is_right_minus_wrong_over_right_total(self):
        assert question_fraction(multiple(), frozenset({10, 11})) == Fraction(2, 3)
        assert question_fraction(multiple(), frozenset({10, 11, 13})) == Fraction(1, 3)
        assert question_fraction(multiple(), frozenset({10, 11, 12, 13})) == Fraction(2, 3)

    def test_partial_credit_floors_at_zero(self):
        assert question_fraction(multiple(), frozenset({10, 13, 14})) == 0
        assert question_fraction(multiple(), frozenset({13, 14})) == 0

    def test_selecting_everything_is_not_full_marks(self):
        assert question_fraction(multiple(), frozenset({10, 11, 12, 13, 14})) == Fraction(1, 3)

    def test_all_or_nothing_needs_exactly_the_right_set(self):
        key = multiple(all_or_nothing=True)
        assert question_fraction(key, frozenset({10, 11, 12})) == 1
        assert question_fraction(key, frozenset({10, 11})) == 0
        assert question_fraction(key, frozenset({10, 11, 12, 13})) == 0

    def test_unanswered_and_empty_earn_nothing(self):
        assert question_fraction(multiple(), None) == 0
        assert question_fraction(multiple(), frozenset()) == 0


class TestMatching:
    def test_correct_pairs_over_pairs(self):
        assert question_fraction(matching(), {20: 20, 21: 21, 22: 22}) == 1
        assert question_fraction(matching(), {20: 21, 21: 21, 22: 20}) == Fraction(1, 3)

    def test_pairs_sharing_an_answer_accept_either_option(self):
        assert question_fraction(matching(), {20: 20, 21: 22, 22: 21}) == 1

    def test_missing_prompts_count_as_wrong(self):
        assert question_fraction(matching(), {20: 20}) == Fraction(1, 3)

    def test_unanswered_earns_nothing(self):
        assert question_fraction(matching(), None) == 0
        assert question_fraction(matching(), {}) == 0


class TestOrdering:
    def test_items_in_their_correct_position_over_items(self):
        assert question_fraction(ordering(), {30: 1, 31: 2, 32: 3, 33: 4}) == 1
        assert question_fraction(ordering(), {30: 1, 31: 3, 32: 2, 33: 4}) == Fraction(1, 2)
        assert question_fraction(ordering(), {30: 4, 31: 3, 32: 2, 33: 1}) == 0

    def test_repeated_positions_score_only_where_right(self):
        assert question_fraction(ordering(), {30: 1, 31: 1, 32: 1, 33: 1}) == Fraction(1, 4)

    def test_unanswered_earns_nothing(self):
        assert question_fraction(ordering(), None) == 0


class TestAttemptScore:
    def test_weighted_by_marks(self):
        keys = [single(marks=1), multiple(marks=2)]
        # 1×1 + (2/3)×2 = 7/3 of 3 marks = 77.777…%
        result = attempt_score(keys, {1: 2, 2: frozenset({10, 11})}, pass_mark=70)
        assert result.score == Decimal("77.78")
        assert result.passed is True
        assert result.fractions == {1: 1, 2: Fraction(2, 3)}

    def test_two_thirds_is_66_67(self):
        keys = [single(id=1), single(id=2), single(id=3)]
        result = attempt_score(keys, {1: 2, 2: 2, 3: 1}, pass_mark=70)
        assert result.score == Decimal("66.67")
        assert result.passed is False

    def test_unanswered_questions_score_zero(self):
        result = attempt_score([single(), true_false(), ordering()], {}, pass_mark=0)
        assert result.score == Decimal("0.00")
        assert result.passed is True  # a pass mark of 0 is always reached

    def test_every_type_together(self):
        keys = [single(), multiple(), true_false(), matching(), ordering()]
        answers = {
            1: 2,
            2: frozenset({10, 11, 12}),
            3: True,
            4: {20: 20, 21: 21, 22: 22},
            5: {30: 1, 31: 2, 32: 3, 33: 4},
        }
        assert attempt_score(keys, answers, pass_mark=100).score == Decimal("100.00")
        assert attempt_score(keys, answers, pass_mark=100).passed is True

    def test_no_questions_scores_zero(self):
        assert attempt_score([], {}, pass_mark=50).score == Decimal("0.00")

    def test_score_has_two_decimals(self):
        result = attempt_score([single()], {1: 2}, pass_mark=50)
        assert str(result.score) == "100.00"


class TestRounding:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (Fraction(200, 3), "66.67"),
            (Fraction(100, 3), "33.33"),
            (Fraction(1, 8) * 100, "12.50"),
            (Fraction(12345, 1000), "12.35"),  # exactly half: up
            (Fraction(12344999, 1000000), "12.34"),
            (Fraction(1, 200), "0.01"),  # 0.005 → 0.01
            (Fraction(1, 201), "0.00"),
            (Fraction(0), "0.00"),
            (Fraction(100), "100.00"),
        ],
    )
    def test_half_up_at_the_second_decimal(self, value, expected):
        assert round_percent(value) == Decimal(expected)

    def test_half_up_where_floats_would_round_down(self):
        # 1.005 is 1.00499999… as a float; exact arithmetic rounds it up.
        assert round_percent(Fraction(1005, 1000)) == Decimal("1.01")

    def test_attempt_score_rounds_half_up(self):
        # 1 of 8 marks = 12.5 %; 1 of 16 marks = 6.25 %; 1 of 4000 = 0.025 % → 0.03
        keys = [single(id=i) for i in range(1, 4001)]
        result = attempt_score(keys, {1: 2}, pass_mark=0)
        assert result.score == Decimal("0.03")


class TestPassMark:
    def test_boundary_is_inclusive(self):
        keys = [single(id=i) for i in range(1, 11)]
        answers = dict.fromkeys(range(1, 8), 2)
        assert attempt_score(keys, answers, pass_mark=70).passed is True
        assert attempt_score(keys, dict.fromkeys(range(1, 7), 2), pass_mark=70).passed is False

    def test_rounded_score_is_compared(self):
        # 2/3 rounds to 66.67, which reaches a pass mark of 66.67 exactly but not 66.68.
        keys = [single(id=i) for i in range(1, 4)]
        answers = {1: 2, 2: 2}
        assert attempt_score(keys, answers, pass_mark=Decimal("66.67")).passed is True
        assert attempt_score(keys, answers, pass_mark=Decimal("66.68")).passed is False


class TestGrading:
    scores = [Decimal("40.00"), Decimal("90.00"), Decimal("65.00")]

    def test_highest(self):
        assert grade(self.scores, Grading.HIGHEST) == Decimal("90.00")

    def test_first(self):
        assert grade(self.scores, Grading.FIRST) == Decimal("40.00")

    def test_last(self):
        assert grade(self.scores, Grading.LAST) == Decimal("65.00")

    def test_average(self):
        assert grade(self.scores, Grading.AVERAGE) == Decimal("65.00")

    def test_average_rounds_half_up(self):
        assert grade([Decimal("66.67"), Decimal("66.66"), Decimal("66.66")], "average") == Decimal(
            "66.66"
        )
        assert grade([Decimal("0.01"), Decimal("0.00")], "average") == Decimal("0.01")  # 0.005

    def test_accepts_the_stored_strings(self):
        assert grade([Decimal("10.00")], "highest") == Decimal("10.00")

    def test_no_attempt_no_grade(self):
        for method in Grading:
            assert grade([], method) is None

    def test_unknown_method_is_refused(self):
        with pytest.raises(ValueError):
            grade(self.scores, "median")


class TestAttemptsLeft:
    def test_unlimited(self):
        assert attempts_left(allowed=0, used=12) is None

    def test_counts_down_and_never_below_zero(self):
        assert attempts_left(allowed=3, used=1) == 2
        assert attempts_left(allowed=3, used=3) == 0
        assert attempts_left(allowed=3, used=5) == 0


class TestQuestionProblems:
    def test_answerable_questions_have_no_problem(self):
        assert SingleChoiceKey.problems([True, False]) == []
        assert MultipleResponseKey.problems([True, True, False]) == []
        assert TrueFalseKey.problems(False) == []
        assert MatchingKey.problems(2) == []
        assert OrderingKey.problems(2) == []

    def test_no_correct_choice(self):
        assert Problem.NO_CORRECT_CHOICE in SingleChoiceKey.problems([False, False])
        assert Problem.NO_CORRECT_CHOICE in MultipleResponseKey.problems([False, False])

    def test_single_needs_exactly_one_correct(self):
        assert SingleChoiceKey.problems([True, True]) == [Problem.MORE_THAN_ONE_CORRECT]
        assert MultipleResponseKey.problems([True, True]) == []

    def test_fewer_than_two_choices(self):
        assert Problem.TOO_FEW_CHOICES in SingleChoiceKey.problems([True])
        assert Problem.TOO_FEW_CHOICES in MultipleResponseKey.problems([])

    def test_true_false_needs_an_answer(self):
        assert TrueFalseKey.problems(None) == [Problem.NO_ANSWER]

    def test_matching_and_ordering_need_two(self):
        assert MatchingKey.problems(1) == [Problem.TOO_FEW_PAIRS]
        assert OrderingKey.problems(1) == [Problem.TOO_FEW_ITEMS]


class TestStoredAnswers:
    @pytest.mark.parametrize(
        ("key", "answer"),
        [
            (SingleChoiceKey, 5),
            (MultipleResponseKey, frozenset({1, 2})),
            (TrueFalseKey, False),
            (MatchingKey, {1: 2, 3: 4}),
            (OrderingKey, {7: 1, 8: 2}),
            (SingleChoiceKey, None),
        ],
    )
    def test_round_trip_through_json(self, key, answer):
        assert key.answer_from_json(key.answer_to_json(answer)) == answer

    def test_malformed_stored_answers_read_as_unanswered(self):
        assert SingleChoiceKey.answer_from_json("5") is None
        assert SingleChoiceKey.answer_from_json(True) is None
        assert TrueFalseKey.answer_from_json(1) is None
        assert MultipleResponseKey.answer_from_json({"a": 1}) is None
        assert MatchingKey.answer_from_json([1, 2]) is None
        assert OrderingKey.answer_from_json({"x": 1, "2": "y", "3": 1}) == {3: 1}

    @pytest.mark.parametrize(
        ("answer", "answered"),
        [(None, False), (frozenset(), False), ({}, False), (False, True), (3, True),
         (frozenset({1}), True), ({1: 2}, True)],
    )  # fmt: skip
    def test_what_counts_as_answered(self, answer, answered):
        assert is_answered(answer) is answered


class TestQuizStanding:
    """The completion rule: passed, or every attempt used when the quiz says so."""

    def standing(self, *outcomes, allowed=3, exhausted=False, grading="highest", pass_mark=70):
        return quiz_standing(
            [AttemptOutcome(Decimal(score), passed) for score, passed in outcomes],
            grading=grading,
            pass_mark=pass_mark,
            attempts_allowed=allowed,
            complete_when_attempts_exhausted=exhausted,
        )

    def test_no_attempt(self):
        standing = self.standing()
        assert (standing.grade, standing.passed, standing.complete) == (None, False, False)

    def test_a_passed_attempt_completes(self):
        standing = self.standing(("40", False), ("80", True))
        assert (standing.grade, standing.passed, standing.complete) == (Decimal(80), True, True)

    def test_failing_leaves_it_incomplete_unless_the_quiz_says_so(self):
        assert self.standing(("10", False), ("20", False), ("30", False)).complete is False
        lenient = self.standing(("10", False), ("20", False), ("30", False), exhausted=True)
        assert (lenient.passed, lenient.complete) == (False, True)

    def test_attempts_left_keep_it_open(self):
        assert self.standing(("10", False), exhausted=True).complete is False

    def test_unlimited_attempts_are_never_used_up(self):
        assert self.standing(*[("10", False)] * 9, allowed=0, exhausted=True).complete is False

    def test_a_passed_attempt_completes_even_when_the_grade_does_not_pass(self):
        # "first": the grade stays at the failed first attempt; passing later still completes.
        standing = self.standing(("40", False), ("90", True), grading="first")
        assert (standing.grade, standing.passed, standing.complete) == (Decimal(40), False, True)

    def test_the_grade_that_counts_decides_passed(self):
        standing = self.standing(("60", False), ("80", True), grading="average")
        assert (standing.grade, standing.passed) == (Decimal("70.00"), True)


@pytest.mark.parametrize(
    ("grading", "attempts", "expected"),
    [
        ("highest", [], ""),
        ("highest", [(Decimal("40"), "fr"), (Decimal("90"), "ar"), (Decimal("90"), "en")], "ar"),
        ("first", [(Decimal("40"), "fr"), (Decimal("90"), "ar")], "fr"),
        ("last", [(Decimal("40"), "fr"), (Decimal("90"), "ar"), (Decimal("20"), "en")], "en"),
        ("average", [(Decimal("40"), "fr"), (Decimal("90"), "ar"), (Decimal("20"), "fr")], "fr"),
        ("average", [(Decimal("40"), "fr"), (Decimal("90"), "ar")], "ar"),
    ],
)
def test_the_study_language_of_a_result_is_that_of_the_attempt_that_counts(
    grading, attempts, expected
):
    assert counted_language(attempts, grading) == expected
