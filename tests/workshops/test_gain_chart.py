"""The dumbbell chart (workshops/report_charts.py): server-rendered, no database."""

import re
from decimal import Decimal as D

from django.utils import translation

from workshops.report_charts import Dumbbell, dumbbell_chart


def _chart(rows, **kwargs):
    with translation.override("en"):
        return str(dumbbell_chart(title="Mean scores by country", rows=rows, **kwargs))


def test_one_row_per_group_with_its_dots_and_line():
    html = _chart(
        [Dumbbell("Mali", D("42.50"), D("71.00"), 12), Dumbbell("Niger", D("60"), D("55"), 3)]
    )
    assert html.count('<li class="dumbbell__row">') == 2
    assert 'aria-label="Mean scores by country"' in html
    assert '<circle class="dumbbell__pre" cx="42.5%"' in html
    assert '<circle class="dumbbell__post" cx="71%"' in html
    assert 'class="dumbbell__line dumbbell__line--up" x1="42.5%" x2="71%"' in html
    assert "dumbbell__line--down" in html  # Niger went down


def test_each_row_is_an_image_named_by_its_title_and_desc():
    html = _chart([Dumbbell("Mali", D("42.50"), D("71.00"), 12)])
    assert (
        '<svg class="dumbbell__plot" role="img" aria-labelledby="dumbbell-0-title dumbbell-0-desc"'
        in html
    )
    assert '<title id="dumbbell-0-title">Mali</title>' in html
    assert (
        '<desc id="dumbbell-0-desc">'
        "Pre-test 42.50%, post-test 71.00%; paired participants: 12.</desc>" in html
    )
    # The visible label and values are text of the page, for the eye (the SVG is what is read).
    assert '<span class="dumbbell__label" dir="auto" aria-hidden="true">Mali</span>' in html
    assert '<span class="dumbbell__value" aria-hidden="true">42.50% → 71.00%</span>' in html


def test_mirrored_in_right_to_left_languages():
    html = _chart([Dumbbell("Mali", D("42.50"), D("71.00"), 12)], rtl=True)
    assert '<circle class="dumbbell__pre" cx="57.5%"' in html
    assert '<circle class="dumbbell__post" cx="29%"' in html


def test_arabic_arrow_points_the_reading_way():
    with translation.override("ar"):
        html = str(
            dumbbell_chart(title="t", rows=[Dumbbell("مالي", D("40"), D("70"), 2)], rtl=True)
        )
    assert "←" in html and "→" not in html


def test_no_viewbox_so_dots_stay_round():
    html = _chart([Dumbbell("Mali", D("1"), D("2"), 2)])
    assert "viewBox" not in html and "preserveAspectRatio" not in html


def test_values_outside_the_scale_are_clamped():
    html = _chart([Dumbbell("X", D("-5"), D("120"), 2)])
    assert 'cx="0%"' in html and 'cx="100%"' in html


def test_a_group_without_pairs_has_no_dots():
    html = _chart([Dumbbell("Chad", None, None, 0)])
    assert "<circle" not in html
    assert "No participant took both tests." in html
    assert "n/a" in html


def test_labels_are_escaped():
    html = _chart([Dumbbell('<script>alert("x")</script>', D("1"), D("2"), 2)])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_ids_are_unique_and_prefixed():
    html = _chart([Dumbbell(str(i), D("1"), D("2"), 2) for i in range(3)], id_prefix="by-country")
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == 6
    assert all(i.startswith("by-country-") for i in ids)


def test_no_inline_style_or_script():
    html = _chart([Dumbbell("Mali", D("42.50"), D("71.00"), 12)])
    assert "style=" not in html and "<script" not in html and "on" + "click" not in html
