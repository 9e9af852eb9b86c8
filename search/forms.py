from django import forms
from django.utils.translation import gettext_lazy as _

from .query import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search courses, modules and the glossary"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        strip=True,
        error_messages={"max_length": _("Use at most %(limit_value)d characters.")},
    )


def page_number(value: str | None) -> int:
    """The results page asked for; anything that is not a page number means the first."""
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1
