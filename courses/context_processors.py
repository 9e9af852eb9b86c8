from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """Links the site header shows to signed-in learners (the header lives in cms)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "nav_links": [
            (_("Courses"), reverse("courses:catalogue")),
            (_("My learning"), reverse("courses:my_learning")),
        ]
    }
