"""E-mails the other apps' events cause: security notices, certificates, renewals, and none
for a rolled-back change."""

import pytest
from django.db import transaction

from cms.audit import audit
from notifications.models import Notification
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db


def test_a_lockout_of_an_account_notifies_its_owner(site):
    from security.audit import Action, audit_log

    amina = LearnerFactory(username="amina", email="amina@example.org")
    audit_log(
        action=Action.LOCKOUT, username="Amina", data={"scope": "account", "username": "amina"}
    )
    audit_log(action=Action.LOCKOUT, data={"scope": "address", "username": "", "address": "x"})
    (notice,) = Notification.objects.all()
    assert (notice.kind, notice.recipient) == ("lockout", amina)


def test_a_second_factor_added_or_removed_notifies_the_person(site):
    from security.audit import Action, audit_log

    amina = LearnerFactory(username="amina", email="amina@example.org")
    audit_log(action=Action.SECOND_FACTOR_ENROLLED, user=amina, obj=amina)
    audit_log(action=Action.SECOND_FACTOR_REMOVED, user=amina, obj=amina)
    assert sorted(Notification.objects.values_list("kind", flat=True)) == [
        "second_factor_added",
        "second_factor_removed",
    ]


class Rollback(Exception):
    pass


def test_a_rolled_back_event_mails_nobody(site, django_capture_on_commit_callbacks):
    from security.audit import Action, audit_log

    amina = LearnerFactory(username="amina", email="amina@example.org")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        audit_log(action=Action.SECOND_FACTOR_REMOVED, user=amina, obj=amina)
        raise Rollback
    assert callbacks == []
    assert not Notification.objects.exists()


def test_an_issued_certificate_is_announced_once(site):
    from types import SimpleNamespace

    from notifications.receivers import certificate_was_issued

    holder = LearnerFactory(username="amina", email="amina@example.org")
    certificate = SimpleNamespace(pk=7, holder=holder, holder_id=holder.pk)
    for _time in range(2):
        certificate_was_issued(sender=None, action="certificate_issued", obj=certificate)
    audit("course_imported", obj=None)
    (notice,) = Notification.objects.all()
    assert notice.kind == "certificate_issued"
