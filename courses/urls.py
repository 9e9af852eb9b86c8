from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("courses/", views.catalogue_redirect, name="catalogue"),
    path(
        "activities/<int:page_id>/complete/", views.activity_mark_complete, name="activity_complete"
    ),
]
