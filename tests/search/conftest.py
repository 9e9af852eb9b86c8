import pytest


@pytest.fixture(autouse=True)
def _fresh_glossary():
    """The per-process copy of the glossary is keyed by a version that never repeats; drop it
    anyway so that each test reads the terms it made."""
    from glossary.selectors import forget_loaded

    forget_loaded()
    yield
    forget_loaded()
