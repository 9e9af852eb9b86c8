"""The issuer's documents for credential verifiers: stable URLs without a language prefix."""

from django.urls import path

from . import views

app_name = "credentials"
urlpatterns = [
    path("issuer", views.issuer, name="issuer"),
    path("issuer/keys/<str:multibase>", views.key, name="key"),
    path("status/<int:number>", views.status_list, name="status_list"),
]
