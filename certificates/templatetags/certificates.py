"""My learning shows each course's certificate downloads: one query for the whole page."""

from django import template

from ..selectors import (
    holder_all_certificates,
    holder_certificates,
    holder_workshop_certificates,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def learner_certificates(context) -> dict:
    """The signed-in user's current certificate per course id."""
    user = context["request"].user
    if not user.is_authenticated:
        return {}
    return holder_certificates(user=user, loaded=_loaded(context["request"]))


@register.inclusion_tag("certificates/components/downloads.html")
def certificate_downloads(certificates: dict, course_id: int) -> dict:
    return {"certificate": certificates.get(course_id)}


@register.inclusion_tag("certificates/components/workshop_certificates.html", takes_context=True)
def workshop_certificates(context) -> dict:
    """My learning's list of the signed-in user's workshop certificates (one query)."""
    request = context["request"]
    if not request.user.is_authenticated:
        return {"certificates": []}
    return {
        "certificates": holder_workshop_certificates(user=request.user, loaded=_loaded(request))
    }


def _loaded(request) -> list:
    """The signed-in user's certificates, read once per request for both lists."""
    if not hasattr(request, "_tadrib_certificates"):
        request._tadrib_certificates = holder_all_certificates(user=request.user)
    return request._tadrib_certificates
