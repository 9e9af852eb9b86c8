from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

REPORT_READER_CACHE_SECONDS = 60


def is_report_reader_cached(user) -> bool:
    """Cached briefly: the header is on every page and must not cost a query each time."""
    from .reports.scope import is_report_reader

    key = f"tadrib:report-reader:{user.pk}"
    value = cache.get(key)
    if value is None:
        value = is_report_reader(user)
        cache.set(key, value, REPORT_READER_CACHE_SECONDS)
    return value


def navigation(request):
    """Links the site header shows to signed-in users (the header lives in cms)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    links = [
        (_("Courses"), reverse("courses:catalogue")),
        (_("My learning"), reverse("courses:my_learning")),
    ]
    if is_report_reader_cached(request.user):
        links.append((_("Reports"), reverse("reports:by_course")))
    return {"nav_links": links}
