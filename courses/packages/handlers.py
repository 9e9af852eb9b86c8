"""Activity types in packages: one handler per type, registered by the app that provides it."""

from typing import Any

from .media import PackageMedia


class ActivityHandler:
    """One activity type of `tadrib.course/1` ("module", "quiz", …).

    An app that provides an activity type subclasses this and registers an instance with
    `register_activity_type` in its `AppConfig.ready()`; the importer and the exporter only
    ever talk to handlers, so `courses` never imports the apps that provide activities.
    See docs/course-packages.md, "Adding an activity type".
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
