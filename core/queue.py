"""The one seam through which services queue background work.

Services name a task instead of importing it, so a services module never imports its tasks module
(the tasks import the services they call). The task is sent only when the surrounding transaction
commits, so a worker never reads rows that are not there yet, and a rolled-back write queues nothing.
"""
from celery import current_app
from django.db import transaction

from .audit import as_system


def enqueue(task_name: str, *args, **kwargs) -> None:
    """Queue the named Celery task with these arguments once the current transaction commits."""
    # Looking the task up in the app's registry (not send_task) keeps CELERY_TASK_ALWAYS_EAGER working:
    # the local default runs the task inline, exactly as a worker would.
    transaction.on_commit(lambda: _send(task_name, args, kwargs))


def _send(task_name: str, args: tuple, kwargs: dict) -> None:
    # A task's work is the system's, also when it runs inline in the request that queued it.
    with as_system():
        current_app.tasks[task_name].delay(*args, **kwargs)
