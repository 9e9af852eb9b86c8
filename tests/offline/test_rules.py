"""Pure rules of offline use, without a database."""

import uuid
from datetime import UTC, datetime, timedelta

from offline.rules import Verdict, asset_urls, client_id, submission_verdict

DEADLINE = datetime(2026, 3, 1, 10, 45, tzinfo=UTC)


def test_an_untimed_quiz_has_no_deadline_to_miss():
    assert submission_verdict(deadline=None, grace_seconds=30, received_at=DEADLINE) == "untimed"


def test_received_within_the_grace_is_within_the_time_limit():
    at = DEADLINE + timedelta(seconds=30)
    assert submission_verdict(deadline=DEADLINE, grace_seconds=30, received_at=at) is Verdict.WITHIN


def test_received_after_the_grace_is_late_whatever_the_device_says():
    at = DEADLINE + timedelta(seconds=31)
    assert submission_verdict(deadline=DEADLINE, grace_seconds=30, received_at=at) is Verdict.LATE


def test_client_ids_are_uuids():
    made = uuid.uuid4()
    assert client_id(str(made)) == made
    assert client_id("1; DROP TABLE") is None
    assert client_id(None) is None


def test_asset_urls_keep_images_documents_and_captions_but_not_videos():
    html = (
        '<img src="/media/images/a.width-800.webp" alt="">'
        '<a href="/documents/4/law.pdf" download>Law</a>'
        '<video><source src="/documents/9/film.mp4">'
        '<track kind="captions" src="/documents/10/film.vtt"></video>'
        '<a href="/en/courses/other/">elsewhere</a><img src="https://cdn.example/x.png">'
        '<img src="/media/images/a.width-800.webp">'
    )
    assert asset_urls(html) == [
        "/media/images/a.width-800.webp",
        "/documents/4/law.pdf",
        "/documents/10/film.vtt",
    ]
