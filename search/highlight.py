"""The passage of a text that a result shows, with the matched words marked. Pure.

The passage is returned as segments of plain text, each marked or not; the template escapes
every segment and wraps the marked ones in `<mark>`, so nothing in the text can become markup.
Words are read only as far as the passage needs: up to the first match and its window.
"""

import re
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from .normalise import Word, iter_words, key_forms, singular

_SPACES = re.compile(r"\s+")
WORDS_BEFORE = 10
PASSAGE_WORDS = 36


@dataclass(frozen=True)
class Passage:
    segments: tuple[tuple[str, bool], ...]
    cut_before: bool = False
    cut_after: bool = False

    def __bool__(self) -> bool:
        return bool(self.segments)


def is_marked(word_key: str, marks: tuple[str, ...]) -> bool:
    # Cached only for short words and queries, so the cache stays bounded in characters too.
    if len(word_key) + sum(len(m) for m in marks) > 160:
        return _is_marked(word_key, marks)
    return _cached_is_marked(word_key, marks)


def _is_marked(word_key: str, marks: tuple[str, ...]) -> bool:
    return any(
        form.startswith(m) or singular(form).startswith(m)
        for form in key_forms(word_key)
        for m in marks
    )


_cached_is_marked = lru_cache(maxsize=50_000)(_is_marked)


def passage(text: str, marks: tuple[str, ...], *, length: int = PASSAGE_WORDS) -> Passage:
    """About `length` words of `text` around its first marked word (its start if none)."""
    stream = iter_words(text)
    before: deque[Word] = deque(maxlen=min(WORDS_BEFORE, length // 3))
    opening: list[Word] = []
    first: Word | None = None
    for word in stream:
        if is_marked(word.key, marks):
            first = word
            break
        before.append(word)
        if len(opening) < length:
            opening.append(word)
    if first is None:
        if not opening:
            stripped = _SPACES.sub(" ", text.strip())
            return Passage(((stripped, False),) if stripped else ())
        return _segments(text, opening, marks, cut_before=False, cut_after=len(opening) >= length)
    window = [*before, first, *islice(stream, length - len(before) - 1)]
    cut_after = next(stream, None) is not None
    return _segments(
        text,
        window,
        marks,
        cut_before=window[0] is not opening[0] if opening else False,
        cut_after=cut_after,
    )


def _segments(
    text: str, window: list[Word], marks, *, cut_before: bool, cut_after: bool
) -> Passage:
    segments: list[tuple[str, bool]] = []
    position = window[0].start
    for word in window:
        if not is_marked(word.key, marks):
            continue
        if word.start > position:
            segments.append((text[position : word.start], False))
        segments.append((text[word.start : word.end], True))
        position = word.end
    stop = window[-1].end if cut_after else len(text.rstrip())
    if stop > position:
        segments.append((text[position:stop], False))
    return Passage(
        tuple((_SPACES.sub(" ", s), m) for s, m in segments),
        cut_before=cut_before,
        cut_after=cut_after,
    )
