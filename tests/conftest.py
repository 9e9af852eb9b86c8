import pytest
from django.core.management import call_command

from tests.factories import TEST_PASSWORD, LearnerFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with what `setup_site` puts in place after migrations, built once:
    every test starts from it (each runs in a transaction that is rolled back)."""
    from security.models import AuditEntry

    with django_db_blocker.unblock():
        call_command("setup_site", verbosity=0)
        # Tests read the audit trail they cause; the pages published here are not theirs.
        AuditEntry.objects.all().delete()


def _flushes(item) -> bool:
    """Whether this test ends by flushing the database (a transactional test)."""
    names = set(getattr(item, "fixturenames", ()))
    if {"transactional_db", "live_server", "django_db_reset_sequences"} & names:
        return True
    marker = item.get_closest_marker("django_db")
    options = marker.kwargs if marker else {}
    return bool(options.get("transaction") or options.get("reset_sequences"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with a flush, which takes the role groups and the site
    structure with it; the tests that follow in the same process (in any order, as under
    pytest-xdist) start from them again. Run once every fixture, the flush included, is done."""
    yield
    if not _flushes(item):
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    from security.models import AuditEntry

    with item.config.stash[blocking_manager_key].unblock():
        # A migration test may leave the schema part-migrated: nothing to rebuild on then.
        if "wagtailcore_page" not in connection.introspection.table_names():
            return
        call_command("setup_site", verbosity=0)
        AuditEntry.objects.all().delete()


@pytest.fixture
def site(db):
    """The home page of the structure `setup_site` builds."""
    from cms.models import HomePage

    home = HomePage.objects.first()
    if home is None:  # a transactional test flushed the database
        call_command("setup_site", verbosity=0)
        home = HomePage.objects.get()
    return home


@pytest.fixture
def client(client):
    # The test settings allow this host; use it so absolute URLs look like the real site.
    client.defaults["HTTP_HOST"] = "testserver"
    return client


@pytest.fixture
def learner(db):
    return LearnerFactory(username="learner", preferred_language="en")


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture(autouse=True)
def _fresh_state():
    """Each test starts with empty caches (Wagtail caches site root paths; page shells are
    keyed by a generation that a rolled-back test sets back) and in English."""
    from django.core.cache import cache
    from django.utils import translation

    from cms import navigation, page_cache

    cache.clear()
    page_cache.clear()
    navigation.clear()
    # The test client leaves the last request's language active in this thread.
    translation.activate("en")
    yield
    cache.clear()
    page_cache.clear()
    navigation.clear()
    translation.deactivate()
