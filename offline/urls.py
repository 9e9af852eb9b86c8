"""Offline URLs in the reader's language (under /<lang>/offline/)."""

from django.urls import path

from . import views

app_name = "offline"
urlpatterns = [
    path("", views.offline_page, name="page"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("strings.json", views.strings, name="strings"),
    path("courses/<int:course_id>.json", views.course, name="course"),
]
