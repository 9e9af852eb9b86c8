"""The gain arithmetic (workshops/gain.py): pure, no database."""

from decimal import Decimal as D
from fractions import Fraction

import pytest

from workshops.gain import (
    category_gain,
    effect_size,
    group_gain,
    participant_gain,
    rate,
    round_half_up,
    score,
)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(2345, 1000), 2, "2.35"),  # a tie goes up
        (Fraction(-2345, 1000), 2, "-2.35"),  # and away from zero below it
        (Fraction(2344, 1000), 2, "2.34"),
        (Fraction(1, 3), 3, "0.333"),
        (Fraction(2, 3), 3, "0.667"),
        (Fraction(1, 8), 2, "0.13"),  # 0.125, exactly a tie
        (Fraction(5, 10000), 3, "0.001"),
        (Fraction(-5, 10000), 3, "-0.001"),
        (Fraction(0), 2, "0.00"),
        (Fraction(100), 2, "100.00"),
    ],
)
def test_round_half_up_is_exact(value, places, expected):
    assert str(round_half_up(value, places)) == expected


def test_round_half_up_keeps_none():
    assert round_half_up(None, 2) is None


def test_float_scores_are_read_as_they_print():
    # 1.005 as a binary float is 1.00499999…; read as typed it is a tie, rounded up.
    assert score(1.005) == D("1.01")
    assert score("1.005") == D("1.01")
    assert score(None) is None


def test_participant_gain_and_normalised_gain():
    result = participant_gain(D("40.00"), D("70.00"))
    assert (result.pre, result.post, result.gain, result.normalized_gain) == (
        D("40.00"),
        D("70.00"),
        D("30.00"),
        D("0.500"),
    )
    assert result.paired and not result.at_ceiling


def test_a_loss_is_negative_gain_and_negative_g():
    result = participant_gain(60, 45)
    assert result.gain == D("-15.00")
    assert result.normalized_gain == D("-0.375")


def test_g_rounds_to_three_decimals_half_up():
    # (50.5 − 50) / 50 = 0.01 exactly; (33.35 − 0) / 100 = 0.3335 → 0.334 (tie up).
    assert participant_gain(50, D("50.5")).normalized_gain == D("0.010")
    assert participant_gain(0, D("33.35")).normalized_gain == D("0.334")
    assert participant_gain(D("66.67"), D("77.78")).normalized_gain == D("0.333")


def test_pre_of_100_has_no_normalised_gain_but_a_gain():
    result = participant_gain(100, 90)
    assert result.gain == D("-10.00")
    assert result.normalized_gain is None
    assert result.at_ceiling


@pytest.mark.parametrize(("pre", "post"), [(None, 50), (50, None), (None, None)])
def test_one_test_missing_gives_no_gain(pre, post):
    result = participant_gain(pre, post)
    assert result.gain is None and result.normalized_gain is None
    assert not result.paired and not result.at_ceiling
    assert result.pre == score(pre) and result.post == score(post)


def test_group_of_paired_participants():
    group = group_gain([(40, 70), (60, 80), (50, 50)])
    assert group.participants == group.paired == 3
    assert group.unpaired == group.untested == group.at_ceiling == 0
    assert group.mean_pre == D("50.00")
    assert group.mean_post == D("66.67")
    assert group.mean_gain == D("16.67")
    # ⟨g⟩ = (66.666… − 50) / 50 = 0.3333…
    assert group.class_gain == D("0.333")
    # individual g: 0.5, 0.5, 0 → mean 0.3333…
    assert group.mean_normalized_gain == D("0.333")
    # gains 30, 20, 0: mean 16.67, sample SD 15.275… → 1.091
    assert group.effect_size == D("1.091")


def test_class_gain_is_not_the_mean_of_individual_g():
    group = group_gain([(0, 50), (80, 90)])
    assert group.class_gain == D("0.500")  # (70 − 40) / 60
    assert group.mean_normalized_gain == D("0.500")  # (0.5 + 0.5) / 2
    group = group_gain([(0, 10), (90, 100)])
    assert group.class_gain == D("0.182")  # (55 − 45) / 55
    assert group.mean_normalized_gain == D("0.550")  # (0.1 + 1) / 2


def test_unpaired_and_untested_are_counted_apart_and_never_mixed_in():
    group = group_gain([(40, 60), (90, None), (None, 10), (None, None)])
    assert group.participants == 4
    assert group.paired == 1
    assert group.unpaired == 2 and group.pre_only == 1 and group.post_only == 1
    assert group.untested == 1
    assert group.mean_pre == D("40.00") and group.mean_post == D("60.00")


def test_participants_at_ceiling_count_apart_from_the_mean_of_g_only():
    group = group_gain([(100, 100), (100, 80), (50, 75)])
    assert group.paired == 3
    assert group.at_ceiling == 2
    assert group.mean_normalized_gain == D("0.500")  # only the participant below 100
    assert group.mean_pre == D("83.33")  # every pair counts in the means
    assert group.class_gain == D("0.100")  # (85 − 83.333…) / 16.666…


def test_all_at_ceiling():
    group = group_gain([(100, 100), (100, 100)])
    assert group.at_ceiling == 2
    assert group.class_gain is None
    assert group.mean_normalized_gain is None
    assert group.effect_size is None  # every gain the same: SD 0


def test_a_single_pair_has_no_effect_size():
    group = group_gain([(20, 80)])
    assert group.paired == 1
    assert group.mean_gain == D("60.00")
    assert group.effect_size is None


def test_empty_group():
    group = group_gain([])
    assert group.participants == group.paired == 0
    assert group.mean_pre is group.mean_post is group.mean_gain is None
    assert group.class_gain is group.mean_normalized_gain is group.effect_size is None


def test_ties_identical_gains_have_no_effect_size():
    group = group_gain([(10, 30), (50, 70), (70, 90)])
    assert group.mean_gain == D("20.00")
    assert group.effect_size is None


def test_effect_size_sign_and_zero():
    assert effect_size([Fraction(-10), Fraction(-20)]) < 0
    assert effect_size([Fraction(-10), Fraction(10)]) == 0
    assert group_gain([(50, 40), (50, 60)]).effect_size == D("0.000")
    # gains −10, −20: mean −15, SD 7.071… → −2.121
    assert group_gain([(50, 40), (50, 30)]).effect_size == D("-2.121")


def test_effect_size_exact_when_rational():
    # gains 1 and 3: mean 2, SD √2 → d = √2 = 1.41421… → 1.414
    assert group_gain([(0, 1), (0, 3)]).effect_size == D("1.414")
    # gains 0, 2, 4: mean 2, SD 2 → exactly 1
    assert group_gain([(0, 0), (0, 2), (0, 4)]).effect_size == D("1.000")


def test_decimal_scores_as_stored():
    group = group_gain([(D("33.33"), D("66.67")), (D("12.50"), D("87.50"))])
    assert group.mean_pre == D("22.92")  # 22.915 exactly: half up
    assert group.mean_post == D("77.09")  # 77.085
    assert group.mean_gain == D("54.17")  # 54.17


def test_category_gain():
    result = category_gain(pre_total=D("1.5"), pre_count=4, post_total=3, post_count=4)
    assert (result.pre, result.post, result.change) == (D("37.50"), D("75.00"), D("37.50"))
    assert (result.pre_responses, result.post_responses) == (4, 4)


def test_category_gain_with_one_side_missing():
    result = category_gain(pre_total=None, pre_count=0, post_total=D("0.5"), post_count=1)
    assert result.pre is None and result.change is None
    assert result.post == D("50.00")


def test_category_gain_rounds_half_up():
    # 1/3 of answers right, then 2/3
    result = category_gain(pre_total=1, pre_count=3, post_total=2, post_count=3)
    assert (result.pre, result.post, result.change) == (D("33.33"), D("66.67"), D("33.33"))


def test_rate():
    assert rate(0, 0) is None
    assert rate(1, 3) == D("33.33")
    assert rate(2, 3) == D("66.67")
    assert rate(1, 8) == D("12.50")
    assert rate(3, 3) == D("100.00")
