import pytest


@pytest.fixture
def xapi_on(settings):
    """xAPI on, pointing at the test LRS's port, whether or not anything listens."""
    from .lrs_server import LRS_PORT, PASSWORD, USERNAME

    settings.TADRIB_XAPI_ENDPOINT = f"http://127.0.0.1:{LRS_PORT}/xAPI"
    settings.TADRIB_XAPI_USERNAME, settings.TADRIB_XAPI_PASSWORD = USERNAME, PASSWORD
    settings.WAGTAILADMIN_BASE_URL = "https://tadrib.example.org"
    return settings


@pytest.fixture
def learning_events(site, xapi_on):
    """A learner's whole path: enrol, open and complete a module, attempt a quiz of every
    question type (passed), fail a second quiz, complete the course, attend a session."""
    from datetime import UTC, datetime

    from courses.services import activity_complete, activity_open
    from quizzes.services import attempt_save_answers, attempt_start, attempt_submit
    from tests.courses.factories import make_course, make_module
    from tests.factories import LearnerFactory
    from tests.quizzes.factories import make_quiz, right_answers
    from xapi.services import session_attended_record

    learner = LearnerFactory(username="amina", email="amina@example.org")
    course = make_course(slug="e-evidence")
    module = make_module(course, slug="preservation")
    quiz = make_quiz(course, slug="check")
    activity_open(user=learner, activity=module, language="ar")
    activity_complete(user=learner, activity=module, language="ar")
    attempt = attempt_start(user=learner, quiz=quiz, language="fr")
    attempt_save_answers(attempt=attempt, answers=right_answers(attempt))
    attempt_submit(attempt=attempt)
    session_attended_record(
        user=learner,
        session_key="sahel-2026/1",
        session_names={"en": "Electronic evidence", "fr": "Preuve électronique"},
        at=datetime(2026, 5, 4, 8, tzinfo=UTC),
        language="fr",
    )
    return learner
