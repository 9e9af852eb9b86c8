"""ManagerScope moved from cms to reports without touching its table: a scope an administrator
set before the move is still there after migrating forward, with its permissions."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reports.models import ManagerScope
from tests.factories import ManagerFactory, OrganisationFactory

BEFORE = [("cms", "0005_contentgeneration"), ("reports", None)]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_a_scope_set_before_the_move_survives_migrating_forward(site):
    from django.contrib.contenttypes.models import ContentType

    manager = ManagerFactory(username="scoped")
    agency = OrganisationFactory(name_en="Gendarmerie")
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    migrate(BEFORE)
    try:
        old_apps = MigrationExecutor(connection).loader.project_state(BEFORE[:1]).apps
        OldScope = old_apps.get_model("cms", "ManagerScope")
        row = OldScope.objects.create(
            manager_id=manager.pk, countries="TN,MA", include_own_organisation=False
        )
        row.organisations.add(agency.pk)
        old_type = ContentType.objects.get(app_label="cms", model="managerscope")
    finally:
        migrate(leaves)
    scope = ManagerScope.objects.get(manager=manager)
    assert sorted(str(c) for c in scope.countries) == ["MA", "TN"]
    assert list(scope.organisations.values_list("pk", flat=True)) == [agency.pk]
    assert scope.include_own_organisation is False
    # The same content type, so permissions granted on manager scopes still apply.
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(ManagerScope).pk == old_type.pk
