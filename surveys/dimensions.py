"""Further groups of survey results, registered by the apps built on surveys.

Results are filtered and broken down by country, organisation and study language, which the
response itself keeps. An app that knows another group a response belongs to (workshops: the
workshop it was given for, in a table of its own) registers a `Dimension` from its
AppConfig.ready(); the results page then offers it as a filter and as a breakdown, under the
same privacy floor and the same scope as the others.

- `lookup`: the ORM path from `SurveyResponse` to the group's key (an integer), e.g.
  ``"workshop_link__workshop"``;
- `choices(survey=, scope=)`: the groups the reader may choose for this survey, as
  ``[(key, label)]``; a key that is not among them answers 404, as an out-of-scope
  organisation does;
- `labels(keys)`: the label of each key shown in a breakdown (``{key: label}``);
- `none_label`: the label of responses in no group.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Dimension:
    key: str
    label: object  # a lazy translation
    lookup: str
    choices: Callable[..., list[tuple[int, str]]]
    labels: Callable[..., dict[int, str]]
    none_label: object


_dimensions: dict[str, Dimension] = {}


def register_dimension(dimension: Dimension) -> None:
    """Offer `dimension` on every survey's results; registering a key again replaces it."""
    _dimensions[dimension.key] = dimension


def unregister_dimension(key: str) -> None:
    _dimensions.pop(key, None)


def dimensions() -> list[Dimension]:
    return list(_dimensions.values())


def dimension(key: str) -> Dimension | None:
    return _dimensions.get(key)
