from django.urls import path

from . import views
from .selectors import Dimension

app_name = "reports"
urlpatterns = [
    path("", views.overview, {"by": Dimension.COURSE}, name="by_course"),
    path("organisations/", views.overview, {"by": Dimension.ORGANISATION}, name="by_organisation"),
    path("countries/", views.overview, {"by": Dimension.COUNTRY}, name="by_country"),
    path("languages/", views.overview, {"by": Dimension.LANGUAGE}, name="by_language"),
    path("courses/<int:course_id>/", views.course_matrix, name="course"),
    path("learners/<int:user_id>/", views.learner, name="learner"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/<int:enrolment_id>/", views.assignment, name="assignment"),
    path("overdue/", views.overdue, name="overdue"),
]
