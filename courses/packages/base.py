"""What every part of the package code shares: the format's name, its languages, the error."""

from django.conf import settings

from cms.sanitize import sanitize_html, strip_html

FORMAT = "tadrib.course/1"
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
DEFAULT_LANGUAGE = settings.LANGUAGE_CODE


class PackageError(Exception):
    """A package that cannot be imported; `problems` lists every reason with its place."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def set_translated(obj, field: str, value: dict | None, *, html: bool = False) -> None:
    """Set `field_en/_fr/_ar` from a translated dict; missing languages become empty.

    Rich-text fields pass `sanitize_html`; plain-text fields lose any markup.
    """
    for code in LANGUAGE_CODES:
        text = (value or {}).get(code) or ""
        setattr(obj, f"{field}_{code}", sanitize_html(text) if html else strip_html(text))


def translated_values(obj, field: str) -> dict:
    """The non-empty translations of `field`, as the package format writes them."""
    return {
        code: text for code in LANGUAGE_CODES if (text := getattr(obj, f"{field}_{code}", None))
    }
