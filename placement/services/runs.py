"""Placement runs: queued by staff, solved in the background on a frozen snapshot of the cycle."""
import logging
import secrets
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import clock
from core.audit import as_system, audit_event
from core.queue import enqueue

from .. import engine
from ..engine_io import (
    assignment_hash,
    assignment_rows,
    assignment_stats_json,
    canonical_json,
    sha256_hex,
    snapshot_for_run,
    solve_round_snapshot,
    solve_snapshot,
)
from ..models import Assignment, ExamCycle, Phase, PlacementRun
from .common import PlacementError, require_phase
from .preferences import preference_lists_submit_at_deadline

logger = logging.getLogger(__name__)

def placement_run_start(*, cycle: ExamCycle, policy: str, exam_weight: Decimal, seed: int | None,
                        acting_user=None) -> PlacementRun:
    """Queue a placement run; refuse while the preference phase is open or another run is under way."""
    require_phase(cycle, {Phase.PLACEMENT, Phase.PUBLISHED},
                   _("Runs start after the preference deadline, when every list is final."))
    if policy == PlacementRun.Policy.EXAM_RANK:
        exam_weight = Decimal(1)
    if not Decimal(0) <= Decimal(exam_weight) <= Decimal(1):
        raise PlacementError(_("The exam weight must be between 0 and 1."))
    # Lists saved but not submitted by the deadline are submitted now if the periodic task has not done it yet, so
    # the run and every candidate's receipt agree on the lists that took part.
    preference_lists_submit_at_deadline(cycle=cycle)
    busy = _("Another run of this cycle is still under way. Wait for it to finish.")
    if PlacementRun.objects.filter(cycle=cycle, status__in=[PlacementRun.Status.QUEUED, PlacementRun.Status.RUNNING]
                                   ).exists():
        raise PlacementError(busy)
    try:
        with transaction.atomic():
            run = PlacementRun.objects.create(
                cycle=cycle, policy=policy, exam_weight=exam_weight,
                seed=secrets.randbits(62) if seed is None else seed,
                created_by=acting_user, created_at=clock.now(),
            )
            audit_event(run, "placement_run.started", actor=acting_user, policy=run.policy,
                        exam_weight=run.exam_weight, seed=run.seed)
            enqueue("placement.tasks.placement_run_execute_task", run.pk)
    except IntegrityError:
        # Two clicks racing past the check above meet the database's one-active-run rule.
        raise PlacementError(busy) from None
    return run


def _run_progress(run: PlacementRun, progress: int, **fields) -> None:
    # Saved outside the run's main transaction, so the progress bar of another request can see it.
    PlacementRun.objects.filter(pk=run.pk).update(progress=progress, **fields)


def placement_run_execute(*, run_id: int) -> PlacementRun | None:
    """Load, solve and save a queued run; a run already started or finished is left as it is."""
    claimed = PlacementRun.objects.filter(pk=run_id, status=PlacementRun.Status.QUEUED).update(
        status=PlacementRun.Status.RUNNING, progress=5
    )
    run = PlacementRun.objects.select_related("cycle").filter(pk=run_id).first()
    if not claimed or run is None:
        return run
    try:
        data = snapshot_for_run(run)
        snapshot = canonical_json(data)
        _run_progress(run, 30)
        solved = solve_round_snapshot(data) if run.follows_id else solve_snapshot(data)
        _run_progress(run, 60)
        with transaction.atomic():
            Assignment.objects.filter(run=run).delete()
            Assignment.objects.bulk_create(assignment_rows(run=run, solved=solved), batch_size=2000)
            run.snapshot = snapshot
            run.snapshot_sha256 = sha256_hex(snapshot)
            run.engine_version = engine.ENGINE_VERSION
            run.assignment_sha256 = assignment_hash(solved.assignment)
            run.blocking_pairs = len(solved.blocking_pairs)
            run.stats = assignment_stats_json(solved)
            run.status = PlacementRun.Status.SUCCEEDED
            run.progress = 100
            run.finished_at = clock.now()
            run.save()
            audit_event(run, "placement_run.succeeded", snapshot_sha256=run.snapshot_sha256,
                        assignment_sha256=run.assignment_sha256, blocking_pairs=run.blocking_pairs)
    except Exception as error:
        # The failure is kept on the run for staff to read; raising would only make the worker retry the same input.
        logger.exception("Placement run %s failed.", run.pk)
        _run_progress(run, 100, status=PlacementRun.Status.FAILED, error=str(error)[:2000], finished_at=clock.now())
        audit_event(run, "placement_run.failed", error=str(error)[:500])
    return run


def placement_run_cancel(*, run: PlacementRun, acting_user, reason: str = "") -> PlacementRun:
    """Stop a run that is queued or running, so the cycle is free for a new one; a finished run is left alone."""
    message = _("Cancelled by %(who)s.") % {"who": acting_user} + (f" {reason.strip()}" if reason.strip() else "")
    stopped = PlacementRun.objects.filter(
        pk=run.pk, status__in=[PlacementRun.Status.QUEUED, PlacementRun.Status.RUNNING],
    ).update(status=PlacementRun.Status.FAILED, error=message[:2000], finished_at=clock.now(), progress=100)
    if not stopped:
        raise PlacementError(_("This run has already finished, so there is nothing to cancel."))
    audit_event(run, "placement_run.cancelled", actor=acting_user, reason=reason.strip())
    run.refresh_from_db()
    return run


def placement_runs_sweep(*, older_than_minutes: int) -> int:
    """Fail the runs left queued or running longer than a run can take (their task was lost); return how many.

    A lost task (a broker that was down, a worker killed) would otherwise keep the cycle's one active run slot and
    refuse every later start. A run the sweeper stops can simply be started again.
    """
    cutoff = clock.now() - timedelta(minutes=older_than_minutes)
    stuck = list(PlacementRun.objects.filter(
        status__in=[PlacementRun.Status.QUEUED, PlacementRun.Status.RUNNING], created_at__lt=cutoff,
    ).values_list("pk", flat=True))
    message = _("Stopped: the run did not finish within %(minutes)s minutes, so its task was lost. Start it again."
                ) % {"minutes": older_than_minutes}
    for run_id in stuck:
        updated = PlacementRun.objects.filter(
            pk=run_id, status__in=[PlacementRun.Status.QUEUED, PlacementRun.Status.RUNNING], created_at__lt=cutoff,
        ).update(status=PlacementRun.Status.FAILED, error=message, finished_at=clock.now(), progress=100)
        if updated:
            with as_system():
                audit_event(PlacementRun(pk=run_id), "placement_run.swept", minutes=older_than_minutes)
    return len(stuck)
