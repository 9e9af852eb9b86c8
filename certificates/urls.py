"""Language-prefixed pages: verification (public) and the holder's downloads."""

from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/credential/", views.credential_check, name="credential_check"),
    path("verify/<str:serial>/", views.verify, name="verify"),
    path("certificates/<str:serial>/pdf/", views.download_pdf, name="pdf"),
    path("certificates/<str:serial>/credential/", views.download_credential, name="credential"),
]
