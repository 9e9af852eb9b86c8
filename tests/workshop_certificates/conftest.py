from datetime import date

import pytest

from tests.workshops.factories import add_participants, make_workshop
from workshops import services
from workshops.models import Participant


@pytest.fixture
def workshop(site):
    """Niamey, in person in Niger, 2 and 3 March 2026: four sessions of 1.5 h (6 hours)."""
    return make_workshop(
        slug="sit", starts_on=date(2026, 3, 2), days=2, mode="in_person", venue_country="NE"
    )


def attend_all(workshop, participants, *, capture):
    """Mark `participants` present at every session, through the facilitator's service, with
    the on-commit receivers run: completion is recorded and `workshop_completed` sent."""
    with capture(execute=True):
        for session in workshop.sessions.all():
            services.attendance_record(session=session, marks={p.pk: True for p in participants})


@pytest.fixture
def completed(workshop, learner, django_capture_on_commit_callbacks):
    """The learner completed the workshop; their certificate, as the receiver issued it."""
    from certificates.models import Certificate

    participants = add_participants(workshop, [learner])
    attend_all(workshop, participants, capture=django_capture_on_commit_callbacks)
    assert Participant.objects.get(workshop=workshop, user=learner).completed_at is not None
    return Certificate.objects.get(holder=learner, workshop=workshop)
