"""Text normalisation shared by the search index, search queries and glossary links.

Pure functions, no Django. Arabic is written with or without short vowels (tashkeel), with
decorative stretching (tatweel), with several alef forms and with final letters that typists
interchange; French with or without accents. Matching compares *keys*: the same key for every
way of writing a word. The rules, each a function of its own:

- tashkeel removed (fatha, damma, kasra, tanwin, shadda, sukun, dagger alef, Quranic marks);
- tatweel (ـ) removed;
- alef forms أ إ آ ٱ → ا; alef maqsura ى → ي; ta marbuta ة → ه;
- Arabic-Indic and Eastern Arabic-Indic digits → 0-9 (٢٤/٧ is 24/7);
- Latin letters folded: case, accents and cedilla (é → e, ç → c), ligatures (œ → oe, æ → ae);
- for matching only, a leading article is stripped from Arabic words: ال, and the article
  after a one-letter conjunction or preposition (وال فال بال كال) or ل (لل, ولل, فلل), when
  enough of the word remains that it cannot be the article's letters themselves;
- for matching only, a word with a one-letter conjunction or preposition attached (و ف ب ل ك:
  "وبيانات", "لشبكة") also matches the word without it (`without_proclitic`);
- for matching only, `singular` drops a final s or x from a Latin key of more than three
  letters, so "requests" and "request", "données" and "donnée" compare equal.

See docs/glossary-and-search.md.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

# Harakat, tanwin, shadda, sukun and the rarer marks (U+064B–U+065F), the dagger alef (U+0670),
# and the Quranic annotation signs (U+0610–U+061A, U+06D6–U+06ED except the two letters there).
_TASHKEEL = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed]"
)
TATWEEL = "\u0640"
_ALEF = str.maketrans(
    {"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627"}
)
_YA = str.maketrans({"\u0649": "\u064a"})
_HA = str.maketrans({"\u0629": "\u0647"})
_DIGITS = str.maketrans(
    {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
)
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})
# Articles, longest first. The minimum length of what remains keeps short words whole
# (بالغ, والد, الي from إلى).
_ARTICLES = (
    ("\u0648\u0644\u0644", 3),  # ولل
    ("\u0641\u0644\u0644", 3),  # فلل
    ("\u0648\u0627\u0644", 3),  # وال
    ("\u0641\u0627\u0644", 3),  # فال
    ("\u0628\u0627\u0644", 3),  # بال
    ("\u0643\u0627\u0644", 3),  # كال
    ("\u0644\u0644", 3),  # لل
    ("\u0627\u0644", 2),  # ال
)
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u0671-\u06d3]")
# A word: letters and digits (not "_"), with the combining marks written inside words.
_WORD = re.compile("(?:[^\\W_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed])+")


def remove_tashkeel(text: str) -> str:
    return _TASHKEEL.sub("", text)


def remove_tatweel(text: str) -> str:
    return text.replace(TATWEEL, "")


def unify_alef(text: str) -> str:
    return text.translate(_ALEF)


def unify_alef_maqsura(text: str) -> str:
    return text.translate(_YA)


def unify_ta_marbuta(text: str) -> str:
    return text.translate(_HA)


def western_digits(text: str) -> str:
    return text.translate(_DIGITS)


def fold_latin(text: str) -> str:
    """Lower case without accents: "Entraide judiciaire — ÉTAT" → "entraide judiciaire — etat".

    Only Latin combining marks (U+0300–U+036F) are dropped after decomposition, so Arabic
    letters such as آ, which decompose too, are put back together unchanged.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES).casefold())
    stripped = "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f")
    return unicodedata.normalize("NFC", stripped)


def normalise(text: str) -> str:
    """Every rule but article stripping, applied to running text."""
    text = remove_tatweel(remove_tashkeel(text))
    text = unify_ta_marbuta(unify_alef_maqsura(unify_alef(text)))
    return western_digits(fold_latin(text))


def strip_article(word: str) -> str:
    """A normalised Arabic word without its leading article: "الاحتفاظ" → "احتفاظ"."""
    for article, rest in _ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= rest:
            remainder = word[len(article) :]
            if _ARABIC_LETTER.match(remainder):
                return remainder
    return word


_PROCLITICS = "\u0648\u0641\u0628\u0644\u0643"  # و ف ب ل ك


def without_proclitic(word_key: str) -> str | None:
    """The key of an Arabic word without a one-letter proclitic ("وبيانات" → "بيانات"), or
    None when the word has none or would be left with fewer than three letters."""
    if len(word_key) >= 4 and word_key[0] in _PROCLITICS and _ARABIC_LETTER.match(word_key[1]):
        return strip_article(word_key[1:])
    return None


def key_forms(word_key: str) -> tuple[str, ...]:
    """The key, and the key without its proclitic when it may have one."""
    bare = without_proclitic(word_key)
    return (word_key, bare) if bare else (word_key,)


def singular(word_key: str) -> str:
    """A Latin key without its plural ending: "requests" → "request". Arabic keys unchanged."""
    if len(word_key) > 3 and word_key[-1] in "sx" and not _ARABIC_LETTER.search(word_key):
        return word_key[:-1]
    return word_key


# Words longer than this are keyed without the cache, which then holds at most
# 50,000 × (64 + 64) characters per worker (bench/memory.py).
CACHED_WORD_LENGTH = 64


def key(word: str) -> str:
    """The matching key of one word."""
    if len(word) > CACHED_WORD_LENGTH:
        return _key(word)
    return _cached_key(word)


def _key(word: str) -> str:
    return strip_article(normalise(word))


# Bounded: words repeat, and a page of results keys a few thousand of them.
_cached_key = lru_cache(maxsize=50_000)(_key)


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str
    key: str


def iter_words(text: str) -> Iterator[Word]:
    """The words of `text` with their place in it and their keys, one at a time."""
    for m in _WORD.finditer(text):
        yield Word(m.start(), m.end(), m.group(), key(m.group()))


def words(text: str) -> list[Word]:
    return list(iter_words(text))


def keys(text: str) -> list[str]:
    """The keys of every word of `text`, in order."""
    return [w.key for w in words(text)]


def is_key(value: str) -> bool:
    """Whether `value` could be a key: letters and digits only (safe in a tsquery)."""
    return bool(value) and _WORD.fullmatch(value) is not None and value == key(value)
