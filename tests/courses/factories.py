"""Course trees for tests: a catalogue under the home page, courses, modules."""

from django.utils import translation

from courses.models import CourseIndexPage, CoursePage, ModulePage


def _texts(obj, field, values: dict) -> None:
    for code in ("en", "fr", "ar"):
        setattr(obj, f"{field}_{code}", values.get(code, ""))


def catalogue() -> CourseIndexPage:
    """The catalogue `setup_site` creates (use the `site` fixture first)."""
    return CourseIndexPage.objects.get()


def make_course(
    *, slug="course", title=None, summary=None, parent=None, live=True, **fields
) -> CoursePage:
    parent = parent or catalogue()
    parent.refresh_from_db()
    title = title or {"en": f"Course {slug}", "fr": f"Cours {slug}", "ar": f"دورة {slug}"}
    summary = summary or {"en": "Summary", "fr": "Résumé", "ar": "ملخص"}
    with translation.override("en"):
        course = CoursePage(title=title["en"], slug=slug, slug_en=slug, live=live, **fields)
        _texts(course, "title", title)
        _texts(course, "summary", summary)
        _texts(course, "audience", {"en": "Investigators", "fr": "Enquêteurs", "ar": "المحققون"})
        _texts(course, "objectives", {"en": "<p>o</p>", "fr": "<p>o</p>", "ar": "<p>o</p>"})
        parent.add_child(instance=course)
        if live:
            course.save_revision().publish()
    return course


def paragraph_blocks(count: int, text="Text") -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text} {i}</p>"} for i in range(count)]


def make_module(
    course: CoursePage, *, slug="module", title=None, body=None, live=True, required=True, blocks=3
) -> ModulePage:
    course.refresh_from_db()
    title = title or {"en": f"Module {slug}", "fr": f"Module {slug} fr", "ar": f"وحدة {slug}"}
    if body is None:
        body = {code: paragraph_blocks(blocks, text=code) for code in ("en", "fr", "ar")}
    with translation.override("en"):
        module = ModulePage(
            title=title["en"], slug=slug, slug_en=slug, required=required, live=live
        )
        _texts(module, "title", title)
        for code in ("en", "fr", "ar"):
            setattr(module, f"body_{code}", body.get(code, []))
        course.add_child(instance=module)
        if live:
            module.save_revision().publish()
        else:
            module.save_revision()
    return module
