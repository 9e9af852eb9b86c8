"""Public verification, the issuer's documents, and the holder's downloads. Thin: reading and
rules are in selectors, rate limiting in `ratelimit`."""

import json
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods

from . import ratelimit, selectors
from .credentials import STATUS_TTL_SECONDS, key_document
from .forms import CredentialUploadForm, SerialForm
from .keys import signing_key
from .pdf import certificate_pdf
from .rules import State
from .serials import LOOKALIKES, serial_read

JSON_LD = "application/ld+json"


def _private(response, *, robots: bool = True):
    # Public pages about one person: never kept by a shared cache, never indexed.
    patch_cache_control(response, no_cache=True, no_store=True, private=True)
    if robots:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _too_many(request):
    response = render(
        request,
        "certificates/rate_limited.html",
        {"minutes": max(1, ratelimit.window_seconds() // 60)},
        status=429,
    )
    response["Retry-After"] = str(ratelimit.window_seconds())
    return _private(response)


def _not_found(request):
    # One response for every serial that is not a certificate's, malformed or unknown alike.
    return _private(
        render(
            request,
            "certificates/verify_form.html",
            {"form": SerialForm(), "upload_form": CredentialUploadForm(), "not_found": True},
            status=404,
        )
    )


@require_GET
def verify_form(request):
    """The form to type a serial (GET ?serial=): a readable one goes to its page."""
    if "serial" not in request.GET:
        form = SerialForm()
    else:
        form = SerialForm(request.GET)
        if form.is_valid():
            target = reverse("certificates:verify", args=[form.cleaned_data["serial"]])
            read = "".join(letter for letter, _digit in form.reading.readings)
            if read:
                target += "?" + urlencode({"read": read})
            return HttpResponseRedirect(target)
    return _private(
        render(
            request,
            "certificates/verify_form.html",
            {"form": form, "upload_form": CredentialUploadForm()},
        )
    )


@require_GET
def verify(request, serial: str):
    if not ratelimit.lookup_allowed(request):
        return _too_many(request)
    reading = serial_read(serial)
    if reading.serial is None:
        return _not_found(request)
    if reading.serial != serial:
        read = "".join(letter for letter, _digit in reading.readings)
        query = "?" + urlencode({"read": read}) if read else ""
        return HttpResponseRedirect(reverse("certificates:verify", args=[reading.serial]) + query)
    certificate = selectors.certificate_by_serial(serial=reading.serial)
    if certificate is None:
        return _not_found(request)
    read = [
        (letter, LOOKALIKES[letter])
        for letter in dict.fromkeys(request.GET.get("read", ""))
        if letter in LOOKALIKES
    ]
    state = certificate.state(timezone.now())
    renewal = getattr(certificate, "superseded_by", None)
    return _private(
        render(
            request,
            "certificates/verify.html",
            {
                "certificate": certificate,
                "state": state.value,
                "State": {s.name: s.value for s in State},
                "renewed_at": renewal.issued_at if renewal else None,
                "readings": read,
                "form": SerialForm(),
                "upload_form": CredentialUploadForm(),
            },
        )
    )


@require_http_methods(["POST"])
def credential_check(request):
    """An uploaded credential JSON: does its signature hold, and what is its status now?"""
    if not ratelimit.lookup_allowed(request):
        return _too_many(request)
    upload_form = CredentialUploadForm(request.POST, request.FILES)
    result = None
    if upload_form.is_valid():
        result = selectors.credential_check(data=upload_form.cleaned_data["credential"].read())
    return _private(
        render(
            request,
            "certificates/verify_form.html",
            {
                "form": SerialForm(),
                "upload_form": upload_form,
                "check": result,
                "state": result.state.value if result and result.state else None,
            },
            status=200 if upload_form.is_valid() else 400,
        )
    )


def _json_ld(document: dict, *, max_age: int) -> HttpResponse:
    response = HttpResponse(json.dumps(document, ensure_ascii=False), content_type=JSON_LD)
    response["Access-Control-Allow-Origin"] = "*"  # verifiers fetch these from anywhere
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    patch_cache_control(response, public=True, max_age=max_age)
    return response


@require_GET
def issuer(request):
    return _json_ld(selectors.issuer_profile_document(), max_age=3600)


@require_GET
def key(request, multibase: str):
    signing = signing_key()
    if multibase != signing.public_multibase:
        raise Http404
    return _json_ld(key_document(signing), max_age=3600)


@require_GET
def status_list(request, number: int):
    if number >= selectors.status_list_count():
        raise Http404
    return _json_ld(selectors.status_list_document(number=number), max_age=STATUS_TTL_SECONDS)


def _own(request, serial: str):
    certificate = selectors.holder_certificate(user=request.user, serial=serial)
    if certificate is None:
        raise Http404
    return certificate


@login_required
@require_GET
def download_pdf(request, serial: str):
    certificate = _own(request, serial)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.pdf"'
    return _private(response, robots=False)


@login_required
@require_GET
def download_credential(request, serial: str):
    certificate = _own(request, serial)
    response = HttpResponse(
        json.dumps(certificate.credential, ensure_ascii=False, indent=2), content_type=JSON_LD
    )
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.json"'
    return _private(response, robots=False)
