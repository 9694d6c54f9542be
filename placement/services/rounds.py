"""Supplementary rounds: after the published placement, fill the seats freed or added, one published round at a time.

A round is a run of its own (snapshot, hashes, stability check) that names the run it follows; it never changes a
published run, and it never moves a candidate who holds a seat from an earlier run.
"""
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from core import clock
from core.audit import audit_event
from core.queue import enqueue

from ..engine_io import published_runs
from ..models import ExamCycle, PlacementRun
from .common import PlacementError
from .preferences import preference_lists_submit_at_deadline, round_preferences_open


def placement_round_start(*, cycle: ExamCycle, policy: str, exam_weight: Decimal, seed: int | None,
                          acting_user=None) -> PlacementRun:
    """Queue the next supplementary round after the runs in force; refuse while another run is under way."""
    runs = published_runs(cycle)
    if not runs:
        raise PlacementError(_("A supplementary round follows the published placement; publish it first."))
    if policy not in PlacementRun.Policy.values:
        raise PlacementError(_("Choose a policy the main run offers."))
    if policy == PlacementRun.Policy.EXAM_RANK:
        exam_weight = Decimal(1)
    if not Decimal(0) <= Decimal(exam_weight) <= Decimal(1):
        raise PlacementError(_("The exam weight must be between 0 and 1."))
    busy = _("Another run of this cycle is still under way. Wait for it to finish.")
    if PlacementRun.objects.filter(cycle=cycle, status__in=[PlacementRun.Status.QUEUED, PlacementRun.Status.RUNNING]
                                   ).exists():
        raise PlacementError(busy)
    if round_preferences_open(cycle):
        raise PlacementError(_("Candidates may still change their lists for this round until %(deadline)s; start "
                               "the round after that.") % {"deadline": formats.date_format(
                                   cycle.round_preferences_until, "SHORT_DATETIME_FORMAT")})
    # Lists changed for the round but not submitted again count as submitted at the end of that window.
    preference_lists_submit_at_deadline(cycle=cycle)
    follows = runs[-1]
    try:
        with transaction.atomic():
            run = PlacementRun.objects.create(
                cycle=cycle, policy=policy, exam_weight=exam_weight, follows=follows, round_number=len(runs) + 1,
                seed=secrets.randbits(62) if seed is None else seed, created_by=acting_user, created_at=clock.now(),
            )
            audit_event(run, "placement_round.started", actor=acting_user, policy=run.policy,
                        exam_weight=run.exam_weight, seed=run.seed, follows=follows.pk, round=run.round_number)
            enqueue("placement.tasks.placement_run_execute_task", run.pk)
    except IntegrityError:
        raise PlacementError(busy) from None
    return run
