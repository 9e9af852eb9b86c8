"""Scale-out: a django-tasks backend that hands every task to Celery (Redis or RabbitMQ as the
broker), and the Celery application its workers run:

    TADRIB_TASK_BACKEND=celery CELERY_BROKER_URL=redis://host:6379/0 \\
        celery -A tasks.celery_backend worker --queues default

Celery carries one generic task, `tadrib.run_task`, naming the django-tasks task by its
module path; the worker imports it and calls it. Tasks are acknowledged after they ran
(`acks_late`), so the broker hands a task whose worker was killed to another worker; the job
ledger (tasks.services) makes that second delivery, or any duplicate, run the work once.

(django-tasks-celery needs Python 3.12; django-tasks-fennel 0.1 registers one Celery task per
function at import time and needs a result backend: a dozen lines here do what is needed.)
"""

import os

from celery import Celery
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.signals import task_enqueued

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

app = Celery("tadrib")
# CELERY_* settings (cms/settings/base.py); Celery sets Django up in its workers.
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="tadrib.run_task", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_task(module_path: str, args: list, kwargs: dict) -> None:
    task = import_string(module_path)
    task.call(*args, **kwargs)


class CeleryBackend(BaseTaskBackend):
    supports_defer = True

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        run_task.apply_async(
            args=[task.module_path, result.args, result.kwargs],
            task_id=result.id,
            eta=task.run_after,
            queue=self.options.get("QUEUE_PREFIX", "") + task.queue_name,
        )
        task_enqueued.send(type(self), task_result=result)
        return result
