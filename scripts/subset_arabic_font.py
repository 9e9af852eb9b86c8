#!/usr/bin/env python3
"""Rebuild static/fonts/noto-naskh-arabic-400.woff2, the Arabic web font, from Noto Naskh Arabic.

    .venv/bin/python scripts/subset_arabic_font.py [--source NotoNaskhArabic-Regular.ttf] [--check]

The source is Debian's `fonts-noto-core` 20201225-1 (font version 2.004), checked by its SHA-256
so the output is the same byte for byte on any machine (fontTools and brotli are pinned in
requirements-dev.txt / constraints.txt). `--check` rebuilds into memory and exits 1 when the
committed file differs (the subset and the CSS `unicode-range` must stay in step).

What is kept, and why (docs/page-weight.md):
- code points: the letters, marks, digits and punctuation of Modern Standard Arabic, the few
  extra letters Maghrebi and Sahelian Arabic writes foreign names and places with (پ چ ڤ ڨ گ),
  Arabic presentation forms B (text pasted from PDFs), and the Latin space, punctuation and
  digits that sit inside Arabic sentences. French and English text is set in the system's
  Latin font (the stylesheet's --font-latin), which the browser never downloads; the face's
  `unicode-range` sends it nothing else;
- OpenType features: what a browser applies by default to Arabic (ccmp, init, medi, fina,
  rlig, liga, mark, mkmk): joining forms, lam-alef, marks placed over and under letters.
  Dropped: discretionary ligatures, alternates, tabular digits and the Persian/Urdu/Sindhi/
  Kashmiri local forms (locl), which Arabic, French and English pages never ask for;
- no hinting (browsers on phones ignore it), only the naming records the licence needs.
"""

import argparse
import hashlib
import io
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf")
SOURCE_SHA256 = "8c67eaa2f0086872628fc3f7f760386f83c8be5c5e9a1ba3a38891237b2ac7cb"
OUTPUT = ROOT / "static" / "fonts" / "noto-naskh-arabic-400.woff2"

UNICODES = [
    # Latin space, punctuation and digits that Arabic sentences use (the font has no letters).
    (0x0020, 0x0021),
    (0x002C, 0x002C),
    (0x002E, 0x002E),
    (0x0030, 0x003A),
    (0x00A0, 0x00A0),
    (0x00AB, 0x00AB),  # « » are the quotation marks of Arabic (and French) text
    (0x00BB, 0x00BB),
    # Arabic: comma, semicolon, question mark, hamza to ghain, tatweel to sukun, maddah and
    # hamza marks, Arabic-Indic digits and separators, superscript alef.
    (0x060C, 0x060C),
    (0x061B, 0x061B),
    (0x061F, 0x061F),
    (0x0621, 0x063A),
    (0x0640, 0x0655),
    (0x0660, 0x066D),
    (0x0670, 0x0670),
    # Letters for sounds Arabic lacks, used in Maghrebi and Sahelian names: peh, tcheh, veh,
    # qaf with three dots, gaf.
    (0x067E, 0x067E),
    (0x0686, 0x0686),
    (0x06A4, 0x06A4),
    (0x06A8, 0x06A8),
    (0x06AF, 0x06AF),
    # Zero-width non-joiner/joiner, direction marks, hyphens; dotted circle for a lone mark.
    (0x200C, 0x2011),
    (0x25CC, 0x25CC),
    # Presentation forms B: text copied out of PDFs arrives in these.
    (0xFE70, 0xFEFC),
]
FEATURES = ["ccmp", "init", "medi", "fina", "rlig", "liga", "mark", "mkmk"]


def build(source: Path) -> bytes:
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    if digest != SOURCE_SHA256:
        sys.exit(
            f"{source}: SHA-256 {digest}, expected {SOURCE_SHA256} (fonts-noto-core 20201225-1). "
            "Another version gives another file; update SOURCE_SHA256 knowingly."
        )
    options = subset.Options()
    options.layout_features = FEATURES
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # copyright, names, version, licence
    options.flavor = "woff2"
    options.recalc_timestamp = False  # keep the source's date: same bytes on every run
    font = TTFont(source, lazy=False, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[cp for lo, hi in UNICODES for cp in range(lo, hi + 1)])
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def unicode_range(data: bytes) -> str:
    """The CSS unicode-range of what the built font actually covers."""
    cmap = sorted(TTFont(io.BytesIO(data)).getBestCmap())
    runs, start, prev = [], cmap[0], cmap[0]
    for cp in cmap[1:]:
        if cp != prev + 1:
            runs.append((start, prev))
            start = cp
        prev = cp
    runs.append((start, prev))
    return ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file differs")
    args = parser.parse_args()
    data = build(args.source)
    print(f"{len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    print(f"unicode-range: {unicode_range(data)};")
    if args.check:
        if OUTPUT.read_bytes() != data:
            sys.exit(f"{OUTPUT.relative_to(ROOT)} differs from a fresh build: run this script")
        print(f"{OUTPUT.relative_to(ROOT)} is up to date")
        return
    OUTPUT.write_bytes(data)
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
