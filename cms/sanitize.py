"""The one HTML sanitiser for everything authored: rich text, imported packages, question text.

An explicit allow-list on bleach. Elements whose content is code or foreign markup (script,
style, svg, math, template, iframe …) are removed with their content; other unknown tags are
stripped and their text kept. `dir` and `lang` survive on every element so Arabic inside French
(or the reverse) keeps its direction. Output is idempotent: sanitising it again changes nothing.
"""

import re

import bleach
from bs4 import BeautifulSoup

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "mark",
        "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "q", "cite", "abbr", "code", "pre",
        "h2", "h3", "h4", "h5", "h6", "hr", "span", "div", "a",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    }
)  # fmt: skip
GLOBAL_ATTRIBUTES = ("dir", "lang", "title")
ALLOWED_ATTRIBUTES = {
    "*": list(GLOBAL_ATTRIBUTES),
    # `linktype`/`id` are Wagtail's stored form of internal page and document links.
    "a": [*GLOBAL_ATTRIBUTES, "href", "linktype", "id"],
    "abbr": list(GLOBAL_ATTRIBUTES),
    "ol": [*GLOBAL_ATTRIBUTES, "start", "reversed"],
    "th": [*GLOBAL_ATTRIBUTES, "scope", "colspan", "rowspan"],
    "td": [*GLOBAL_ATTRIBUTES, "colspan", "rowspan"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
# Removed together with everything inside them.
DROP_WITH_CONTENT = (
    "script", "style", "svg", "math", "template", "iframe", "frame", "frameset", "object",
    "embed", "applet", "noscript", "noembed", "noframes", "xmp", "plaintext", "title",
    "textarea", "select", "option", "form", "button", "input", "base", "link", "meta", "head",
)  # fmt: skip
_DIR_VALUES = {"ltr", "rtl", "auto"}
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    allowed = ALLOWED_ATTRIBUTES.get(tag, ALLOWED_ATTRIBUTES["*"])
    if name not in allowed:
        return False
    if name == "dir":
        return value.lower() in _DIR_VALUES
    if name == "lang":
        return bool(_LANG_RE.match(value))
    if name in ("linktype", "id"):
        return tag == "a" and value.replace("-", "").replace("_", "").isalnum()
    if name in ("start", "colspan", "rowspan"):
        return value.isdigit() and len(value) < 4
    if name == "scope":
        return value in {"row", "col", "rowgroup", "colgroup"}
    return True


_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allow_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def sanitize_html(html: str | None) -> str:
    """Return `html` reduced to the allow-list. Safe to call on already clean text."""
    if not html:
        return ""
    html = _CONTROL_RE.sub("", str(html))
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(DROP_WITH_CONTENT):
        element.decompose()
    # A Wagtail internal link needs its id; without a valid one it is an ordinary anchor.
    for link in soup.find_all("a", attrs={"linktype": True}):
        if not _allow_attribute("a", "id", str(link.get("id", ""))) or not link.get("id"):
            del link["linktype"]
    # A second pass settles anything the first pass's unwrapping could have re-formed.
    return _cleaner.clean(_cleaner.clean(str(soup)))


def strip_html(text: str | None) -> str:
    """Text for plain-text fields: markup removed (dangerous elements with their content)."""
    if not text:
        return ""
    text = str(text)
    if "<" not in text:
        return text.strip()
    return BeautifulSoup(sanitize_html(text), "html.parser").get_text().strip()
