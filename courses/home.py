"""The signed-in home page's learning section (registered with cms.home_sections)."""

from cms.home_sections import HomeSection

from .models import CourseIndexPage
from .selectors import learner_home


def learning_section(request) -> HomeSection:
    catalogue = CourseIndexPage.objects.live().first()
    return HomeSection(
        template="courses/components/home_learning.html",
        context={
            "home": learner_home(user=request.user, request=request),
            "catalogue_url": catalogue.get_url(request) if catalogue else "",
        },
    )
