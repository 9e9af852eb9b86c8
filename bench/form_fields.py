"""Read a form the way a hurried learner would fill it, for the bench scripts."""

from html.parser import HTMLParser


class _Fields(HTMLParser):
    """Inputs of the first form: hidden fields, the first radio/checkbox of each name, the
    first non-empty option of each select (what a hurried learner would send)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox", "hidden") and name not in self.fields:
                self.fields[name] = [a.get("value", "on")]
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, [""])
        elif (
            tag == "option"
            and self._select
            and a.get("value")
            and self.fields[self._select] == [""]
        ):
            self.fields[self._select] = [a["value"]]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_fields(html: str) -> dict[str, list[str]]:
    parser = _Fields()
    parser.feed(html)
    return parser.fields
