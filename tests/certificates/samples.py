"""Fixed certificates for rendering tests: the same pixels every run."""

from datetime import UTC, datetime
from decimal import Decimal

from certificates.models import Certificate, RevocationReason

SERIAL = "TDR-7KQ4-M2XP-R8WD-E"


def sample_certificate(language: str, **fields) -> Certificate:
    values = {
        "pk": 42,
        "serial": SERIAL,
        "language": language,
        "holder_name_arabic": "سلمى بن علي",
        "holder_name_latin": "Salma Ben Ali",
        "title": {
            "en": "Obtaining electronic evidence across borders",
            "fr": "Obtenir la preuve électronique au-delà des frontières",
            "ar": "الحصول على الأدلة الإلكترونية عبر الحدود",
        },
        "issuer_name": {
            "en": "Regional Judicial Training Programme",
            "fr": "Programme régional de formation judiciaire",
            "ar": "البرنامج الإقليمي للتدريب القضائي",
        },
        "hours": Decimal("12.0"),
        "grade": Decimal("86.50"),
        "completed_at": datetime(2026, 5, 4, 10, 0, tzinfo=UTC),
        "issued_at": datetime(2026, 5, 4, 10, 0, tzinfo=UTC),
        "valid_until": datetime(2028, 5, 4, 10, 0, tzinfo=UTC),
    }
    values.update(fields)
    return Certificate(**values)


def revoked(certificate: Certificate) -> Certificate:
    certificate.revoked_at = datetime(2026, 6, 1, tzinfo=UTC)
    certificate.revocation_reason = RevocationReason.ISSUED_IN_ERROR
    return certificate


def sample_workshop_certificate(language: str, **fields) -> Certificate:
    """A workshop certificate: in person in Niger over two days, 6 hours of sessions."""
    from datetime import date

    from certificates.models import Kind

    values = {
        "kind": Kind.WORKSHOP,
        "title": {
            "en": "Special investigation techniques against online recruitment",
            "fr": "Techniques spéciales d’enquête contre le recrutement en ligne",
            "ar": "أساليب التحري الخاصة لمكافحة التجنيد عبر الإنترنت",
        },
        "hours": Decimal("6.0"),
        "grade": None,
        "valid_until": None,
        "starts_on": date(2026, 3, 2),
        "ends_on": date(2026, 3, 4),
        "venue_country": "NE",
        "completed_at": datetime(2026, 3, 4, 16, 0, tzinfo=UTC),
        "issued_at": datetime(2026, 3, 4, 16, 0, tzinfo=UTC),
    }
    values.update(fields)
    return sample_certificate(language, **values)
