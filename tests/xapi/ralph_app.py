"""Ralph's own LRS application for the tests, with one setting changed: its file backend
writes each POST with operation `create`, which refuses once the file exists, so Ralph 5.1
with the file backend accepts one batch only. Appending lets it take every batch; the
statements API, its validation and its handling of known ids are Ralph's, unchanged."""

from ralph.api import app
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

__all__ = ["app"]
