"""Reports other apps register for the reports' navigation (no database)."""

import pytest

from reports import navigation


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(navigation, "_links", {})
    return navigation


def test_links_are_listed_by_order_and_registering_again_replaces(registry):
    registry.register_report(label="B", url_name="b:index", order=200)
    registry.register_report(label="A", url_name="a:index", order=100)
    registry.register_report(label="B again", url_name="b:index", order=50)
    assert [link.label for link in registry.report_links()] == ["B again", "A"]


def test_a_link_is_current_on_its_own_page_and_the_pages_under_it(registry):
    registry.register_report(
        label="Certificates", url_name="c:counts", current_for=("c:by_country", "c:holders")
    )
    (link,) = registry.report_links()
    assert link.is_current("c:counts") and link.is_current("c:holders")
    assert not link.is_current("reports:by_course")


def test_the_certificates_report_is_registered():
    urls = [link.url_name for link in navigation.report_links()]
    assert "certificates:report_by_course" in urls
