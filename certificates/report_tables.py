"""The certificate report's columns, shared by the page and the CSV export. Headers are lazy:
translated into the reader's language when written."""

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .report_selectors import EXPIRING_DAYS, CertificateRow, Dimension, HolderRow

COUNT_COLUMNS = [
    ("issued", pgettext_lazy("number of certificates", "Issued")),
    ("valid", pgettext_lazy("number of certificates", "Valid")),
    ("expiring", _("Expiring within %(days)s days")),
    ("expired", pgettext_lazy("number of certificates", "Expired")),
    ("renewed", pgettext_lazy("number of certificates", "Renewed")),
    ("revoked", pgettext_lazy("number of certificates", "Revoked")),
]


def count_headers() -> list[tuple[str, str]]:
    return [
        (name, str(label) % {"days": EXPIRING_DAYS} if name == "expiring" else str(label))
        for name, label in COUNT_COLUMNS
    ]


def count_table(rows: Iterable[CertificateRow], *, by: str) -> tuple[list, Iterator[list]]:
    header = [Dimension(by).label, *(label for _name, label in count_headers())]
    names = [name for name, _label in COUNT_COLUMNS]
    return header, ([r.label, *(getattr(r, name) for name in names)] for r in rows)


def holder_table(rows: Iterable[HolderRow]) -> tuple[list, Iterator[list]]:
    header = [
        _("Holder"),
        _("Username"),
        _("Organisation"),
        _("Serial"),
        _("Issued"),
        _("Valid until"),
        _("Status"),
    ]
    return header, (
        [
            r.name,
            r.username,
            r.organisation,
            r.serial,
            r.issued_at,
            r.valid_until,
            r.state_label,
        ]
        for r in rows
    )
