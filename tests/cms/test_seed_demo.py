import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from cms.models import Organisation, User

pytestmark = pytest.mark.django_db


def snapshot():
    users = {
        u.username: (
            u.password,
            u.preferred_language,
            u.organisation_id,
            sorted(u.groups.values_list("name", flat=True)),
        )
        for u in User.objects.all()
    }
    organisations = list(
        Organisation.objects.values_list(
            "pk", "name_en", "name_fr", "name_ar", "country", "parent_id"
        )
    )
    from wagtail.models import Page, Revision

    pages = list(Page.objects.values_list("pk", "path", "title", "live", "latest_revision_id"))
    return users, organisations, pages, Revision.objects.count()


def test_seed_demo_creates_the_demo_accounts_in_two_countries():
    call_command("seed_demo", verbosity=0)
    users = {u.username: u for u in User.objects.select_related("organisation")}
    assert {"admin", "trainer", "manager", "investigator", "prosecutor"} <= set(users)
    assert users["admin"].is_superuser
    assert users["trainer"].groups.filter(name="Trainers").exists()
    assert users["manager"].groups.filter(name="Managers").exists()
    assert users["investigator"].groups.filter(name="Learners").exists()
    assert users["investigator"].check_password("tadrib-demo-2026")
    countries = {users[name].organisation.country.code for name in ("investigator", "prosecutor")}
    assert countries == {"NE", "MA"}
    unit = users["investigator"].organisation
    assert unit.parent is not None and unit.parent.country.code == "NE"


def test_seed_demo_uses_demo_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-long-demo-password")
    call_command("seed_demo", verbosity=0)
    assert User.objects.get(username="manager").check_password("another-long-demo-password")


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first


@override_settings(TADRIB_ENVIRONMENT="production")
def test_seed_demo_refuses_to_run_with_production_settings():
    with pytest.raises(CommandError, match="refuses to run with production settings"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()
