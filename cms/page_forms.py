"""The base form of every page editor in the project (`base_form_class`)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext, gettext_noop, pgettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
FALLBACKS = settings.MODELTRANSLATION_FALLBACK_LANGUAGES


def slug_clashes(slugs: dict[str, str], siblings) -> list[tuple[str, object, list[str]]]:
    """Where a page with `slugs` ({"en": "…", "fr": "", …}) would have the address of one of
    `siblings`, as (the language whose slug it is, the sibling, the languages concerned). An
    empty French slug is the English one, so a clash there is the English slug's. The rule
    wagtail-modeltranslation enforces when the page is saved."""
    siblings = list(siblings)
    found: dict[tuple[str, int], list[str]] = {}
    for code in LANGUAGE_CODES:
        chain = (code, *FALLBACKS.get(code, FALLBACKS["default"]))
        source = next((c for c in chain if slugs.get(c)), None)
        if source is None:
            continue
        with translation.override(code):
            other = next((page for page in siblings if page.slug == slugs[source]), None)
        if other is not None:
            found.setdefault((source, other.pk), []).append(code)
    by_pk = {page.pk: page for page in siblings}
    return [(source, by_pk[pk], codes) for (source, pk), codes in found.items()]


SLUG_IN_USE_BY_PAGE = _(
    "This page would have the same address as “%(title)s”, already here (%(languages)s). "
    "Change this title, or the slug on the Promotion tab."
)
SLUG_IN_USE_BY_DRAFT = _(
    "This page would have the same address as the unpublished draft “%(title)s”, already "
    "here (%(languages)s), perhaps started earlier and left. Open that draft to go on with it, "
    "or change this title."
)


def language_names(codes) -> str:
    """ "French, Arabic", in the reader's language."""
    return pgettext("between language names", ", ").join(
        str(translation.get_language_info(code)["name_translated"]) for code in codes
    )


# wagtail-modeltranslation's message for a slug a sibling has, which it words in the language
# of the slug rather than the reader's ("This slug is already in use" in the French admin).
SLUG_IN_USE = gettext_noop("This slug is already in use")


def _in_every_language(message: str) -> set[str]:
    texts = set()
    for code in LANGUAGE_CODES:
        with translation.override(code):
            texts.add(gettext(message))
    return texts


class TadribPageForm(WagtailAdminPageForm):
    """Says, beside the title the trainer is typing, when the page's address is taken.

    wagtail-modeltranslation refuses a slug a sibling already uses in any language, but only on
    the slug fields of the Promotion tab; a trainer who typed a title on the Content tab (the
    slug follows it) saw nothing where they were looking. The title of that language now names
    the page that has the address, so the trainer knows whether to change the title or open
    that page (an unfinished draft, for instance).
    """

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        if self.parent_page is None:
            return
        siblings = self.parent_page.get_children()
        if self.instance.pk:
            siblings = siblings.exclude(pk=self.instance.pk)
        # As typed: a slug refused by another check is no longer in `cleaned_data`.
        slugs = {
            code: str(self[f"slug_{code}"].data or "").strip()
            for code in LANGUAGE_CODES
            if f"slug_{code}" in self.fields
        }
        self._reword_slug_errors()
        for source, other, codes in slug_clashes(slugs, siblings):
            message = SLUG_IN_USE_BY_PAGE if other.live else SLUG_IN_USE_BY_DRAFT
            params = {
                "languages": language_names(codes),
                "title": other.get_admin_display_title(),
            }
            field = f"title_{source}" if f"title_{source}" in self.fields else None
            self.add_error(field, ValidationError(message, code="slug_in_use", params=params))

    def _reword_slug_errors(self) -> None:
        """The slug fields' "already in use", in the reader's language."""
        theirs = _in_every_language(SLUG_IN_USE)
        for code in LANGUAGE_CODES:
            errors = self._errors.get(f"slug_{code}")
            if not errors:
                continue
            kept = [e for e in errors.as_data() if str(e.message) not in theirs]
            if len(kept) < len(errors):
                kept.append(ValidationError(_(SLUG_IN_USE), code="slug_in_use"))
                self._errors[f"slug_{code}"] = self.error_class(kept, renderer=self.renderer)
