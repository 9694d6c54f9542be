"""The one seam through which services queue background work.

Services name a task instead of importing it, so a services module never imports its tasks module
(the tasks import the services they call). The task is sent only when the surrounding transaction
commits, so a worker never reads rows that are not there yet, and a rolled-back write queues nothing.

The broker is checked when the work is queued, inside the transaction: with the broker unreachable the write
is refused (QueueUnavailable, which core.middleware turns into a clear 503 page) instead of committing work that
no worker will ever see.
"""
import logging

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError

from .audit import as_system

logger = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    """The broker cannot be reached, so background work cannot be queued now and nothing was saved."""


def broker_check() -> None:
    """Raise QueueUnavailable unless the broker answers (tasks that run inline need no broker)."""
    if current_app.conf.task_always_eager:
        return
    timeout = current_app.conf.broker_connection_timeout
    try:
        with current_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
    except OperationalError as error:
        logger.error("The task broker is unreachable: %s", error)
        raise QueueUnavailable(str(error)) from error


def enqueue(task_name: str, *args, **kwargs) -> None:
    """Queue the named Celery task with these arguments once the current transaction commits."""
    broker_check()
    # Looking the task up in the app's registry (not send_task) keeps CELERY_TASK_ALWAYS_EAGER working:
    # the local default runs the task inline, exactly as a worker would.
    transaction.on_commit(lambda: _send(task_name, args, kwargs))


def _send(task_name: str, args: tuple, kwargs: dict) -> None:
    # A task's work is the system's, also when it runs inline in the request that queued it.
    with as_system():
        try:
            current_app.tasks[task_name].delay(*args, **kwargs)
        except OperationalError:
            # The broker went away between the check and the commit. The write stands, and the sweepers
            # (placement_runs_sweep, video_uploads_sweep) pick the work up or close it, so the request succeeds.
            logger.exception("Could not queue %s%r after commit; the sweepers will pick it up.", task_name, args)
