"""Delivery to Ralph's own LRS (file backend), started here: while the LRS is down the
statements wait; once it is up they all arrive, once each, even when a batch is sent again."""

import pytest
from django.utils import timezone

from xapi.lrs import LrsUnavailable
from xapi.models import Statement
from xapi.services import statements_deliver

from .lrs_server import ralph_lrs, statements

pytestmark = pytest.mark.django_db


def test_statements_wait_out_an_outage_and_arrive_once_each(learning_events, tmp_path, settings):
    settings.TADRIB_XAPI_BATCH = 4  # several batches
    recorded = Statement.objects.count()
    assert recorded >= 10
    with pytest.raises(LrsUnavailable):
        statements_deliver()
    assert Statement.objects.filter(sent_at__isnull=True).count() == recorded
    assert not Statement.objects.filter(claim__isnull=False).exists()
    with ralph_lrs(tmp_path):
        assert statements_deliver() == recorded
        assert statements_deliver() == 0
        # An answer lost on the way back: the batch goes again, the LRS keeps one of each.
        Statement.objects.filter(verb="answered").update(sent_at=None)
        assert statements_deliver() == 5
        stored = statements()
    assert len(stored) == recorded
    assert {s["id"] for s in stored} == {
        str(pk) for pk in Statement.objects.values_list("id", flat=True)
    }
    assert not Statement.objects.filter(sent_at__isnull=True).exists()
    assert Statement.objects.filter(sent_at__lte=timezone.now()).count() == recorded
