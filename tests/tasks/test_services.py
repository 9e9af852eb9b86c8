"""The job ledger: enqueued on commit only, run once, retried with backoff, recovered after a
worker died, retried by hand from Settings → Background tasks."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tasks.models import Job
from tasks.rules import MAX_ATTEMPTS
from tasks.services import job_enqueue, job_retry, job_run, jobs_recover, periodic_enqueue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def test_a_rolled_back_change_enqueues_nothing(calls, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        job_enqueue(kind="tests.record", key="k1", arguments={"n": 1})
        raise Rollback
    assert callbacks == []
    assert not Job.objects.exists()
    assert calls == []


def test_a_committed_job_runs_after_the_commit_and_only_then(
    calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job_enqueue(kind="tests.record", key="k1", arguments={"n": 1})
        assert calls == []  # not before the commit
    assert len(callbacks) == 1
    assert calls == [{"n": 1}]
    job = Job.objects.get()
    assert (job.state, job.attempts) == (Job.State.DONE, 1)


def test_the_same_key_is_recorded_and_run_once(calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert job_enqueue(kind="tests.record", key="k1", arguments={"n": 1}) is not None
        assert job_enqueue(kind="tests.record", key="k1", arguments={"n": 2}) is None
    assert calls == [{"n": 1}]


def test_a_job_handed_over_twice_runs_once(calls):
    job = Job.objects.create(kind="tests.record", key="k1", arguments={"n": 1})
    assert job_run(job_id=job.pk) is True
    assert job_run(job_id=job.pk) is False
    assert len(calls) == 1


def test_a_failing_job_is_retried_later_then_recorded_as_failed(calls):
    job = Job.objects.create(kind="tests.record", key="k1", arguments={"fail": True})
    before = timezone.now()
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED
    assert job.run_after >= before + timedelta(minutes=1)
    assert "the mail server is away" in job.error
    assert job_run(job_id=job.pk) is False  # not due yet
    for _attempt in range(2, MAX_ATTEMPTS + 1):
        Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
        job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.FAILED, MAX_ATTEMPTS)
    assert job.error == "ConnectionError: the mail server is away"
    assert len(calls) == MAX_ATTEMPTS


def test_a_job_whose_worker_died_runs_again_once(calls, django_capture_on_commit_callbacks):
    long_ago = timezone.now() - timedelta(hours=1)
    job = Job.objects.create(
        kind="tests.record", key="k1", state=Job.State.RUNNING, attempts=1, lease_until=long_ago
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_recover(now=timezone.now()) == 1
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 2)
    assert len(calls) == 1


def test_a_running_job_within_its_lease_is_left_alone(calls):
    Job.objects.create(
        kind="tests.record",
        key="k1",
        state=Job.State.RUNNING,
        attempts=1,
        lease_until=timezone.now() + timedelta(minutes=5),
    )
    assert jobs_recover(now=timezone.now()) == 0
    assert calls == []


def test_each_periodic_job_is_recorded_once_per_period_by_any_number_of_schedulers():
    now = timezone.now()
    first = periodic_enqueue(now=now)
    assert {job.kind for job in first} >= {"notifications.reminders", "xapi.deliver"}
    assert periodic_enqueue(now=now) == []


def test_an_administrator_retries_a_failed_job(calls, django_capture_on_commit_callbacks):
    job = Job.objects.create(
        kind="tests.record", key="k1", state=Job.State.FAILED, attempts=5, error="boom"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert job_retry(job=job) is True
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 1)
    assert job_retry(job=job) is False


def test_background_tasks_read_as_sentences_with_a_retry_button(client, site, calls):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    amina = UserFactory(username="amina", first_name="Amina", last_name="Haddad")
    Job.objects.create(
        kind="notifications.deliver",
        key="email:1",
        arguments={"notification_id": 1, "kind": "due_reminder", "user_id": amina.pk,
                   "recipient": "Amina Haddad"},
        state=Job.State.FAILED,
        attempts=5,
        error="SMTPServerDisconnected: Connection unexpectedly closed",
    )  # fmt: skip
    failed = Job.objects.get()
    client.force_login(admin)
    page = client.get("/admin/tasks/jobs/").content.decode()
    assert "E-mail “Due-date reminder” to" in page
    assert f"/admin/users/edit/{amina.pk}/" in page or f"/admin/users/{amina.pk}/" in page
    assert "Failed after 5 attempts" in page
    assert "Connection unexpectedly closed" in page
    assert f"/admin/tasks/jobs/{failed.pk}/retry/" in page
    assert "notifications.deliver" not in page
    confirm = client.get(f"/admin/tasks/jobs/{failed.pk}/retry/")
    assert confirm.status_code == 200
    reply = client.post(f"/admin/tasks/jobs/{failed.pk}/retry/")
    assert reply.status_code == 302
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (Job.State.QUEUED, 0)


def test_only_superusers_see_background_tasks(client, site):
    client.force_login(UserFactory(username="staff", is_staff=True))
    assert client.get("/admin/tasks/jobs/").status_code in (302, 403)
