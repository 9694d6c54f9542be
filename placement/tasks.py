"""Background tasks for placement: each takes ids, loads its rows and calls one service."""
from celery import shared_task
from django.conf import settings

from core import clock

from .models import ExamCycle
from .services import notifications, preferences, reporting, runs


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


@shared_task
def preference_lists_submit_due_task() -> None:
    """Submit the unsubmitted lists of every cycle whose preference deadline has passed."""
    for cycle_id in ExamCycle.objects.filter(
        preferences_until__lte=clock.now(),
        candidates__preference_list__submitted_at__isnull=True,
    ).values_list("pk", flat=True).distinct():
        preferences.preference_lists_submit_at_deadline(cycle=ExamCycle.objects.get(pk=cycle_id))


@shared_task
def preference_lists_auto_submitted_notify_task(preference_list_ids: list[int]) -> None:
    """Tell a batch of candidates their lists were submitted for them at the deadline."""
    preferences.preference_lists_auto_submitted_notify(preference_list_ids=preference_list_ids)


@shared_task
def place_responses_due_task() -> None:
    """Remind the candidates whose place is still unanswered near the report-by time; lapse those past it."""
    for cycle in ExamCycle.objects.filter(report_by__isnull=False, place_responses__state="pending").distinct():
        reporting.place_responses_remind_due(cycle=cycle)
        reporting.place_responses_lapse_due(cycle=cycle)


@shared_task
def placement_runs_sweep_task() -> None:
    """Fail the runs whose task was lost, so the cycle is free for a new run."""
    runs.placement_runs_sweep(older_than_minutes=settings.PLACEMENT_RUN_STUCK_MINUTES)
