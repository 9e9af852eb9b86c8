import pytest

from tests.security.smtp import smtp_server

# This helper's ports: 8210-8219 (8211 the SMTP server of these tests).
SMTP_PORT = 8211


@pytest.fixture
def inbox(settings):
    """A real SMTP server (aiosmtpd) that the site's mail goes through."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SMTP_PORT
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        with smtp_server(SMTP_PORT) as received:
            yield received
    except OSError as error:
        pytest.skip(f"cannot start the SMTP server on port {SMTP_PORT}: {error}")
