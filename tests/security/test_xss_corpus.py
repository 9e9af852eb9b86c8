"""`sanitize_html` against the XSS corpus: nothing that can run survives, and the output is a
fixed point."""

import html
import re

import pytest
from bleach._vendor import html5lib

from cms.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS, ALLOWED_TAGS, sanitize_html

from .xss_vectors import vectors

pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")
VECTORS = vectors()
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
_INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f]+")


def test_the_corpus_has_at_least_500_distinct_vectors():
    assert len(VECTORS) >= 500


def problems(output: str) -> list[str]:
    """Everything in `output` that a browser could run or that the allow-list does not allow,
    judged on the tree an HTML5 parser (as browsers do) builds from it."""
    found = []
    if re.search(r"<\s*script", output, re.I):
        found.append("script tag")
    tree = html5lib.parseFragment(output, treebuilder="etree", namespaceHTMLElements=False)
    for element in tree.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag and tag != "DOCUMENT_FRAGMENT" and tag not in ALLOWED_TAGS:
            found.append(f"tag {tag}")
        allowed = ALLOWED_ATTRIBUTES.get(tag, ALLOWED_ATTRIBUTES["*"])
        for name, value in element.attrib.items():
            if name not in allowed:
                found.append(f"attribute {name}")
            if name == "href":
                plain = _INVISIBLE_RE.sub("", html.unescape(value))
                scheme = _SCHEME_RE.match(plain)
                if scheme and scheme.group(1).lower() not in ALLOWED_PROTOCOLS:
                    found.append(f"href {value!r}")
    return found


@pytest.mark.parametrize("vector", VECTORS, ids=range(len(VECTORS)))
def test_no_vector_survives_and_output_is_idempotent(vector):
    output = sanitize_html(vector)
    assert problems(output) == []
    assert sanitize_html(output) == output


@pytest.mark.parametrize(
    "wrapper", ["{}", "<p>{}</p>", "<ul><li>{}</li></ul>", "<table><tr><td>{}</td></tr></table>"]
)
def test_vectors_nested_in_allowed_markup_do_not_survive(wrapper):
    for vector in VECTORS[::7]:
        output = sanitize_html(wrapper.format(vector))
        assert problems(output) == [], vector


@pytest.mark.parametrize(
    "unsafe",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        "<p style=color:red>x</p>",
    ],
)
def test_the_checker_itself_catches_unsafe_markup(unsafe):
    assert problems(unsafe)
