"""Background tasks for the focus groups: thin, idempotent, each calling one service."""
from celery import shared_task

from .services import reminders


@shared_task
def focus_group_reminders_send_task() -> None:
    """Send the reminders due before the focus-group and reply deadlines; those already sent are skipped."""
    reminders.focus_group_reminders_send()
