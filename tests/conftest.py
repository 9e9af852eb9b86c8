import pytest
from django.core.management import call_command

from tests.factories import TEST_PASSWORD, LearnerFactory


@pytest.fixture
def site(db):
    """The structure `setup_site` puts in place after migrations; returns the home page."""
    from cms.models import HomePage

    call_command("setup_site", verbosity=0)
    return HomePage.objects.get()


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

    from cms import page_cache

    cache.clear()
    page_cache.clear()
    # The test client leaves the last request's language active in this thread.
    translation.activate("en")
    yield
    cache.clear()
    page_cache.clear()
    translation.deactivate()
