from django import template
from django.urls import reverse

from ..navigation import report_links

register = template.Library()


@register.simple_tag(takes_context=True)
def registered_reports(context) -> list[dict]:
    """The reports other apps registered, as links for `reports/base.html`."""
    match = getattr(context.get("request"), "resolver_match", None)
    view_name = match.view_name if match else ""
    return [
        {
            "label": link.label,
            "url": reverse(link.url_name),
            "current": link.is_current(view_name),
        }
        for link in report_links()
    ]
