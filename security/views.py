"""The second-factor pages a signed-in user sees: enrol, verify, recovery codes, remove."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from . import twofactor
from .audit import Action, audit_log
from .forms import TokenForm


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _home(request) -> str:
    return f"/{request.LANGUAGE_CODE}/"


@login_required
def two_factor(request):
    """Status, and enrolment of an authenticator app by QR code and a first code."""
    user = request.user
    enrolled = user_has_device(user, confirmed=True)
    context = {
        "enrolled": enrolled,
        "required": twofactor.staff_2fa_required() and twofactor.is_staff_user(user),
        "next": _next_url(request, ""),
    }
    if enrolled:
        context["recovery_codes_left"] = twofactor.recovery_codes_left(user=user)
        return render(request, "security/two_factor.html", context)
    device = twofactor.totp_device_pending(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.totp_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            request.session[twofactor.SESSION_HAS_DEVICE] = True
            codes = twofactor.recovery_codes_regenerate(user=user)
            audit_log(action=Action.SECOND_FACTOR_ENROLLED, request=request, obj=user)
            return render(
                request,
                "security/recovery_codes.html",
                {"codes": codes, "next": _next_url(request, _home(request))},
            )
        audit_log(action=Action.SECOND_FACTOR_FAILED, request=request, obj=user)
        form.add_error(
            "token", _("That code is not right. Check your device's clock and try again.")
        )
    context.update(
        form=form,
        qr_svg=twofactor.qr_svg(device.config_url),
        secret=twofactor.totp_secret(device),
    )
    return render(request, "security/two_factor.html", context)


@login_required
def two_factor_verify(request):
    """The step after the password for users with a second factor."""
    next_url = _next_url(request, _home(request))
    if request.user.is_verified():
        return HttpResponseRedirect(next_url)
    if not user_has_device(request.user, confirmed=True):
        return HttpResponseRedirect(reverse("security:two_factor"))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            audit_log(
                action=Action.SECOND_FACTOR_VERIFIED,
                request=request,
                obj=request.user,
                detail=device.__class__.__name__,
            )
            return HttpResponseRedirect(next_url)
        audit_log(action=Action.SECOND_FACTOR_FAILED, request=request, obj=request.user)
        form.add_error("token", _("That code is not right. Try again."))
    return render(request, "security/two_factor_verify.html", {"form": form, "next": next_url})


@require_POST
@login_required
def recovery_codes(request):
    """New recovery codes, replacing the old ones; needs a verified session."""
    if not request.user.is_verified():
        return HttpResponseRedirect(reverse("security:two_factor_verify"))
    codes = twofactor.recovery_codes_regenerate(user=request.user)
    return render(
        request,
        "security/recovery_codes.html",
        {"codes": codes, "next": reverse("security:two_factor")},
    )


@require_POST
@login_required
def two_factor_remove(request):
    """Learners may switch the second factor off again; staff may not while it is required."""
    user = request.user
    if not user.is_verified():
        return HttpResponseRedirect(reverse("security:two_factor_verify"))
    if twofactor.staff_2fa_required() and twofactor.is_staff_user(user):
        messages.error(request, _("Your role requires two-step verification."))
        return HttpResponseRedirect(reverse("security:two_factor"))
    twofactor.second_factor_remove(user=user)
    request.session[twofactor.SESSION_HAS_DEVICE] = False
    audit_log(action=Action.SECOND_FACTOR_REMOVED, request=request, obj=user)
    messages.success(request, _("Two-step verification is off."))
    return HttpResponseRedirect(reverse("security:two_factor"))
