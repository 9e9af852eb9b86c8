"""The passage of a text that a result shows, with the matched words marked. Pure.

The passage is returned as segments of plain text, each marked or not; the template escapes
every segment and wraps the marked ones in `<mark>`, so nothing in the text can become markup.
"""

import re
from dataclasses import dataclass

from .normalise import key_forms, singular, words

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
    return any(
        form.startswith(m) or singular(form).startswith(m)
        for form in key_forms(word_key)
        for m in marks
    )


def passage(text: str, marks: tuple[str, ...], *, length: int = PASSAGE_WORDS) -> Passage:
    """About `length` words of `text` around its first marked word (its start if none)."""
    found = words(text)
    if not found:
        return Passage(((_SPACES.sub(" ", text.strip()), False),) if text.strip() else ())
    flags = [is_marked(w.key, marks) for w in found]
    first = flags.index(True) if True in flags else 0
    start = max(0, first - min(WORDS_BEFORE, length // 3)) if True in flags else 0
    end = min(len(found), start + length)
    start = max(0, min(start, end - length))
    segments: list[tuple[str, bool]] = []
    position = found[start].start
    for word, marked in zip(found[start:end], flags[start:end], strict=True):
        if not marked:
            continue
        if word.start > position:
            segments.append((text[position : word.start], False))
        segments.append((text[word.start : word.end], True))
        position = word.end
    stop = found[end - 1].end if end < len(found) else len(text.rstrip())
    if stop > position:
        segments.append((text[position:stop], False))
    return Passage(
        tuple((_SPACES.sub(" ", s), m) for s, m in segments),
        cut_before=start > 0,
        cut_after=end < len(found),
    )
