"""Scale and ranking statistics and the privacy floor, as pure functions (no database)."""

from decimal import Decimal

from surveys import statistics as st


def test_percent_rounds_half_up_and_knows_nothing_of_nothing():
    assert st.percent(1, 8) == 13
    assert st.percent(1, 3) == 33
    assert st.percent(0, 0) is None


def test_scale_mean_and_median_leave_not_applicable_out():
    counts = {0: 10, 1: 1, 2: 1, 4: 2}
    assert st.scale_mean(counts) == Decimal("2.75")
    assert st.scale_median(counts) == Decimal("3")  # 1 2 4 4: between 2 and 4


def test_scale_median_odd_and_even():
    assert st.scale_median({3: 1}) == 3
    assert st.scale_median({2: 1, 3: 1}) == Decimal("2.5")
    assert st.scale_median({1: 2, 5: 1}) == 1
    assert st.scale_median({0: 4}) is None
    assert st.scale_mean({}) is None


def test_ranking_mean_rank_and_borda():
    # Three respondents rank three items (option, rank): A first twice, C first once.
    counts = {(0, 1): 2, (0, 3): 1, (1, 2): 2, (1, 3): 1, (2, 1): 1, (2, 3): 1, (2, 2): 1}
    summary = st.ranking_summary(counts, items=3)
    by_option = {item.option: item for item in summary}
    assert by_option[0].mean_rank == Decimal("1.67")
    assert by_option[0].borda == 2 * 2 + 0  # ranked 1st of 3 scores 2, last scores 0
    assert by_option[2].borda == 2 + 1 + 0
    assert by_option[1].borda == 2
    assert [item.option for item in summary] == [0, 2, 1]
    assert by_option[0].first_places == 2


def test_small_groups_are_hidden_and_cannot_be_recovered_by_subtraction():
    # One group of 1 hidden alone would be total − shown: the next smallest goes with it.
    kept = st.suppress({"NE": 12, "MA": 6, "TN": 1}, floor=5)
    assert kept.shown == ("NE",)
    assert set(kept.hidden) == {"MA", "TN"}
    assert kept.other_shown  # 7 together: safe to show merged


def test_suppression_when_everything_is_small():
    kept = st.suppress({"a": 2, "b": 1}, floor=5)
    assert kept.shown == ()
    assert not kept.other_shown
    assert st.suppress({"a": 5, "b": 5}, floor=5).hidden == ()


def test_selection_must_leave_out_none_or_enough():
    assert st.selection_visible(selected=20, total=20, floor=5)
    assert not st.selection_visible(selected=4, total=20, floor=5)
    # 19 of 20 shown: the unfiltered page minus this one is a single person.
    assert not st.selection_visible(selected=19, total=20, floor=5)
    assert st.selection_visible(selected=15, total=20, floor=5)


def test_diverging_segments_centre_the_neutral_point():
    segments = st.diverging_segments({1: 1, 3: 2, 5: 1}, points=5)
    # 1000 wide in total: 250, 500 centred on 1000 (750–1250), 250.
    assert segments == [(1, 500, 250), (3, 750, 500), (5, 1250, 250)]
    assert st.diverging_segments({0: 3}, points=5) == []
    # An even split of a 7-point scale with no neutral answers meets at the centre.
    assert st.diverging_segments({2: 1, 6: 1}, points=7) == [(2, 500, 500), (6, 1000, 500)]
