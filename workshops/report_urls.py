from django.urls import path

from . import report_views

app_name = "workshop_reports"
urlpatterns = [
    path("", report_views.workshop_list, name="list"),
    path("<slug:slug>/", report_views.workshop_detail, name="detail"),
]
