"""The suite's own isolation: a transactional test ends with a flush, and whatever test runs
next in the same process (under pytest-xdist, in any order) still finds the role groups and
the site structure that migrations and `setup_site` put in place (tests/conftest.py)."""

import pytest
from django.contrib.auth.models import Group

from cms.models import HomePage

pytestmark = pytest.mark.django_db(transaction=True)
ROLE_GROUPS = {"Learners", "Trainers", "Managers"}


def test_a_transactional_test_flushes_at_its_end():
    assert set(Group.objects.values_list("name", flat=True)) >= ROLE_GROUPS


def test_the_next_one_finds_the_groups_and_the_home_page_again():
    # Transactional tests keep their order among themselves: this one runs after the flush.
    assert set(Group.objects.values_list("name", flat=True)) >= ROLE_GROUPS
    assert HomePage.objects.exists()


def test_clearing_the_page_cache_forgets_every_per_worker_cache():
    """Caches keyed by the content generation live in several apps (My learning's course
    shapes among them); a rolled-back test sets the generation back, so all must be forgotten
    between tests, not only the page cache's own three."""
    from cms import page_cache
    from courses import learning_shell

    shape = learning_shell.CourseShape(title="A course of another test", url="/", activities=())
    learning_shell.structures.set(("a", "generation", 1), {1: shape})
    elsewhere = page_cache.BoundedCache(4)
    elsewhere.set("key", "value")
    page_cache.clear()
    assert learning_shell.structures.get(("a", "generation", 1)) is None
    assert elsewhere.get("key") is None
