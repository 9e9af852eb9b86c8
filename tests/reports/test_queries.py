"""Report pages and exports run the same number of queries for 100 and 1,000 learners."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import ManagerScope
from tests.courses.factories import make_module
from tests.reports.factories import bulk_learners


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def test_query_counts_do_not_grow_with_learners(client, world):
    activities = [
        world.module,
        world.quiz,
        *(make_module(world.course, slug=f"m{n}") for n in range(4)),
    ]
    # Scope by organisation and by country, so both filter paths are measured.
    ManagerScope.objects.create(manager=world.manager, countries=["TN"])
    client.force_login(world.manager)
    urls = [
        reverse("reports:by_course"),
        reverse("reports:by_organisation"),
        reverse("reports:by_country"),
        reverse("reports:by_language"),
        reverse("reports:course", args=[world.course.pk]),
        reverse("reports:course", args=[world.course.pk]) + "?page=2",
        reverse("reports:learner", args=[world.alice.pk]),
        reverse("reports:assignments"),
        reverse("reports:overdue"),
        reverse("reports:by_course") + f"?organisation={world.agency_a.pk}&date_from=2020-01-01",
    ]
    bulk_learners(100, organisation=world.unit_a, course=world.course, activities=activities)
    for url in urls:  # fill per-process caches (content types) first
        _count(client, url)
    small = {url: _count(client, url) for url in urls}
    csv_small = {url: _count(client, url + "?format=csv") for url in urls[:5]}
    bulk_learners(
        900, organisation=world.agency_b, course=world.course, activities=activities, start=100
    )
    large = {url: _count(client, url) for url in urls}
    assert large == small
    # With the content generation that keys the header's catalogue address (cms.navigation).
    assert max(small.values()) <= 17
    # The matrix export reads in batches of 1,000 learners: one more batch, one more query.
    csv_large = {url: _count(client, url + "?format=csv") for url in urls[:5]}
    matrix = urls[4]
    assert {u: n for u, n in csv_large.items() if u != matrix} == {
        u: n for u, n in csv_small.items() if u != matrix
    }
    assert csv_large[matrix] - csv_small[matrix] <= 1
