"""What the home page shows a signed-in reader, from the apps that know it.

The site shell knows no course: an app registers a function of the request from its
`AppConfig.ready`, returning a `HomeSection` (a template and its context) or None. Anonymous
visitors never reach the providers; they see the home page's own text (docs/learner-pages.md).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class HomeSection:
    template: str
    context: dict = field(default_factory=dict)


SectionProvider = Callable[[object], HomeSection | None]
_providers: list[tuple[int, SectionProvider]] = []


def home_section_register(provider: SectionProvider, *, order: int = 100) -> SectionProvider:
    """Add `provider` (request → HomeSection, or None to show nothing); idempotent."""
    if all(registered is not provider for _order, registered in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda item: item[0])
    return provider


def home_sections(request) -> list[HomeSection]:
    """The sections for this signed-in reader, in order; [] for anyone else."""
    if not request.user.is_authenticated:
        return []
    return [section for _order, provider in _providers if (section := provider(request))]
