"""`{% slot "name" %}`: a part of the page that differs between users (see cms.page_cache)."""

from django import template

from cms import page_cache

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name: str):
    """The registered slot `name`, filled for this request, or its marker in a shell.

    Values the page gives come from `slot_values[name]` in the context.
    """
    given = (context.get("slot_values") or {}).get(name, {})
    return page_cache.slot_html(context.get("request"), name, given)
