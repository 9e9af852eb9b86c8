"""The project's form renderer (`FORM_RENDERER`)."""

from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils import translation

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def language_attrs(name: str) -> dict[str, str]:
    """`lang` and `dir` for the widget of a field named after a language (`title_ar`,
    `choices-0-text_fr`, `term_en` …); empty for any other field."""
    code = name.rsplit("_", 1)[-1] if "_" in name else ""
    if code not in LANGUAGE_CODES:
        return {}
    return {"lang": code, "dir": "rtl" if translation.get_language_info(code)["bidi"] else "ltr"}


class LanguageDirectionRenderer(DjangoTemplates):
    """Renders every widget of a translated field with its language's `lang` and `dir`.

    In every form of the project — page editors, snippets, the question editor's inline
    choices, pairs and items — Arabic is typed right to left and French and English left to
    right, whatever the language of the admin around them, without each model or panel having
    to say so. Attributes a widget sets itself win.
    """

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if isinstance(widget, dict) and (attrs := language_attrs(str(widget.get("name", "")))):
            widget["attrs"] = {**attrs, **(widget.get("attrs") or {})}
        return super().render(template_name, context, request=request)
