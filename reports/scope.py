"""Whose learners a report reader may see. Every report selector filters through a `Scope`."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q

from cms.models import Organisation
from cms.roles import GROUP_NAMES, Role
from security.sessions import IN_MANAGERS_ATTR

from .models import ManagerScope

REPORT_READER_CACHE_SECONDS = 60


class OutOfScope(Exception):
    """A learner, organisation or country the reader may not see (answered with 404)."""


@dataclass(frozen=True)
class Scope:
    """Organisations (their units already included) and countries a reader may see.

    `everything` is for superusers. An empty scope sees nobody.
    """

    everything: bool = False
    organisation_ids: frozenset[int] = frozenset()
    countries: frozenset[str] = frozenset()
    # The organisations of `countries`, when read with the scope (manager_scope): users are
    # then filtered on their organisation alone, without joining organisations.
    country_organisation_ids: frozenset[int] | None = None

    def users_q(self, prefix: str = "") -> Q:
        """A filter on users (or, with `prefix` such as ``"user__"``, on rows that have one)."""
        if self.everything:
            return Q()
        condition = Q(pk__in=[])
        if self.countries and self.country_organisation_ids is not None:
            ids = self.organisation_ids | self.country_organisation_ids
            if ids:
                condition |= Q(**{f"{prefix}organisation_id__in": sorted(ids)})
            return condition
        if self.organisation_ids:
            condition |= Q(**{f"{prefix}organisation_id__in": sorted(self.organisation_ids)})
        if self.countries:
            condition |= Q(**{f"{prefix}organisation__country__in": sorted(self.countries)})
        return condition

    def has_organisation(self, organisation: Organisation) -> bool:
        return (
            self.everything
            or organisation.pk in self.organisation_ids
            or str(organisation.country) in self.countries
        )

    def has_country(self, country: str) -> bool:
        return self.everything or country in self.countries

    def has_user(self, user) -> bool:
        if self.everything:
            return True
        if user.organisation_id is None:
            return False
        return user.organisation_id in self.organisation_ids or (
            bool(self.countries) and str(user.organisation.country) in self.countries
        )


def organisation_tree(organisation_ids, *, countries=None) -> frozenset[int]:
    """The organisations with every unit below them, at any depth: one query. With
    `countries` (a set to fill), it also receives the ids of the organisations of each
    country code already in it, from the same query."""
    children: dict[int, list[int]] = {}
    by_country: dict[str, list[int]] = {}
    for pk, parent_id, country in Organisation.objects.values_list("pk", "parent_id", "country"):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
        by_country.setdefault(str(country), []).append(pk)
    if countries is not None:
        codes = set(countries)
        countries.clear()
        countries.update(pk for code in codes for pk in by_country.get(code, ()))
    found: set[int] = set()
    pending = list(organisation_ids)
    while pending:
        pk = pending.pop()
        if pk not in found:
            found.add(pk)
            pending.extend(children.get(pk, ()))
    return frozenset(found)


def is_report_reader(user) -> bool:
    """Superusers and members of the Managers group read reports; nobody else does."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=GROUP_NAMES[Role.MANAGER]).exists()


def is_report_reader_cached(user) -> bool:
    """`is_report_reader` without a query of its own: the header asks it on every page. A
    user read with the request's session (`security.sessions`) carries its Managers standing,
    read by that statement on this request; any other user's answer is remembered for a
    minute. The reports themselves ask `is_report_reader`."""
    if not user.is_authenticated:
        return False
    in_managers = getattr(user, IN_MANAGERS_ATTR, None)
    if in_managers is not None:
        return bool(user.is_active and (user.is_superuser or in_managers))
    key = f"tadrib:report-reader:{user.pk}"
    value = cache.get(key)
    if value is None:
        value = is_report_reader(user)
        cache.set(key, value, REPORT_READER_CACHE_SECONDS)
    return value


def manager_scope(*, user) -> Scope:
    """The scope of `user`: everything for a superuser; else the ManagerScope an administrator
    set, or by default the manager's own organisation and its units."""
    if user.is_superuser:
        return Scope(everything=True)
    row = ManagerScope.objects.filter(manager=user).prefetch_related("organisations").first()
    roots: set[int] = set()
    countries: frozenset[str] = frozenset()
    if (row is None or row.include_own_organisation) and user.organisation_id is not None:
        roots.add(user.organisation_id)
    if row is not None:
        roots.update(o.pk for o in row.organisations.all())
        countries = frozenset(str(c) for c in row.countries)
    in_countries: set | None = None
    if countries:
        in_countries = set(countries)
    tree = organisation_tree(roots, countries=in_countries) if roots or countries else frozenset()
    return Scope(
        organisation_ids=tree if roots else frozenset(),
        countries=countries,
        country_organisation_ids=frozenset(in_countries) if in_countries is not None else None,
    )


def users_in_scope(*, scope: Scope):
    return get_user_model().objects.filter(scope.users_q())
