"""Reports other apps add to the reports' navigation (the certificates report, for one).

`reports` never imports those apps: they register their page here from their `ready()`, and
`reports/base.html` lists what is registered after its own reports."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReportLink:
    label: object  # lazy: translated when the page is drawn
    url_name: str
    order: int = 100
    # Namespaced view names of the pages under this link (marked as the current report).
    current_for: frozenset[str] = field(default_factory=frozenset)

    def is_current(self, view_name: str) -> bool:
        return view_name == self.url_name or view_name in self.current_for


_links: dict[str, ReportLink] = {}


def register_report(*, label, url_name: str, order: int = 100, current_for=()) -> None:
    """Add a report to the navigation; registering the same `url_name` again replaces it."""
    _links[url_name] = ReportLink(label, url_name, order, frozenset(current_for))


def report_links() -> list[ReportLink]:
    return sorted(_links.values(), key=lambda link: (link.order, link.url_name))
