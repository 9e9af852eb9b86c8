"""My learning shows each course's certificate downloads: one query for the whole page."""

from django import template

from ..selectors import holder_certificates, holder_workshop_certificates

register = template.Library()


@register.simple_tag(takes_context=True)
def learner_certificates(context) -> dict:
    """The signed-in user's current certificate per course id."""
    user = context["request"].user
    return holder_certificates(user=user) if user.is_authenticated else {}


@register.inclusion_tag("certificates/components/downloads.html")
def certificate_downloads(certificates: dict, course_id: int) -> dict:
    return {"certificate": certificates.get(course_id)}


@register.inclusion_tag("certificates/components/workshop_certificates.html", takes_context=True)
def workshop_certificates(context) -> dict:
    """My learning's list of the signed-in user's workshop certificates (one query)."""
    user = context["request"].user
    return {
        "certificates": holder_workshop_certificates(user=user) if user.is_authenticated else []
    }
