"""Mail settings from one `EMAIL_URL`, read by the settings module (docs/security.md, "Mail").

    smtp://host:25                      plain SMTP (a relay on the same network)
    smtp+tls://user:password@host:587   STARTTLS
    smtp+ssl://user:password@host:465   TLS from the first byte
    (unset)                             the console: messages are printed, nothing is sent

User name and password are percent-decoded, so `@` or `:` in them are written `%40`, `%3A`.
Pure: no Django import beyond the exception, so settings can use it.
"""

from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"

# scheme: (default port, use STARTTLS, use implicit TLS)
_SCHEMES = {
    "smtp": (25, False, False),
    "smtp+tls": (587, True, False),
    "smtp+ssl": (465, False, True),
}


def email_settings(url: str | None) -> dict[str, object]:
    """The Django `EMAIL_*` settings that `url` describes."""
    if not url:
        return {"EMAIL_BACKEND": CONSOLE_BACKEND}
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES:
        raise ImproperlyConfigured(
            f"EMAIL_URL: unknown scheme {parts.scheme!r}; use {', '.join(sorted(_SCHEMES))}."
        )
    try:
        port = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(f"EMAIL_URL: {error}") from error
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL: no host name.")
    default_port, use_tls, use_ssl = _SCHEMES[parts.scheme]
    return {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or default_port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }
