"""Background tasks for placement: each takes ids, loads its rows and calls one service."""
import logging

from celery import shared_task
from django.conf import settings

from core import clock

from . import selectors
from .models import ExamCycle
from .services import notifications, preferences, reporting, runs

logger = logging.getLogger(__name__)


@shared_task
def placement_run_execute_task(run_id: int) -> None:
    """Execute a queued run; a run already started or finished is left alone."""
    runs.placement_run_execute(run_id=run_id)


@shared_task
def publication_notify_task(publication_id: int) -> None:
    """Plan the emails of a publication and queue them in batches."""
    notifications.publication_notify(publication_id=publication_id)


# A refused address or a mail server that is down is tried again after about 1, 2, 4, 8 and 16 minutes (jittered),
# then left for the examination staff, who see it counted as failed on the after-publication page.
EMAIL_SEND_RETRIES = 5


@shared_task(bind=True, autoretry_for=(notifications.EmailsPending,), max_retries=EMAIL_SEND_RETRIES,
             retry_backoff=60, retry_backoff_max=30 * 60, retry_jitter=True)
def publication_emails_send_task(self, email_ids: list[int]) -> None:
    """Send a batch of a publication's emails; those already sent are skipped, those that fail are retried."""
    notifications.publication_emails_send(email_ids=email_ids)
    failed = notifications.publication_emails_failed(email_ids=email_ids)
    # The last attempt ends quietly: its failures stay on the rows, and raising would only fail the task. Run inline
    # with errors propagating (without a broker), a retry would raise into the request that published instead.
    inline = self.request.is_eager and self.app.conf.task_eager_propagates
    if failed and self.request.retries < self.max_retries and not inline:
        raise notifications.EmailsPending(f"{failed} publication emails are not sent yet")


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


@shared_task
def published_results_verify_task() -> int:
    """Log an error for every published result that no longer matches its stored hashes; return how many.

    The database refuses changes to published rows, but the tables' owner can disable its triggers; this daily
    check (the same as `manage.py placement_verify`) makes such a change show up in the error log.
    """
    problems = selectors.published_results_problems()
    for problem in problems:
        logger.error("Published results changed behind the database's guard: %s", problem)
    return len(problems)
