import pytest

from tests.security.smtp import smtp_server


@pytest.fixture
def inbox(settings):
    """A real SMTP server (aiosmtpd) that the site's mail goes through."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        with smtp_server() as received:
            settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", received.port
            yield received
    except OSError as error:
        pytest.skip(f"cannot start the SMTP server: {error}")
