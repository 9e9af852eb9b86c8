from django import template
from django.utils import translation
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def text_attrs(page, field: str):
    """The `lang` and `dir` of authored text: ` dir="auto"` when `field` of `page` is in the
    reader's language, or the attributes of the language it falls back to (` lang="fr"
    dir="ltr"` on an Arabic page), so its words and punctuation render in their own script."""
    code = page.fallback_language(field) if hasattr(page, "fallback_language") else None
    if code is None:
        return format_html(' dir="{}"', "auto")
    direction = "rtl" if translation.get_language_info(code)["bidi"] else "ltr"
    return format_html(' lang="{}" dir="{}"', code, direction)
