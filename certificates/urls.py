"""Language-prefixed pages: verification (public) and the holder's downloads."""

from django.urls import path

from . import report_views, views
from .report_selectors import Dimension

app_name = "certificates"
urlpatterns = [
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/credential/", views.credential_check, name="credential_check"),
    path("verify/<str:serial>/", views.verify, name="verify"),
    path("certificates/<str:serial>/pdf/", views.download_pdf, name="pdf"),
    path("certificates/<str:serial>/credential/", views.download_credential, name="credential"),
    # One of the managers' reports (reports/base.html lists it through reports.navigation).
    path(
        "reports/certificates/",
        report_views.certificate_report,
        {"by": Dimension.COURSE},
        name="report_by_course",
    ),
    path(
        "reports/certificates/organisations/",
        report_views.certificate_report,
        {"by": Dimension.ORGANISATION},
        name="report_by_organisation",
    ),
    path(
        "reports/certificates/countries/",
        report_views.certificate_report,
        {"by": Dimension.COUNTRY},
        name="report_by_country",
    ),
    path(
        "reports/certificates/changed/<int:course_id>/",
        report_views.held_before_change,
        name="report_held_before_change",
    ),
]
