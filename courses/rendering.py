"""Post-processors of rendered lesson bodies: how other apps add to a module's text without
courses importing them (the glossary links its terms this way).

An app registers a processor from its `AppConfig.ready()`. `render_cache.rendered_stream`
asks every processor for its `cache_token`, keys the cached body by them, then passes the
rendered body through the processors in registration order, each with the token it gave. So
whatever a processor's output depends on besides the body (for the glossary: its terms)
invalidates the cached HTML when it changes, and the HTML is made for the token it is kept
under.

A processor receives HTML that the block templates rendered (authored text already sanitised)
and must return HTML that is as safe. Its output is shared by every learner: it must not read
the user or the session. It must leave alone every element marked `NO_AUTOLINK` — blocks for
which the trainer switched automatic links off, and legal citations — and should leave
headings and links alone.
"""

from typing import Protocol

from django.utils.html import format_html

# Marks an element (and everything in it) that processors must not add links to.
NO_AUTOLINK_ATTRIBUTE = "data-autolink"
NO_AUTOLINK_VALUE = "off"


class BodyProcessor(Protocol):
    def cache_token(self, request) -> str:
        """A short string that changes whenever `process` could give another result."""

    def process(self, html: str, *, token: str, text_language: str, reader_language: str) -> str:
        """`html` with additions, for the state `token` (from `cache_token`) describes:
        `text_language` is the language the body is written in (it differs from the
        reader's when the body falls back), `reader_language` the interface's."""


_processors: list[BodyProcessor] = []


def register_body_processor(processor: BodyProcessor) -> None:
    """Add `processor` (once) to the chain every rendered body goes through."""
    if processor not in _processors:
        _processors.append(processor)


def body_processors() -> tuple[BodyProcessor, ...]:
    return tuple(_processors)


def processor_tokens(request) -> tuple[str, ...]:
    """What the registered processors depend on now: part of the render cache key."""
    return tuple(p.cache_token(request) for p in _processors)


def process_body(
    html: str, *, tokens: tuple[str, ...], text_language: str, reader_language: str
) -> str:
    """`html` through every processor, each given its token from `processor_tokens`."""
    for processor, token in zip(_processors, tokens, strict=True):
        html = processor.process(
            html, token=token, text_language=text_language, reader_language=reader_language
        )
    return html


def no_autolink(html) -> str:
    """`html` in an element that processors leave alone."""
    return format_html('<div {}="{}">{}</div>', NO_AUTOLINK_ATTRIBUTE, NO_AUTOLINK_VALUE, html)
