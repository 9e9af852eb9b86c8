"""Static files as learners on slow links need them, in every setting that serves (production
and `make run`): hashed names, precompressed (brotli and gzip), cached for a year.

docs/page-weight.md has the figures. WhiteNoise serves them from gunicorn, as nothing sits in
front of it.
"""

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage, with hashed URLs under DEBUG too (`make run`), so what
    a newcomer's demo serves is cached and compressed as production is.

    Under DEBUG only, a name missing from the manifest (a checkout that never ran
    collectstatic, a file added since) falls back to its plain URL, which WhiteNoise serves
    from the source folders (WHITENOISE_USE_FINDERS); production keeps failing loudly.
    """

    def url(self, name, force=True):
        try:
            return super().url(name, force=True)
        except ValueError:
            if settings.DEBUG:
                return super().url(name, force=False)
            raise


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with hashed files cached for one year (RFC 9111's customary ceiling)
    rather than WhiteNoise's ten: `Cache-Control: max-age=31536000, public, immutable`."""

    FOREVER = 31_536_000
