from django import template
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

register = template.Library()


@register.filter
def direction(language: str) -> str:
    """ "rtl" or "ltr" for a language code."""
    try:
        return "rtl" if translation.get_language_info(language)["bidi"] else "ltr"
    except KeyError:
        return "auto"


@register.simple_tag
def passage_html(passage):
    """A passage with its matched words in <mark>: every segment escaped first."""
    body = format_html_join(
        "",
        "{}",
        (
            (format_html("<mark>{}</mark>", text) if marked else text,)
            for text, marked in passage.segments
        ),
    )
    return format_html(
        "{}{}{}", "… " if passage.cut_before else "", body, " …" if passage.cut_after else ""
    )


@register.simple_tag
def results_page_url(query: str, page: int) -> str:
    return "?" + urlencode({"q": query, "page": page})
