"""Issue 14: the agenda in the reader's time zone. A participant chooses a zone in their
preferences (from a list); the agenda shows the sessions by their clock, in their language and
24-hour times, with the workshop's own time beside a session whenever the two clocks read
otherwise. Morocco (Africa/Casablanca) sets its clocks back an hour for Ramadan — in 2026 from
15 February to the night of 21 to 22 March — while Niger (Africa/Niamey) stays at UTC+1 all
year: a workshop in Niamey across 22 March crosses that boundary for a reader in Casablanca."""

import re
from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from cms.time_zones import is_time_zone, reader_zone, time_zone_names
from tests.factories import LearnerFactory
from workshops import rules
from workshops.models import WorkshopSession

from .factories import add_participants, make_workshop

NIAMEY, CASABLANCA, PARIS = (
    ZoneInfo(z) for z in ("Africa/Niamey", "Africa/Casablanca", "Europe/Paris")
)


# --- the pure conversion -----------------------------------------------------------------------


def test_a_session_in_niamey_read_in_casablanca_during_ramadan_is_an_hour_earlier():
    times = rules.session_times(
        day=date(2026, 3, 2), start=time(9), end=time(10, 30), own=NIAMEY, reader=CASABLANCA
    )
    assert (times.starts.hour, times.starts.minute) == (8, 0)
    assert (times.ends.hour, times.ends.minute) == (9, 30)
    assert (times.own_starts.hour, times.own_ends.hour) == (9, 10)
    assert times.differs
    assert times.day == date(2026, 3, 2)


def test_the_morocco_boundary_is_followed_session_by_session():
    """21 March: Casablanca at UTC+0, an hour behind Niamey; from 22 March back at UTC+1."""
    before = rules.session_times(
        day=date(2026, 3, 21), start=time(9), end=time(10), own=NIAMEY, reader=CASABLANCA
    )
    after = rules.session_times(
        day=date(2026, 3, 23), start=time(9), end=time(10), own=NIAMEY, reader=CASABLANCA
    )
    assert before.starts.hour == 8 and before.differs
    assert after.starts.hour == 9 and not after.differs


def test_a_european_daylight_saving_change_between_two_sessions():
    """Paris moves to UTC+2 on 29 March 2026 (02:00 → 03:00): a Niamey session reads 10:00 in
    Paris on the 28th and 11:00 on the 30th, and one across the night of the change too."""
    saturday = rules.session_times(
        day=date(2026, 3, 28), start=time(9), end=time(10), own=NIAMEY, reader=PARIS
    )
    monday = rules.session_times(
        day=date(2026, 3, 30), start=time(9), end=time(10), own=NIAMEY, reader=PARIS
    )
    assert not saturday.differs and saturday.starts.hour == 9
    assert monday.differs and monday.starts.hour == 10
    night = rules.session_times(
        day=date(2026, 3, 29), start=time(0, 30), end=time(3, 0), own=NIAMEY, reader=PARIS
    )
    # 00:30 and 03:00 in Niamey are 23:30 UTC (28th) and 02:00 UTC: 00:30 and 04:00 in Paris.
    assert (night.starts.hour, night.starts.minute) == (0, 30)
    assert (night.ends.hour, night.ends.minute) == (4, 0)
    assert night.differs


def test_a_session_can_fall_on_another_day_for_the_reader():
    tokyo = ZoneInfo("Asia/Tokyo")
    times = rules.session_times(
        day=date(2026, 3, 2), start=time(17), end=time(18), own=NIAMEY, reader=tokyo
    )
    assert times.day == date(2026, 3, 3) and times.starts.hour == 1


def test_the_list_of_zones_and_the_default():
    names = time_zone_names()
    assert names[0] == "UTC" and "Africa/Casablanca" in names and "Africa/Niamey" in names
    assert list(names[1:]) == sorted(names[1:])
    assert not is_time_zone("Mars/Olympus") and not is_time_zone("")

    class Reader:
        time_zone = ""

    reader = Reader()
    assert reader_zone(reader, "Africa/Niamey") == "Africa/Niamey"
    reader.time_zone = "Africa/Casablanca"
    assert reader_zone(reader, "Africa/Niamey") == "Africa/Casablanca"
    reader.time_zone = "Nowhere/Else"  # a zone dropped from the database: the default
    assert reader_zone(reader, "Africa/Niamey") == "Africa/Niamey"


# --- the pages ---------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


def _url(name, *args, language="en"):
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def boundary_workshop(site):
    """Niamey, 21 to 23 March 2026, sessions 09:00–10:30 and 11:00–12:30 by Niamey's clock."""
    workshop = make_workshop(slug="sahel", starts_on=date(2026, 3, 21), days=3)
    reader = LearnerFactory(username="casa", time_zone="Africa/Casablanca")
    add_participants(workshop, [reader])
    return workshop, reader


def _agenda(html: str) -> str:
    return html[html.index('id="agenda-title"') :]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_agenda_shows_the_readers_clock_and_the_workshops_beside_it(
    client, boundary_workshop, language
):
    _workshop, reader = boundary_workshop
    client.force_login(reader)
    html = client.get(_url("workshops:detail", "sahel", language=language)).content.decode()
    agenda = _agenda(html)
    # 21 March: Casablanca is an hour behind — 08:00–09:30 for the reader, 09:00–10:30 beside it.
    assert '<time datetime="2026-03-21T08:00:00+00:00">08:00</time>' in agenda
    assert "09:00–10:30" in agenda
    # 23 March: both clocks read 09:00, and no workshop time is repeated beside it.
    assert '<time datetime="2026-03-23T09:00:00+01:00">09:00</time>' in agenda
    day_23 = agenda[agenda.index("2026-03-23T09:00") :]
    assert "agenda__own" not in day_23
    # Morocco's clocks go forward again at 02:00 on 22 March: only 21 March's two sessions differ.
    assert agenda.count('class="agenda__own"') == 2
    assert '<time datetime="2026-03-22T09:00:00+01:00">09:00</time>' in agenda
    assert "Africa/Casablanca" in agenda and "Africa/Niamey" in agenda
    # 24-hour times only, in the reader's language.
    assert not re.search(r"\b(a\.m\.|p\.m\.|AM|PM)\b", agenda)
    workshop_time = {"en": "Workshop time:", "fr": "Heure de l’atelier :", "ar": "توقيت الورشة:"}
    assert workshop_time[language] in agenda
    day = {"en": "21 March 2026", "fr": "21 mars 2026", "ar": "21 مارس 2026"}
    assert f"<h3>{day[language]}</h3>" in agenda


@pytest.mark.django_db
def test_without_a_choice_the_agenda_is_in_the_workshops_zone(client, boundary_workshop):
    _workshop, reader = boundary_workshop
    reader.time_zone = ""
    reader.save()
    client.force_login(reader)
    agenda = _agenda(client.get(_url("workshops:detail", "sahel")).content.decode())
    assert '<time datetime="2026-03-21T09:00:00+01:00">09:00</time>' in agenda
    assert "agenda__own" not in agenda
    assert "Times are in the workshop’s time zone" in agenda or "workshop's time zone" in agenda


@pytest.mark.django_db
def test_the_reader_chooses_a_zone_in_their_preferences(client, boundary_workshop):
    _workshop, reader = boundary_workshop
    reader.time_zone = ""
    reader.save()
    client.force_login(reader)
    page = client.get(_url("preferences", language="fr")).content.decode()
    assert '<option value="Africa/Casablanca">Africa/Casablanca</option>' in page
    response = client.post(
        _url("preferences", language="fr"),
        {"preferred_language": "fr", "time_zone": "Africa/Casablanca"},
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.time_zone == "Africa/Casablanca"
    refused = client.post(
        _url("preferences", language="fr"),
        {"preferred_language": "fr", "time_zone": "Africa/Atlantis"},
    )
    assert refused.status_code == 200  # the form again, with its error
    reader.refresh_from_db()
    assert reader.time_zone == "Africa/Casablanca"
    # Empty again: back to each workshop's own zone.
    client.post(_url("preferences", language="fr"), {"preferred_language": "fr", "time_zone": ""})
    reader.refresh_from_db()
    assert reader.time_zone == ""


@pytest.mark.django_db
def test_a_zone_reading_the_same_says_so_without_repeating_times(client, site):
    workshop = make_workshop(slug="winter", starts_on=date(2026, 1, 12), days=1)
    reader = LearnerFactory(username="casa2", time_zone="Africa/Casablanca")
    add_participants(workshop, [reader])
    client.force_login(reader)
    agenda = _agenda(client.get(_url("workshops:detail", "winter")).content.decode())
    assert "agenda__own" not in agenda
    assert "reads the same as the workshop" in agenda
    assert WorkshopSession.objects.filter(workshop=workshop).count() == 2


@pytest.mark.django_db
def test_erasing_a_learner_forgets_their_time_zone(site):
    from security.privacy import learner_erase

    reader = LearnerFactory(username="gone", time_zone="Africa/Casablanca")
    learner_erase(user=reader)
    reader.refresh_from_db()
    assert reader.time_zone == ""
