"""Background tasks for placement: each takes an id, loads its row and calls one service."""
from celery import shared_task

from . import services


@shared_task
def placement_run_execute_task(run_id: int) -> None:
    """Execute a queued run; a run already started or finished is left alone."""
    services.placement_run_execute(run_id=run_id)


@shared_task
def publication_notify_task(publication_id: int) -> None:
    """Send the emails of a publication once."""
    services.publication_notify(publication_id=publication_id)
