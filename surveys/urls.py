from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.results_index, name="index"),
    path("<int:survey_id>/", views.results, name="results"),
]
