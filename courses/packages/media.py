"""Files that travel with a package (`media/…` in a zip) and the Wagtail images and documents
they become."""

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from .base import PackageError


def _model(kind: str):
    return get_image_model() if kind == "image" else get_document_model()


class PackageMedia:
    """The files that came with a package ({"media/x.png": bytes}), stored as Wagtail images or
    documents the first time an activity refers to them, once per path."""

    def __init__(self, files: dict[str, bytes] | None = None):
        self.files = files or {}
        self._stored: dict[str, int] = {}
        self._written: list = []

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.files)

    def store(self, kind: str, path: str, *, place: str = "") -> int:
        """The id of the image (`kind` "image") or document stored for `path`.

        A file the storage refuses (disk full, no permission …) raises PackageError at
        `place` (the block that refers to it), or at `path` when no place is given.
        """
        if path not in self._stored:
            filename = path.rsplit("/", 1)[-1]
            item = _model(kind)(title=filename.rsplit(".", 1)[0][:255])
            content = (
                ImageFile(io.BytesIO(self.files[path]), name=filename)
                if kind == "image"
                else ContentFile(self.files[path], name=filename)
            )
            try:
                item.file.save(filename, content, save=False)
            except OSError as error:
                reason = error.strerror or error.__class__.__name__
                raise PackageError(
                    [f"{place or path}: the file {path!r} could not be stored ({reason})"]
                ) from error
            self._written.append(item.file)
            item.save()
            self._stored[path] = item.pk
        return self._stored[path]

    def discard(self) -> None:
        """Remove the files stored so far: the import they belonged to was rolled back."""
        for stored in self._written:
            stored.storage.delete(stored.name)
        self._written.clear()
        self._stored.clear()


def media_export(kind: str, pk, media: dict[str, bytes]) -> str | None:
    """Add the image or document `pk` to `media`; return its path in the package."""
    item = _model(kind).objects.filter(pk=pk).first()
    if item is None:
        return None
    name = f"media/{kind}-{item.pk}-{item.file.name.rsplit('/', 1)[-1]}"
    if name not in media:
        with item.file.open("rb") as handle:
            media[name] = handle.read()
    return name
