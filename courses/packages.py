"""Course packages, format `tadrib.course/1` (DESIGN.md, "Contracts").

Validation is pure (dicts in, problems out) and complete: every problem is reported with its
place, e.g. `activities[2].questions[0].choices: no correct choice`. Nothing is written unless
the whole package is valid. Activity types register a handler, so `courses` never imports the
apps that provide them (quizzes register "quiz").
"""

from typing import Any

from django.conf import settings
from django.utils.text import slugify

from cms.sanitize import sanitize_html, strip_html

FORMAT = "tadrib.course/1"
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
DEFAULT_LANGUAGE = settings.LANGUAGE_CODE


class PackageMedia:
    """The files that came with a package ({"media/x.png": bytes}), stored as Wagtail images or
    documents the first time an activity refers to them, once per path."""

    def __init__(self, files: dict[str, bytes] | None = None):
        self.files = files or {}
        self._stored: dict[str, int] = {}

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.files)

    def store(self, kind: str, path: str) -> int:
        """The id of the image (`kind` "image") or document stored for `path`."""
        import io

        from django.core.files.base import ContentFile
        from django.core.files.images import ImageFile
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model

        if path not in self._stored:
            filename = path.rsplit("/", 1)[-1]
            model = get_image_model() if kind == "image" else get_document_model()
            item = model(title=filename.rsplit(".", 1)[0][:255])
            content = (
                ImageFile(io.BytesIO(self.files[path]), name=filename)
                if kind == "image"
                else ContentFile(self.files[path], name=filename)
            )
            item.file.save(filename, content, save=False)
            item.save()
            self._stored[path] = item.pk
        return self._stored[path]


class ActivityHandler:
    """One activity type of `tadrib.course/1` ("module", "quiz", …).

    An app that provides an activity type subclasses this and registers an instance with
    `register_activity_type` in its `AppConfig.ready()`; the importer and the exporter only
    ever talk to handlers, so `courses` never imports the apps that provide activities.
    """

    type: str
    model: Any  # the page model of the activity

    def validate(self, data: dict, place: str, *, media: frozenset[str]) -> list[str]:
        """Every problem in `data` as "place.sub.path: message"; empty when valid. Pure."""
        raise NotImplementedError

    def create(self, *, course, data: dict, media: PackageMedia):
        """A new published activity page from valid `data`, added as the last child of
        `course`. Runs inside the importer's transaction."""
        raise NotImplementedError

    def update(self, *, course, page, data: dict, media: PackageMedia):
        """Change the existing activity `page` in place from valid `data` and publish it, so
        learners' progress, attempts and grades on it survive `import_course --replace`."""
        raise NotImplementedError

    def export(self, page, *, media: dict[str, bytes]) -> dict:
        """The activity in package form; files it uses are added to `media`."""
        raise NotImplementedError


ACTIVITY_HANDLERS: dict[str, ActivityHandler] = {}


def register_activity_type(handler: ActivityHandler) -> None:
    ACTIVITY_HANDLERS[handler.type] = handler


def handler_for_page(page) -> ActivityHandler | None:
    return next((h for h in ACTIVITY_HANDLERS.values() if isinstance(page, h.model)), None)


class PackageError(Exception):
    """A package that cannot be imported; `problems` lists every reason with its place."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


# --- small validators shared by activity handlers -------------------------------------------


def text_problems(value, place: str, *, required: bool = True) -> list[str]:
    """A translated text: {"en": …, "fr": …, "ar": …}; English required when `required`."""
    if value is None:
        return [f"{place}: missing"] if required else []
    if not isinstance(value, dict):
        return [f"{place}: expected an object with en, fr, ar texts"]
    problems = [f"{place}: unknown language {key!r}" for key in value if key not in LANGUAGE_CODES]
    problems += [
        f"{place}.{key}: expected a string"
        for key, text in value.items()
        if key in LANGUAGE_CODES and not isinstance(text, str)
    ]
    if required and not (
        isinstance(value.get(DEFAULT_LANGUAGE), str) and value[DEFAULT_LANGUAGE].strip()
    ):
        problems.append(f"{place}.{DEFAULT_LANGUAGE}: English text is required")
    return problems


def slug_problems(value, place: str) -> list[str]:
    if not isinstance(value, str) or not value:
        return [f"{place}: missing"]
    if slugify(value) != value:
        return [f"{place}: not a valid slug (lowercase letters, digits and hyphens)"]
    return []


def int_problems(value, place: str, *, minimum: int = 0, maximum: int | None = None) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, int):
        return [f"{place}: expected a whole number"]
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and {maximum}" if maximum is not None else ""
        return [
            f"{place}: must be between {minimum}{upper}"
            if upper
            else f"{place}: must be at least {minimum}"
        ]
    return []


def set_translated(obj, field: str, value: dict | None, *, html: bool = False) -> None:
    """Set `field_en/_fr/_ar` from a translated dict; missing languages become empty.

    Rich-text fields pass `sanitize_html`; plain-text fields lose any markup.
    """
    for code in LANGUAGE_CODES:
        text = (value or {}).get(code) or ""
        setattr(obj, f"{field}_{code}", sanitize_html(text) if html else strip_html(text))


def translated_values(obj, field: str) -> dict:
    """The non-empty translations of `field`, as the package format writes them."""
    return {
        code: text for code in LANGUAGE_CODES if (text := getattr(obj, f"{field}_{code}", None))
    }


# --- modules and courses -----------------------------------------------------------------------


def _module_blocks():
    from .blocks import MODULE_BLOCKS

    return dict(MODULE_BLOCKS)


# Block fields that point at files: in a package they hold a path inside the zip ("media/…").
MEDIA_FIELDS = {
    "image": {"image": "image"},
    "document": {"document": "document"},
    "video": {"video": "document", "captions": "document"},
}


def body_problems(body, place: str, media: frozenset[str] = frozenset()) -> list[str]:
    if body is None:
        return [f"{place}: missing"]
    if not isinstance(body, dict):
        return [f"{place}: expected an object with en, fr, ar block lists"]
    problems = [f"{place}: unknown language {key!r}" for key in body if key not in LANGUAGE_CODES]
    if not body.get(DEFAULT_LANGUAGE):
        problems.append(f"{place}.{DEFAULT_LANGUAGE}: English body is required")
    blocks = _module_blocks()
    for code, stream in body.items():
        if code not in LANGUAGE_CODES:
            continue
        if not isinstance(stream, list):
            problems.append(f"{place}.{code}: expected a list of blocks")
            continue
        for i, block in enumerate(stream):
            where = f"{place}.{code}[{i}]"
            if not isinstance(block, dict) or "type" not in block or "value" not in block:
                problems.append(f"{where}: expected an object with type and value")
            elif block["type"] not in blocks:
                problems.append(f"{where}.type: unknown block type {block['type']!r}")
            elif block["type"] in MEDIA_FIELDS:
                problems += _media_block_problems(
                    blocks[block["type"]], block["type"], block["value"], f"{where}.value", media
                )
            else:
                problems += _block_value_problems(
                    blocks[block["type"]], block["value"], f"{where}.value"
                )
    return problems


def _media_block_problems(block, kind: str, value, place: str, media: frozenset[str]) -> list[str]:
    if not isinstance(value, dict):
        return [f"{place}: expected an object"]
    problems = []
    for name, child in block.child_blocks.items():
        if name in MEDIA_FIELDS[kind]:
            ref = value.get(name)
            if ref in (None, "") and not child.required:
                continue
            if not isinstance(ref, str) or not ref:
                problems.append(f"{place}.{name}: expected the path of a file in the package")
            elif ref not in media:
                problems.append(f"{place}.{name}: file {ref!r} is not in the package")
        else:
            problems += _block_value_problems(child, value.get(name), f"{place}.{name}")
    return problems


def _block_value_problems(block, value, place: str) -> list[str]:
    from django.core.exceptions import ValidationError

    try:
        block.clean(block.to_python(value))
    except ValidationError as error:
        detail = getattr(error, "block_errors", None)
        if isinstance(detail, dict) and detail:
            return [f"{place}.{name}: {'; '.join(_messages(e))}" for name, e in detail.items()]
        return [f"{place}: {'; '.join(_messages(error))}"]
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        return [f"{place}: malformed value ({error.__class__.__name__})"]
    return []


def _messages(error) -> list[str]:
    if hasattr(error, "messages"):
        return [str(m) for m in error.messages]
    if isinstance(error, list | tuple):
        return [m for e in error for m in _messages(e)]
    return [str(error)]


def module_validate(data: dict, place: str, media: frozenset[str] = frozenset()) -> list[str]:
    problems = text_problems(data.get("title"), f"{place}.title")
    problems += body_problems(data.get("body"), f"{place}.body", media)
    if "required" in data and not isinstance(data["required"], bool):
        problems.append(f"{place}.required: expected true or false")
    if "estimated_minutes" in data:
        problems += int_problems(
            data["estimated_minutes"], f"{place}.estimated_minutes", maximum=10_000
        )
    return problems


def package_problems(data, media: frozenset[str] = frozenset()) -> list[str]:
    """Every problem in a package, each with its place. Empty when the package is valid.

    `media` holds the paths of the files that came with the package (zip entries).
    """
    if not isinstance(data, dict):
        return ["package: expected a JSON object"]
    if data.get("format") != FORMAT:
        return [f"format: expected {FORMAT!r}, got {data.get('format')!r}"]
    problems = slug_problems(data.get("slug"), "slug")
    problems += text_problems(data.get("title"), "title")
    problems += text_problems(data.get("summary"), "summary")
    for optional in ("objectives", "audience"):
        problems += text_problems(data.get(optional), optional, required=False)
    if "estimated_minutes" in data:
        problems += int_problems(data["estimated_minutes"], "estimated_minutes", maximum=100_000)
    activities = data.get("activities")
    if not isinstance(activities, list) or not activities:
        return [*problems, "activities: expected a non-empty list"]
    seen: dict[str, int] = {}
    for i, activity in enumerate(activities):
        place = f"activities[{i}]"
        if not isinstance(activity, dict):
            problems.append(f"{place}: expected an object")
            continue
        slug = activity.get("slug")
        problems += slug_problems(slug, f"{place}.slug")
        if isinstance(slug, str) and slug in seen:
            problems.append(f"{place}.slug: duplicate of activities[{seen[slug]}].slug {slug!r}")
        elif isinstance(slug, str):
            seen[slug] = i
        kind = activity.get("type")
        if kind in ACTIVITY_HANDLERS:
            problems += ACTIVITY_HANDLERS[kind].validate(activity, place, media=media)
        else:
            problems.append(f"{place}.type: unknown activity type {kind!r}")
    return problems


def _media_out(kind: str, pk, media: dict[str, bytes]) -> str | None:
    """Add the image or document `pk` to `media`; return its path in the package."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    model = get_image_model() if kind == "image" else get_document_model()
    item = model.objects.filter(pk=pk).first()
    if item is None:
        return None
    name = f"media/{kind}-{item.pk}-{item.file.name.rsplit('/', 1)[-1]}"
    if name not in media:
        with item.file.open("rb") as handle:
            media[name] = handle.read()
    return name


def _plain(value):
    """Stored block data in package form: ListBlock items lose their {"type": "item", "id"}
    wrapping, as written by hand."""
    if isinstance(value, list):
        return [
            _plain(v["value"])
            if isinstance(v, dict) and v.get("type") == "item" and "value" in v
            else _plain(v)
            for v in value
        ]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def module_export(page, media: dict[str, bytes] | None = None) -> dict:
    media = {} if media is None else media
    body = {}
    for code in LANGUAGE_CODES:
        stream = getattr(page, f"body_{code}", None)
        if not stream:
            continue
        blocks = []
        for block in stream.raw_data:  # without Wagtail's per-block ids
            block = {"type": block["type"], "value": _plain(block["value"])}
            if block["type"] in MEDIA_FIELDS:
                value = dict(block["value"])
                for name, kind in MEDIA_FIELDS[block["type"]].items():
                    if value.get(name):
                        value[name] = _media_out(kind, value[name], media)
                block["value"] = value
            blocks.append(block)
        body[code] = blocks
    return {
        "type": "module",
        "slug": page.slug_en or page.slug,
        "title": translated_values(page, "title"),
        "required": page.required,
        "estimated_minutes": page.estimated_minutes,
        "body": body,
    }


def _module_body(data: dict, media: PackageMedia) -> dict[str, list]:
    bodies = {}
    for code in LANGUAGE_CODES:
        blocks = []
        for block in data["body"].get(code) or []:
            value = block["value"]
            if block["type"] in MEDIA_FIELDS:
                value = dict(value)
                for name, kind in MEDIA_FIELDS[block["type"]].items():
                    if value.get(name):
                        value[name] = media.store(kind, value[name])
            blocks.append({"type": block["type"], "value": value})
        bodies[code] = blocks
    return bodies


class ModuleHandler(ActivityHandler):
    """Modules: a translated title and a StreamField body per language."""

    type = "module"

    def __init__(self):
        from .models import ModulePage

        self.model = ModulePage

    def validate(self, data: dict, place: str, *, media: frozenset[str]) -> list[str]:
        return module_validate(data, place, media)

    def _fill(self, page, data: dict, media: PackageMedia) -> None:
        page.required = data.get("required", True)
        page.estimated_minutes = data.get("estimated_minutes", 15)
        set_translated(page, "title", data.get("title"))
        page.title = page.title_en
        page.slug = page.slug_en = data["slug"]
        for code, blocks in _module_body(data, media).items():
            setattr(page, f"body_{code}", blocks)

    def create(self, *, course, data: dict, media: PackageMedia):
        page = self.model()
        self._fill(page, data, media)
        course.refresh_from_db()
        course.add_child(instance=page)
        page.save_revision().publish()
        return page

    def update(self, *, course, page, data: dict, media: PackageMedia):
        self._fill(page, data, media)
        page.save_revision().publish()
        return page

    def export(self, page, *, media: dict[str, bytes]) -> dict:
        return module_export(page, media)


def course_export(course) -> tuple[dict, dict[str, bytes]]:
    """The course and its activities as a `tadrib.course/1` dict, plus the media it uses."""
    from .selectors import activity_models

    children = []
    for model in activity_models():
        children += list(model.objects.child_of(course))
    media: dict[str, bytes] = {}
    activities = []
    for page in sorted(children, key=lambda p: p.path):
        handler = handler_for_page(page)
        if handler is not None:
            activities.append(handler.export(page, media=media))
    data = {
        "format": FORMAT,
        "slug": course.slug_en or course.slug,
        "title": translated_values(course, "title"),
        "summary": translated_values(course, "summary"),
        "objectives": translated_values(course, "objectives"),
        "audience": translated_values(course, "audience"),
        "estimated_minutes": course.estimated_minutes,
        "activities": activities,
    }
    for optional in ("objectives", "audience"):
        if not data[optional]:
            del data[optional]
    return data, media


# --- reading and writing package files ----------------------------------------------------------

MAX_FILE_BYTES = getattr(settings, "TADRIB_PACKAGE_MAX_FILE_BYTES", 50 * 1024 * 1024)
MAX_PACKAGE_BYTES = getattr(settings, "TADRIB_PACKAGE_MAX_BYTES", 500 * 1024 * 1024)
MAX_JSON_BYTES = 20 * 1024 * 1024


def _safe_entry_name(name: str) -> bool:
    """False for zip entries that would land outside the package folder (zip-slip)."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name.split("/")[0]:
        return False
    parts = name.split("/")
    return ".." not in parts and "" not in parts[:-1]


def package_read(source) -> tuple[dict, dict[str, bytes]]:
    """Read a `.json` or `.zip` package from a path or binary file; raise PackageError.

    Returns the course dict and the package's media files ({"media/x.png": bytes}).
    """
    import io
    import json
    import zipfile

    raw = source.read() if hasattr(source, "read") else open(source, "rb").read()  # noqa: SIM115
    if len(raw) > MAX_PACKAGE_BYTES:
        raise PackageError(
            [f"package: larger than the {MAX_PACKAGE_BYTES // (1024 * 1024)} MB limit"]
        )
    media: dict[str, bytes] = {}
    if raw[:4] == b"PK\x03\x04":
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
                    f"{MAX_FILE_BYTES // (1024 * 1024)} MB limit"
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
        json_bytes = archive.read("course.json")
        for info in archive.infolist():
            if info.filename.startswith("media/") and not info.is_dir():
                data = archive.read(info)
                if len(data) > MAX_FILE_BYTES:  # the header lied about the size
                    raise PackageError([f"zip: entry {info.filename!r} is larger than declared"])
                media[info.filename] = data
        problems = [p for name, data in media.items() if (p := media_file_problem(name, data))]
        if problems:
            raise PackageError(problems)
    else:
        json_bytes = raw
    if len(json_bytes) > MAX_JSON_BYTES:
        raise PackageError(["course.json: larger than the 20 MB limit"])
    try:
        data = json.loads(json_bytes.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise PackageError([f"package: not UTF-8 text ({error.reason})"]) from error
    except json.JSONDecodeError as error:
        raise PackageError(
            [f"package: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from error
    return data, media


SAFE_IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}


def media_file_problem(name: str, data: bytes) -> str | None:
    """Images must really be PNG, JPEG, WebP or GIF (never SVG); documents need an allowed
    extension."""
    import io

    from PIL import Image, UnidentifiedImageError

    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in {"png", "jpg", "jpeg", "webp", "gif"}:
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                if image.format not in SAFE_IMAGE_FORMATS:
                    return f"zip: {name!r} is not a PNG, JPEG, WebP or GIF image"
        except (UnidentifiedImageError, OSError, SyntaxError):
            return f"zip: {name!r} is not a readable image"
        return None
    if extension not in settings.WAGTAILDOCS_EXTENSIONS:
        return f"zip: {name!r} has a file type that is not allowed ({extension or 'none'})"
    return None


def package_write(target, data: dict, media: dict[str, bytes]) -> None:
    """Write `data` as JSON, or as a zip with course.json and media/ when `target` ends .zip."""
    import json
    import zipfile

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
