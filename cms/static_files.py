"""Static files as learners on slow links need them, in every setting that serves (production
and `make run`): hashed names, precompressed (brotli and gzip), cached for a year.

docs/page-weight.md has the figures. WhiteNoise serves them from gunicorn, as nothing sits in
front of it.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage

CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
JS_COMMENT_LINE = re.compile(r"^[ \t]*//.*\n", re.M)
# A block comment that starts a line (where `/*` can only open a comment) and ends one.
JS_COMMENT_BLOCK = re.compile(r"^[ \t]*/\*(?:(?!\*/).)*\*/[ \t]*\n", re.M | re.S)
INDENT = re.compile(r"^[ \t]+", re.M)
BLANK_LINES = re.compile(r"\n{2,}")


def slim(name: str, text: str) -> str:
    """The project's own stylesheet or script without what only its readers need: comments
    (in scripts, only comments that take whole lines), indentation and blank lines. Nothing else
    changes: no renaming, no joined lines, so a line in the browser is a line in the source.
    Every first visit of a learner on a slow link downloads these (docs/page-weight.md)."""
    if name.endswith(".css"):
        text = CSS_COMMENT.sub("", text)
    elif name.endswith(".js"):
        text = JS_COMMENT_LINE.sub("", JS_COMMENT_BLOCK.sub("", text))
    else:
        return text
    return BLANK_LINES.sub("\n", INDENT.sub("", text)).lstrip("\n")


def own(storage) -> bool:
    """Whether a finder's storage holds the project's files (not an installed package's)."""
    location = Path(getattr(storage, "location", "") or "/").resolve()
    base = Path(settings.BASE_DIR).resolve()
    return (
        location.is_relative_to(base)
        and ".venv" not in location.parts
        and ("site-packages" not in location.parts)
    )


class SlimSource:
    """A finder's storage whose `open` gives the slimmed text of one CSS or JS file."""

    def __init__(self, storage, name: str):
        self.storage, self.name = storage, name

    def open(self, path, mode="rb"):
        with self.storage.open(path, mode) as original:
            text = original.read().decode("utf-8")
        return ContentFile(slim(self.name, text).encode("utf-8"), name=path)

    def __getattr__(self, attribute):
        return getattr(self.storage, attribute)


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage, with hashed URLs under DEBUG too (`make run`), so what
    a newcomer's demo serves is cached and compressed as production is.

    Under DEBUG only, a name missing from the manifest (a checkout that never ran
    collectstatic, a file added since) falls back to its plain URL, which WhiteNoise serves
    from the source folders (WHITENOISE_USE_FINDERS); production keeps failing loudly.
    """

    def post_process(self, paths, dry_run=False, **options):
        """Slim the project's own CSS and JS (`slim`) as collected, before they are hashed
        and compressed; installed packages' files (Wagtail's admin) are left as they are.
        Django hashes from the finder's storage, so that is what is wrapped."""
        if not dry_run:
            paths = dict(paths)
            for name, (storage, source) in paths.items():
                if name.endswith((".css", ".js")) and own(storage):
                    paths[name] = (SlimSource(storage, name), source)
                    target = Path(self.path(name))
                    target.write_text(slim(name, target.read_text(encoding="utf-8")), "utf-8")
        yield from super().post_process(paths, dry_run=dry_run, **options)

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
