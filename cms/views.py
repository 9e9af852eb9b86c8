from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.views import serve as wagtail_serve

from security.forms import LockoutAuthenticationForm

from . import page_cache
from .forms import PreferencesForm
from .i18n import supported_language, url_in_language
from .services import user_set_preferred_language
from .user_import import set_password_tokens


def preferred_language_for(request) -> str:
    """The signed-in user's language, else the browser's (cookie, Accept-Language), else English."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        language = supported_language(user.preferred_language)
        if language:
            return language
    return (
        supported_language(translation.get_language_from_request(request)) or settings.LANGUAGE_CODE
    )


@require_GET
def root_redirect(request):
    language = preferred_language_for(request)
    response = HttpResponseRedirect(f"/{language}/")
    response["Vary"] = "Cookie, Accept-Language"
    return response


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    # Counts failures and refuses while the account or address is locked (security.lockout).
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True

    def get_success_url(self):
        language = self.request.user.preferred_language
        target = self.get_redirect_url() or f"/{language}/"
        return url_in_language(self.request, target, language)

    def form_valid(self, form):
        response = super().form_valid(form)
        translation.activate(self.request.user.preferred_language)
        return response


@login_required
def preferences(request):
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            language = form.cleaned_data["preferred_language"]
            user_set_preferred_language(user=request.user, language=language)
            with translation.override(language):
                messages.success(request, _("Your preferences have been saved."))
            response = HttpResponseRedirect(url_in_language(request, request.path, language))
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
            return response
    else:
        form = PreferencesForm(initial={"preferred_language": request.user.preferred_language})
    return render(request, "cms/preferences.html", {"form": form})


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The single-use link an imported user follows to choose their first password."""

    token_generator = set_password_tokens
    template_name = "registration/set_password.html"
    post_reset_login = False

    def get_success_url(self):
        messages.success(self.request, _("Your password is set. You can now sign in."))
        return reverse("login")


def serve(request, path):
    """Wagtail's page view, preceded by the routes this worker remembers (`cms.page_cache`).

    A view in front of Wagtail's rather than a hook: a remembered lesson is answered before
    routing, which every Wagtail hook follows. Signed-in responses are marked private: no
    proxy between the learner and us may keep them.
    """
    response = page_cache.serve_remembered(request)
    if response is None:
        response = wagtail_serve(request, path)
    if request.user.is_authenticated:
        patch_cache_control(response, private=True)
    return response
