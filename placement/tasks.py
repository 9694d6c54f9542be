"""Background tasks for placement: each takes ids, loads its rows and calls one service."""
from celery import shared_task

from .services import notifications, runs


@shared_task
def placement_run_execute_task(run_id: int) -> None:
    """Execute a queued run; a run already started or finished is left alone."""
    runs.placement_run_execute(run_id=run_id)


@shared_task
def publication_notify_task(publication_id: int) -> None:
    """Plan the emails of a publication and queue them in batches."""
    notifications.publication_notify(publication_id=publication_id)


@shared_task
def publication_emails_send_task(email_ids: list[int]) -> None:
    """Send a batch of a publication's emails; those already sent are skipped."""
    notifications.publication_emails_send(email_ids=email_ids)
