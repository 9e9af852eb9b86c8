"""Course packages, format `tadrib.course/1` (the format in full: docs/course-packages.md).

- `validation`: pure checks, every problem with its place
  (`activities[2].questions[0].choices: no correct choice`);
- `archive`: reading and writing `.json` and `.zip` files, with their limits and checks;
- `handlers`: one handler per activity type, registered by the app that provides it;
- `modules`: the handler for modules (quizzes register theirs from the quizzes app);
- `importer`: writing a valid package into the page tree, reading a course back.

Nothing is written unless the whole package is valid and every write succeeds: the service
`courses.services.course_import` runs the importer in one transaction.
"""

from .archive import (
    MAX_FILE_BYTES,
    MAX_PACKAGE_BYTES,
    media_file_problem,
    package_read,
    package_write,
)
from .base import (
    DEFAULT_LANGUAGE,
    FORMAT,
    LANGUAGE_CODES,
    PackageError,
    set_translated,
    translated_values,
)
from .handlers import ACTIVITY_HANDLERS, ActivityHandler, handler_for_page, register_activity_type
from .importer import course_export, package_import
from .media import PackageMedia
from .modules import ModuleHandler
from .validation import bool_problems, int_problems, package_problems, slug_problems, text_problems

__all__ = [
    "ACTIVITY_HANDLERS",
    "DEFAULT_LANGUAGE",
    "FORMAT",
    "LANGUAGE_CODES",
    "MAX_FILE_BYTES",
    "MAX_PACKAGE_BYTES",
    "ActivityHandler",
    "ModuleHandler",
    "PackageError",
    "PackageMedia",
    "bool_problems",
    "course_export",
    "handler_for_page",
    "int_problems",
    "media_file_problem",
    "package_import",
    "package_problems",
    "package_read",
    "package_write",
    "register_activity_type",
    "set_translated",
    "slug_problems",
    "text_problems",
    "translated_values",
]
