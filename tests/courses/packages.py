"""Small `tadrib.course/1` packages for tests, and helpers to write and upload them."""

import io
import json

T = {"en": "English", "fr": "Français", "ar": "العربية"}


def module(slug: str, text: str = "Text", **changes) -> dict:
    data = {
        "type": "module",
        "slug": slug,
        "title": {"en": f"Module {slug}", "fr": f"Module {slug} fr", "ar": f"وحدة {slug}"},
        "required": True,
        "body": {"en": [{"type": "paragraph", "value": f"<p>{text}</p>"}]},
    }
    data.update(changes)
    return data


def minimal(**changes) -> dict:
    data = {
        "format": "tadrib.course/1",
        "slug": "mini",
        "title": {"en": "Mini course", "fr": "Mini cours"},
        "summary": {"en": "A short course."},
        "activities": [
            {
                "type": "module",
                "slug": "one",
                "title": dict(T),
                "required": True,
                "body": {"en": [{"type": "paragraph", "value": "<p>Hello</p>"}]},
            }
        ],
    }
    data.update(changes)
    return data


def write(tmp_path, data, name="course.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def upload(data, name="course.json") -> io.BytesIO:
    """A package as the admin's file field receives it."""
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    handle = io.BytesIO(content)
    handle.name = name
    return handle
