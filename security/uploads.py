"""Upload limits Wagtail has no setting for: the size of documents."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm


def document_max_bytes() -> int:
    return getattr(settings, "TADRIB_DOCUMENT_MAX_UPLOAD_SIZE", 50 * 1024 * 1024)


class SafeDocumentForm(BaseDocumentForm):
    """Wagtail's document form (`WAGTAILDOCS_DOCUMENT_FORM_BASE`) with a size limit; the
    extension allow-list is `WAGTAILDOCS_EXTENSIONS`."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and getattr(upload, "size", 0) > document_max_bytes():
            raise ValidationError(
                _("This file is too big. The largest allowed is %(size)s."),
                code="file_too_large",
                params={"size": filesizeformat(document_max_bytes())},
            )
        return upload
