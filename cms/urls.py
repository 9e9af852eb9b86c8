from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    path("", views.root_redirect, name="root"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("credentials/", include("certificates.credential_urls")),
    # Offline (issue 17): the worker's scope is the whole site, so it is served from the root.
    path("", include("offline.root_urls")),
]

urlpatterns += i18n_patterns(
    path("account/sign-in/", views.SignInView.as_view(), name="login"),
    path("account/sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "account/password/forgot/",
        views.PasswordResetRequestView.as_view(),
        name="password_reset",
    ),
    path(
        "account/password/forgot/sent/",
        views.PasswordResetSentView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/password/reset/<uidb64>/<token>/",
        views.PasswordResetLinkView.as_view(),
        name="password_reset_confirm",
    ),
    path("account/preferences/", views.preferences, name="preferences"),
    path("account/two-factor/", include("security.urls")),
    path("account/emails/", include("notifications.urls")),
    path(
        "account/set-password/<uidb64>/<token>/",
        views.SetPasswordView.as_view(),
        name="set_password",
    ),
    path("learning/", include("courses.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("reports/workshops/", include("workshops.report_urls")),
    path("reports/surveys/", include("surveys.urls")),
    path("reports/", include("reports.urls")),
    path("workshops/", include("workshops.urls")),
    path("", include("certificates.urls")),
    path("search/", include("search.urls")),
    path("glossary/", include("glossary.urls")),
    path("offline/", include("offline.urls")),
    # Wagtail's URLs, its page view (the last) preceded by the routes a worker remembers.
    *wagtail_urls.urlpatterns[:-1],
    re_path(wagtail_urls.serve_pattern, views.serve, name="wagtail_serve"),
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
