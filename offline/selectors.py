"""Reads for offline use: a learner's partition, a course as the browser keeps it."""

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.crypto import salted_hmac
from wagtail.documents import get_document_model

from courses.models import CoursePage, ModulePage
from courses.render_cache import rendered_stream

from .rules import asset_urls

# A page's HTML around its body (header, footer, navigation), for the download estimate.
PAGE_FRAME_BYTES = 9_000
COURSE_IMAGE_FILTER = "width-640|format-webp"  # as courses/course_page.html shows it


def partition_of(user) -> str:
    """The name of the learner's stores in the browser: stable, not their id, not guessable."""
    return salted_hmac("tadrib.offline.partition", str(user.pk)).hexdigest()[:20]


@dataclass(frozen=True)
class CourseBundle:
    course_id: int
    title: str
    language: str
    version: str
    pages: tuple[str, ...]
    assets: tuple[str, ...]
    bytes: int

    def as_json(self) -> dict:
        return {
            "course": self.course_id,
            "title": self.title,
            "language": self.language,
            "version": self.version,
            "pages": list(self.pages),
            "assets": list(self.assets),
            "bytes": self.bytes,
        }


def _file_size(url: str) -> int:
    """The stored size of a media file or a document, 0 when it cannot be found."""
    try:
        if url.startswith(settings.MEDIA_URL):
            return default_storage.size(url.removeprefix(settings.MEDIA_URL).split("?")[0])
        if url.startswith("/documents/"):
            document_id = int(url.split("/")[2])
            document = get_document_model().objects.filter(pk=document_id).first()
            return document.file_size or document.file.size if document else 0
    except (OSError, ValueError, IndexError):
        return 0
    return 0


def course_bundle(*, course: CoursePage, request) -> CourseBundle:
    """What keeping `course` offline stores, in the active language: the course page, every
    live module page, the files their bodies show (images, documents, captions), and an
    estimate of the bytes. `version` changes when any of them is published again."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    modules = list(ModulePage.objects.live().child_of(course).order_by("path"))
    pages = [course.get_url(request)] + [module.get_url(request) for module in modules]
    html_bytes = PAGE_FRAME_BYTES * len(pages)
    assets: dict[str, None] = {}
    if course.image_id:
        assets[course.image.get_rendition(COURSE_IMAGE_FILTER).url] = None
    for module in modules:
        body = str(rendered_stream(page=module, field="body", request=request))
        html_bytes += len(body.encode())
        assets.update(dict.fromkeys(asset_urls(body)))
    revisions = [(course.pk, course.live_revision_id)] + [
        (module.pk, module.live_revision_id) for module in modules
    ]
    fingerprint = json.dumps([language, revisions, pages, list(assets)])
    return CourseBundle(
        course_id=course.pk,
        title=course.title,
        language=language,
        version=hashlib.blake2b(fingerprint.encode(), digest_size=8).hexdigest(),
        pages=tuple(pages),
        assets=tuple(assets),
        bytes=html_bytes + sum(_file_size(url) for url in assets),
    )
