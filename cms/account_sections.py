"""Sections other apps add to the Preferences page, such as two-step verification.

An app registers a function of the user from its `AppConfig.ready`; the page shows what each
returns, in the order registered. The site shell thus links to features it does not import.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class AccountSection:
    title: str
    text: str
    link_label: str
    url: str


SectionProvider = Callable[[object], AccountSection | None]
_providers: list[SectionProvider] = []


def account_section_register(provider: SectionProvider) -> SectionProvider:
    """Add `provider` (user → AccountSection, or None to show nothing); idempotent."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def account_sections(user) -> list[AccountSection]:
    return [section for provider in _providers if (section := provider(user)) is not None]
