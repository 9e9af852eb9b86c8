"""E-mails through a real SMTP server, in English, French and Arabic: headers, direction,
encoded subjects, the plain-text part, no remote images, the .ics of a workshop."""

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from courses.services import enrolment_ensure
from notifications.calendar import WorkshopSession
from notifications.models import Notification
from notifications.services import notification_send, workshop_invitation_send
from tests.courses.factories import make_course
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db

SUBJECTS = {
    "en": "Course assigned: Course e-evidence",
    "fr": "Cours attribué : Cours e-evidence",
    "ar": "دورة تدريبية مسندة إليك: دورة e-evidence",
}


def _person(language: str):
    return LearnerFactory(
        username=f"amina-{language}",
        email=f"amina.{language}@example.org",
        first_name="Amina",
        last_name="Haddad",
        preferred_language=language,
    )


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_a_course_assigned_mail_is_in_the_recipients_language_and_direction(
    site, inbox, language, django_capture_on_commit_callbacks
):
    course = make_course(slug="e-evidence")
    person = _person(language)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_ensure(user=person, course=course, due_date=date(2026, 6, 30), assigned_by=person)
    (message,) = inbox.messages
    assert inbox.recipients == [[person.email]]
    assert message["Content-Language"] == language
    # The header may be folded onto its next line: the folding space is not the subject's.
    assert str(message["Subject"]).strip() == SUBJECTS[language]
    if language == "ar":
        # Sent as RFC 2047 encoded words (UTF-8), which decode to the same Arabic.
        headers = inbox.raw[-1].split(b"\r\n\r\n")[0].decode("ascii")  # headers are ASCII
        start = headers.index("Subject:")
        assert headers[start : start + 20].lower().replace("\r\n ", " ").count("=?utf-8?") == 1
    html = inbox.html()
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert "<img" not in html
    text = inbox.text()
    assert "Amina Haddad" in text
    assert "http://127.0.0.1:8000/" in text  # the course and the sign-in links
    assert f"/{language}/account/sign-in/" in text
    assert f"/{language}/account/emails/" in text  # turn this kind off
    assert "<" not in text.replace("<http", "")
    assert Notification.objects.get().sent_at is not None


def test_a_workshop_invitation_carries_the_agenda_in_the_participants_time_zone(
    site, inbox, django_capture_on_commit_callbacks
):
    person = _person("fr")
    sessions = [
        WorkshopSession(
            "Preuve électronique",
            datetime(2026, 5, 4, 8, 0, tzinfo=UTC),
            datetime(2026, 5, 4, 11, 30, tzinfo=UTC),
            "Niamey",
        ),
        WorkshopSession(
            "Entraide judiciaire",
            datetime(2026, 5, 5, 8, 0, tzinfo=UTC),
            datetime(2026, 5, 5, 12, 0, tzinfo=UTC),
        ),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        workshop_invitation_send(
            user=person,
            workshop_key="sahel-2026",
            title="Atelier régional",
            sessions=sessions,
            time_zone="Africa/Niamey",
        )
        # One invitation per person and workshop.
        assert (
            workshop_invitation_send(
                user=person,
                workshop_key="sahel-2026",
                title="Atelier régional",
                sessions=sessions,
                time_zone="Africa/Niamey",
            )
            is None
        )
    (message,) = inbox.messages
    assert str(message["Subject"]).strip() == "Invitation : Atelier régional"
    text = inbox.text()
    assert "lundi 4 mai 2026, 09:00–12:30: Preuve électronique (Niamey)" in text
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(attachment.get_content())
    events = list(calendar.walk("VEVENT"))
    assert [str(event["summary"]) for event in events] == [
        "Atelier régional — Preuve électronique",
        "Atelier régional — Entraide judiciaire",
    ]
    assert events[0]["dtstart"].dt.tzinfo.key == "Africa/Niamey"
    assert events[0]["dtstart"].dt.hour == 9
    assert calendar.walk("VTIMEZONE")


def test_a_kind_turned_off_in_preferences_is_not_sent_but_security_notices_are(
    site, client, inbox, django_capture_on_commit_callbacks
):
    person = _person("en")
    client.force_login(person)
    page = client.get("/en/account/emails/")
    assert page.status_code == 200
    assert "Courses assigned to me" in page.content.decode()
    client.post("/en/account/emails/", {"receive": ["reminders", "workshops", "certificates"]})
    assert "E-mails" in client.get("/en/account/preferences/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(kind="course_assigned", recipient=person, key="a", params={})
        notification_send(kind="second_factor_removed", recipient=person, key="b")
    assert [str(m["Subject"]).strip() for m in inbox.messages] == [
        "Two-step verification was turned off for your account"
    ]
    assert Notification.objects.get(key="a").skipped == "turned off"


def test_imported_users_get_their_set_password_link_and_the_links_file_stays(
    site, inbox, django_capture_on_commit_callbacks
):
    from cms.models import Organisation
    from cms.user_import import users_import

    Organisation.objects.create(name="Digital Evidence Unit", name_en="Digital Evidence Unit",
                                country="NE")  # fmt: skip
    csv = (
        "username,email,first_name,last_name,organisation,country,role,language\n"
        "leila,leila@example.org,Leila,Ben,Digital Evidence Unit,NE,learner,ar\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = users_import(text=csv, base_url="https://tadrib.example.org")
    assert len(result.links) == 1
    (message,) = inbox.messages
    assert message["Content-Language"] == "ar"
    assert "https://tadrib.example.org/ar/account/set-password/" in inbox.text()
