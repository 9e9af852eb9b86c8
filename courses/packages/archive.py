"""Reading and writing package files: `course.json`, or a zip with `course.json` and `media/`.

A zip is checked before anything in it is used: entries that would land outside the package
folder (zip-slip), entries outside `media/`, sizes over the limits (declared and real), images
that are not really PNG, JPEG, WebP or GIF, documents of a type the site does not accept.
"""

import io
import json
import zipfile

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from .base import PackageError

MEGABYTE = 1024 * 1024
MAX_FILE_BYTES = getattr(settings, "TADRIB_PACKAGE_MAX_FILE_BYTES", 50 * MEGABYTE)
MAX_PACKAGE_BYTES = getattr(settings, "TADRIB_PACKAGE_MAX_BYTES", 500 * MEGABYTE)
MAX_JSON_BYTES = 20 * MEGABYTE
SAFE_IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}
IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "webp", "gif"}


def _safe_entry_name(name: str) -> bool:
    """False for zip entries that would land outside the package folder (zip-slip)."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name.split("/")[0]:
        return False
    parts = name.split("/")
    return ".." not in parts and "" not in parts[:-1]


def _raw_bytes(source) -> bytes:
    if hasattr(source, "read"):
        return source.read()
    try:
        with open(source, "rb") as handle:
            return handle.read()
    except OSError as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise PackageError([f"package: cannot be read ({error.strerror or error})"]) from error


def package_read(source) -> tuple[dict, dict[str, bytes]]:
    """Read a `.json` or `.zip` package from a path or binary file; raise PackageError.

    Returns the course dict and the package's media files ({"media/x.png": bytes}).
    FileNotFoundError is left to the caller, which knows how it named the file.
    """
    raw = _raw_bytes(source)
    if len(raw) > MAX_PACKAGE_BYTES:
        raise PackageError([f"package: larger than the {MAX_PACKAGE_BYTES // MEGABYTE} MB limit"])
    media: dict[str, bytes] = {}
    json_bytes = raw
    if raw[:4] == b"PK\x03\x04":
        json_bytes, media = _zip_read(raw)
    if len(json_bytes) > MAX_JSON_BYTES:
        raise PackageError([f"course.json: larger than the {MAX_JSON_BYTES // MEGABYTE} MB limit"])
    try:
        data = json.loads(json_bytes.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise PackageError([f"package: not UTF-8 text ({error.reason})"]) from error
    except json.JSONDecodeError as error:
        raise PackageError(
            [f"package: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from error
    return data, media


def _zip_read(raw: bytes) -> tuple[bytes, dict[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as error:
        raise PackageError([f"package: not a valid zip file ({error})"]) from error
    problems = []
    for info in archive.infolist():
        if not _safe_entry_name(info.filename):
            problems.append(f"zip: entry {info.filename!r} escapes the package folder")
        elif info.file_size > MAX_FILE_BYTES:
            problems.append(
                f"zip: entry {info.filename!r} is larger than the "
                f"{MAX_FILE_BYTES // MEGABYTE} MB limit"
            )
        elif (
            not info.is_dir()
            and info.filename != "course.json"
            and not info.filename.startswith("media/")
        ):
            problems.append(f"zip: entry {info.filename!r} is outside media/")
    if "course.json" not in archive.namelist():
        problems.append("zip: course.json is missing")
    if problems:
        raise PackageError(problems)
    media: dict[str, bytes] = {}
    try:
        json_bytes = archive.read("course.json")
        for info in archive.infolist():
            if info.filename.startswith("media/") and not info.is_dir():
                data = archive.read(info)
                if len(data) > MAX_FILE_BYTES:  # the header lied about the size
                    raise PackageError([f"zip: entry {info.filename!r} is larger than declared"])
                media[info.filename] = data
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as error:
        # A damaged entry, or a compression method Python cannot read.
        raise PackageError([f"package: the zip file cannot be read ({error})"]) from error
    problems = [p for name, data in media.items() if (p := media_file_problem(name, data))]
    if problems:
        raise PackageError(problems)
    return json_bytes, media


def media_file_problem(name: str, data: bytes) -> str | None:
    """Images must really be PNG, JPEG, WebP or GIF (never SVG); documents need an allowed
    extension."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in IMAGE_EXTENSIONS:
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                if image.format not in SAFE_IMAGE_FORMATS:
                    return f"zip: {name!r} is not a PNG, JPEG, WebP or GIF image"
        except Image.DecompressionBombError:
            return f"zip: {name!r} has too many pixels to be an image for the web"
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            return f"zip: {name!r} is not a readable image"
        return None
    if extension not in settings.WAGTAILDOCS_EXTENSIONS:
        return f"zip: {name!r} has a file type that is not allowed ({extension or 'none'})"
    return None


def package_write(target, data: dict, media: dict[str, bytes]) -> None:
    """Write `data` as JSON, or as a zip with course.json and media/ when `target` ends .zip."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    if str(target).endswith(".zip"):
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("course.json", text)
            for name, content in sorted(media.items()):
                archive.writestr(name, content)
        return
    if media:
        raise PackageError(
            ["package: this course uses images or documents; export it as a .zip to include them"]
        )
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(text)
