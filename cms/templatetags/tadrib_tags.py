from django import template
from django.conf import settings
from django.utils import translation

from cms.i18n import url_in_language

register = template.Library()


@register.inclusion_tag("components/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the page being read, in each of the other languages."""
    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    links = [
        {
            "code": code,
            "name": settings.LANGUAGE_NATIVE_NAMES[code],
            "url": url_in_language(request, request.get_full_path(), code, page=page),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
    return {"links": links}
