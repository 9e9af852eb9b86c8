"""Sections other apps add to the participant's workshop page (such as its certificate).

An app registers a function of `user` and `workshop` from its `AppConfig.ready`; the page
shows what each returns, in the order registered. Workshops thus link to features they do not
import (certificates: through the `workshop_certificates` app).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageLink:
    label: str
    url: str
    download: bool = False


@dataclass(frozen=True)
class PageSection:
    title: str
    text: str = ""
    links: list[PageLink] = field(default_factory=list)


SectionProvider = Callable[..., PageSection | None]
_providers: list[SectionProvider] = []


def page_section_register(provider: SectionProvider) -> SectionProvider:
    """Add `provider` (user=, workshop= → PageSection, or None to show nothing); idempotent."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def page_sections(*, user, workshop) -> list[PageSection]:
    return [s for provider in _providers if (s := provider(user=user, workshop=workshop))]
