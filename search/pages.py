"""The index source for course pages: courses and every kind of activity (modules, quizzes …).

What a page says in a language is its title and every translated text field of its model in
that language (as registered with modeltranslation): a module's blocks, a quiz's
introduction, a course's summary, objectives and audience. No fallback: a language the page
is not written in has no row, so a hit is always in the language it is shown with.
"""

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation
from django.utils.html import strip_tags
from modeltranslation.translator import NotRegistered, translator
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, get_page_models

from courses.models import ActivityPage, CoursePage

from .sources import Entry, Target, Text

# Translated Page fields that are not text a reader searches.
_NOT_TEXT = {"title", "slug", "url_path", "seo_title"}
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def indexed_models() -> list[type[Page]]:
    return [m for m in get_page_models() if issubclass(m, CoursePage | ActivityPage)]


def text_fields(model: type[Page]) -> list[str]:
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    return [name for name in options.all_fields if name not in _NOT_TEXT]


def field_text(field: models.Field, value) -> list[str]:
    """The readable text of one field's value (block text, rich text without tags …)."""
    if value is None or value == "":
        return []
    if isinstance(field, StreamField | RichTextField):
        return [str(part) for part in field.get_searchable_content(value) if part]
    return [strip_tags(str(value))]


def page_texts(page: Page) -> tuple[Text, ...]:
    model = type(page)
    names = text_fields(model)
    texts = []
    for code in LANGUAGE_CODES:
        title = getattr(page, f"title_{code}", "") or ""
        parts: list[str] = []
        # Block labels such as a callout's kind are indexed in the language of the text.
        with translation.override(code):
            for name in names:
                field = model._meta.get_field(f"{name}_{code}")
                parts += field_text(field, getattr(page, field.attname))
        body = "\n".join(p.strip() for p in parts if p.strip())
        if title or body:
            texts.append(Text(code, title, body))
    return tuple(texts)


class PageSource:
    """Live courses and live activities of courses."""

    name = "pages"

    def entries(self, object_ids: Iterable[int] | None) -> Iterable[Entry]:
        types = ContentType.objects.get_for_models(*indexed_models()).values()
        pages = Page.objects.live().filter(content_type__in=types)
        if object_ids is not None:
            pages = pages.filter(pk__in=list(object_ids))
        found = list(pages.specific())
        parents = {p.path[: -Page.steplen] for p in found if isinstance(p, ActivityPage)}
        courses = dict(CoursePage.objects.filter(path__in=parents).values_list("path", "pk"))
        for page in found:
            if isinstance(page, CoursePage):
                course_id = page.pk
            else:
                course_id = courses.get(page.path[: -Page.steplen])
                if course_id is None:
                    continue  # not in a course: never found
            yield Entry(
                object_id=page.pk,
                kind=page._meta.label_lower,
                texts=page_texts(page),
                page_id=page.pk,
                course_id=course_id,
            )

    def targets(self, object_ids: Sequence[int], *, request) -> dict[int, Target]:
        """Titles in the reader's language (falling back as pages do) and the course's."""
        pages = {p.pk: p for p in Page.objects.filter(pk__in=object_ids)}
        parents = {p.path[: -Page.steplen] for p in pages.values()}
        courses = {c.path: c for c in CoursePage.objects.filter(path__in=parents)}
        reader = translation.get_language() or settings.LANGUAGE_CODE
        result = {}
        for pk, page in pages.items():
            course = courses.get(page.path[: -Page.steplen])
            result[pk] = Target(
                url=page.get_url(request) or "",
                title=page.title,
                title_language=_shown_language(page, reader),
                context=course.title if course else "",
                context_language=_shown_language(course, reader) if course else "",
            )
        return result


def _shown_language(page: Page, reader: str) -> str:
    """The language `page.title` is shown in: the reader's, else the first fallback."""
    if getattr(page, f"title_{reader}", ""):
        return reader
    chains = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    for code in chains.get(reader, chains["default"]):
        if getattr(page, f"title_{code}", ""):
            return code
    return settings.LANGUAGE_CODE
