"""The certificate's links on the participant's workshop page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from certificates.models import Certificate
from workshops.page_sections import PageLink, PageSection


def certificate_section(*, user, workshop) -> PageSection | None:
    certificate = (
        Certificate.objects.filter(holder=user, workshop=workshop).order_by("-round").first()
        if user.is_authenticated
        else None
    )
    if certificate is None:
        return None
    serial = certificate.serial
    return PageSection(
        title=_("Your certificate"),
        text=_("Serial %(serial)s, issued %(date)s.")
        % {"serial": serial, "date": _date(certificate.issued_at)},
        links=[
            PageLink(_("Certificate (PDF)"), reverse("certificates:pdf", args=[serial]), True),
            PageLink(
                _("Credential (Open Badges JSON)"),
                reverse("certificates:credential", args=[serial]),
                True,
            ),
            PageLink(
                _("Public verification page"), reverse("certificates:verify", args=[serial]), False
            ),
        ],
    )


def _date(moment) -> str:
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    return date_format(localtime(moment), "DATE_FORMAT")
