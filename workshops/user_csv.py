"""The `workshop` column of the user CSV (cms.user_import): the slug of a workshop each new
user takes part in — several separated by ";" — or empty. An unknown slug is a row error, so
the whole file is refused and nothing written. Registered from apps.py."""

from django.utils.translation import gettext as _

from cms.user_import import CellError, Column, column_register, columns

from .models import Workshop

COLUMN = "workshop"


def read_workshops(value: str) -> list[Workshop]:
    slugs = [part.strip() for part in value.split(";") if part.strip()]
    if not slugs:
        return []
    found = {w.slug: w for w in Workshop.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise CellError(_("unknown workshop “%(value)s”") % {"value": ", ".join(unknown)})
    return [found[slug] for slug in dict.fromkeys(slugs)]


def apply_workshops(user, workshops: list[Workshop]) -> None:
    from .services import participants_add

    for workshop in workshops:
        participants_add(workshop=workshop, users=[user])


def register() -> None:
    if COLUMN not in {column.name for column in columns()}:
        column_register(
            Column(COLUMN, read_workshops, required=False, apply=apply_workshops)  # type: ignore[arg-type]
        )
