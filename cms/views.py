import functools
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.views import serve as wagtail_serve

from . import page_cache
from .account_sections import account_sections
from .audit import audit
from .forms import PasswordLinkForm, PreferencesForm
from .i18n import supported_language, url_in_language
from .services import password_reset_links_send, user_set_preferred_language, user_set_time_zone
from .tokens import password_reset_tokens, reset_link_hours, set_password_tokens

# After a password is chosen from a link, the sign-in page offers that account's name.
SIGN_IN_USERNAME_SESSION_KEY = "cms_sign_in_username"


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
def favicon(request):
    """`/favicon.ico`, for clients that ask for it without reading the page's `<link rel=icon>`
    (which names the hashed static file): the icon itself, never a redirect to a language."""
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=86_400)
    return response


@functools.cache
def _favicon_bytes() -> bytes:
    # The collected copy where there is one (production), else the source (development).
    name = "icons/favicon.ico"
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as icon:
            return icon.read()
    return Path(finders.find(name)).read_bytes()


@require_GET
def root_redirect(request):
    language = preferred_language_for(request)
    response = HttpResponseRedirect(f"/{language}/")
    response["Vary"] = "Cookie, Accept-Language"
    return response


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_form_class(self):
        # An app may add checks (the lockout) through the setting; cms does not import it.
        return import_string(settings.TADRIB_SIGN_IN_FORM)

    def get_initial(self):
        initial = super().get_initial()
        username = self.request.session.pop(SIGN_IN_USERNAME_SESSION_KEY, None)
        if username:
            initial["username"] = username
        return initial

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if form.initial.get("username") and not form.is_bound:
            # The name is given: the cursor goes where the person types next.
            form.fields["username"].widget.attrs.pop("autofocus", None)
            form.fields["password"].widget.attrs["autofocus"] = True
        return form

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
            user_set_time_zone(user=request.user, time_zone=form.cleaned_data["time_zone"])
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
        form = PreferencesForm(
            initial={
                "preferred_language": request.user.preferred_language,
                "time_zone": request.user.time_zone,
            }
        )
    return render(
        request,
        "cms/preferences.html",
        {"form": form, "sections": account_sections(request.user)},
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit("password_changed", obj=self.request.user)
        return response


class PasswordResetRequestView(auth_views.PasswordResetView):
    """The "Forgot your password?" page: the same answer whether or not an account uses it."""

    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def get_form_class(self):
        # Rate limits come with the form the setting names (security adds them).
        return import_string(settings.TADRIB_PASSWORD_RESET_FORM)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        password_reset_links_send(
            users=form.get_users(form.cleaned_data["email"]),
            base_url=self.request.build_absolute_uri("/"),
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "hours": reset_link_hours()}


class PasswordLinkView(auth_views.PasswordResetConfirmView):
    """A single-use link to choose a password: the page names the account, and the sign-in
    page that follows offers its name."""

    form_class = PasswordLinkForm
    post_reset_login = False
    # Which link it was, for the audit trail.
    purpose = ""

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[SIGN_IN_USERNAME_SESSION_KEY] = form.user.get_username()
        audit("password_set", obj=form.user, user=form.user, data={"link": self.purpose})
        return response

    def get_success_url(self):
        messages.success(self.request, _("Your password is set. You can now sign in."))
        return reverse("login")


class SetPasswordView(PasswordLinkView):
    """The link an administrator gives a new account (user import) to choose its first
    password."""

    token_generator = set_password_tokens
    template_name = "registration/set_password.html"
    purpose = "invitation"


class PasswordResetLinkView(PasswordLinkView):
    """The link "Forgot your password?" mails."""

    token_generator = password_reset_tokens
    template_name = "registration/password_reset_confirm.html"
    purpose = "reset"


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
