"""Local development: `make run` serves the demo with these settings."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-used-in-production"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]  # noqa: F405
INTERNAL_IPS = ["127.0.0.1"]
# Static files as production serves them (hashed, compressed, a year's cache): `make run`
# collects them first. Under DEBUG a file not collected yet is served from static/ by name.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
