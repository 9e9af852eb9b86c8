"""The one task the queue carries for the job ledger (`services.job_run`)."""

from django_tasks import task


@task()
def job_run_task(job_id: int) -> bool:
    from .services import job_run

    return job_run(job_id=job_id)
