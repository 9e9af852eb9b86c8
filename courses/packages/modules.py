"""Modules in packages: a translated title and, per language, a list of StreamField blocks.

Block types are the names in `MODULE_BLOCKS`; each block value is checked by the block itself
(`to_python` then `clean`), so a package holds exactly what the page editor accepts. Blocks that
point at files (images, documents, videos) hold a path inside the zip instead of an id.
"""

from django.core.exceptions import ValidationError

from ..blocks import MODULE_BLOCKS
from ..models import ModulePage
from .base import DEFAULT_LANGUAGE, LANGUAGE_CODES, set_translated, translated_values
from .handlers import ActivityHandler
from .media import PackageMedia, media_export
from .validation import TITLE_MAX_LENGTH, bool_problems, int_problems, text_problems

BLOCKS = dict(MODULE_BLOCKS)
# Block fields that point at files, and what each file becomes ("image" or "document").
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
    for code, stream in body.items():
        if code not in LANGUAGE_CODES:
            continue
        if not isinstance(stream, list):
            problems.append(f"{place}.{code}: expected a list of blocks")
            continue
        for i, block in enumerate(stream):
            problems += _block_problems(block, f"{place}.{code}[{i}]", media)
    return problems


def _block_problems(block, place: str, media: frozenset[str]) -> list[str]:
    if not isinstance(block, dict) or "type" not in block or "value" not in block:
        return [f"{place}: expected an object with type and value"]
    kind = block["type"]
    if not isinstance(kind, str) or kind not in BLOCKS:
        return [f"{place}.type: unknown block type {kind!r}"]
    if kind in MEDIA_FIELDS:
        return _media_block_problems(BLOCKS[kind], kind, block["value"], f"{place}.value", media)
    return _block_value_problems(BLOCKS[kind], block["value"], f"{place}.value")


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
    problems = text_problems(data.get("title"), f"{place}.title", max_length=TITLE_MAX_LENGTH)
    problems += body_problems(data.get("body"), f"{place}.body", media)
    problems += bool_problems(data, "required", place)
    if "estimated_minutes" in data:
        problems += int_problems(
            data["estimated_minutes"], f"{place}.estimated_minutes", maximum=10_000
        )
    return problems


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
        for raw in stream.raw_data:  # without Wagtail's per-block ids
            block = {"type": raw["type"], "value": _plain(raw["value"])}
            if block["type"] in MEDIA_FIELDS:
                value = dict(block["value"])
                for name, kind in MEDIA_FIELDS[block["type"]].items():
                    if value.get(name):
                        value[name] = media_export(kind, value[name], media)
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
    """The body per language, file paths replaced by the ids of the stored files."""
    bodies = {}
    for code in LANGUAGE_CODES:
        blocks = []
        for i, block in enumerate(data["body"].get(code) or []):
            value = block["value"]
            if block["type"] in MEDIA_FIELDS:
                value = dict(value)
                for name, kind in MEDIA_FIELDS[block["type"]].items():
                    if value.get(name):
                        value[name] = media.store(
                            kind, value[name], place=f"body.{code}[{i}].value.{name}"
                        )
            blocks.append({"type": block["type"], "value": value})
        bodies[code] = blocks
    return bodies


class ModuleHandler(ActivityHandler):
    """Modules: a translated title and a StreamField body per language."""

    type = "module"
    model = ModulePage

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
