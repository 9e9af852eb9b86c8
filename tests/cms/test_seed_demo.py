"""seed_demo's own rules; what the demo contains is checked in tests/test_demo.py, on one
database seeded twice."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from cms.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_uses_demo_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-long-demo-password")
    call_command("seed_demo", verbosity=0)
    assert User.objects.get(username="manager").check_password("another-long-demo-password")


@override_settings(TADRIB_ENVIRONMENT="production")
def test_seed_demo_refuses_to_run_with_production_settings():
    with pytest.raises(CommandError, match="refuses to run with production settings"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()
