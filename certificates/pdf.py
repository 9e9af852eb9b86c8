"""The printable certificate: HTML rendered to PDF by WeasyPrint, in the certificate's
language, right to left in Arabic, with a QR code to its public verification page.

WeasyPrint shapes Arabic through Debian's pango and HarfBuzz; the font is Amiri
(`fonts-hosny-amiri`), which also covers French and English, so every certificate uses one
typeface. Only the glyphs used are embedded: a certificate weighs some 30 KB.
"""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .credentials import date_range, verification_url
from .models import Certificate


def qr_svg(url: str) -> str:
    """An inline SVG QR code for `url` (error correction M survives a creased print)."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=4, border=2, omitsize=False)


def certificate_html(certificate: Certificate) -> str:
    language = certificate.language
    url = verification_url(serial=certificate.serial, language=language)
    with translation.override(language):
        return render_to_string(
            "certificates/certificate_pdf.html",
            {
                "certificate": certificate,
                "title": certificate.title_in(language),
                "issuer": certificate.issuer_in(language),
                "names": certificate.names_for(language),
                "verification_url": url,
                "qr": qr_svg(url),
                "direction": "rtl" if translation.get_language_bidi() else "ltr",
                "dates": date_range(certificate.starts_on, certificate.ends_on),
                "venue": certificate.venue_in(language) if certificate.is_workshop else "",
                "site_name": settings.WAGTAIL_SITE_NAME,
            },
        )


def certificate_pdf(certificate: Certificate) -> bytes:
    from weasyprint import HTML  # loads pango on first use, not at start-up

    return HTML(string=certificate_html(certificate)).write_pdf()
