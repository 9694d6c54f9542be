"""Publishing a run's result: the one act that makes a placement official."""
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from core import clock
from core.audit import audit_event
from core.queue import enqueue

from ..engine_io import published_runs
from ..models import (
    Assignment,
    Candidate,
    ExamCycle,
    LandOffice,
    Phase,
    PlacementRun,
    PlaceResponse,
    Publication,
)
from ..selectors import published_rows, results_hash, run_is_stale
from .common import PlacementError, require_phase
from .reporting import place_responses_open


def publication_create(*, run: PlacementRun, acting_user=None, reason: str = "") -> Publication:
    """Publish a finished, stable, current run; a later publication supersedes the earlier one."""
    with transaction.atomic():
        # Locking the cycle row serialises publishing, so two publications cannot both supersede the same one.
        cycle = ExamCycle.objects.select_for_update().get(pk=run.cycle_id)
        run = PlacementRun.objects.get(pk=run.pk)
        require_phase(cycle, {Phase.PLACEMENT, Phase.PUBLISHED},
                       _("Results are published after the preference deadline."))
        if run.status != PlacementRun.Status.SUCCEEDED:
            raise PlacementError(_("Only a finished run can be published."))
        if Publication.objects.filter(run=run).exists():
            raise PlacementError(_("This run is already published."))
        if run.blocking_pairs:
            raise PlacementError(_("This run is not stable (%(n)s blocking pairs) and cannot be published.")
                                 % {"n": run.blocking_pairs})
        if run_is_stale(run):
            raise PlacementError(_("The inputs changed after this run took its snapshot. Start a new run and "
                                   "publish that one."))
        if run.follows_id:
            return _round_publish(cycle=cycle, run=run, acting_user=acting_user)
        if Publication.objects.filter(cycle=cycle, round_number__isnull=False).exists():
            raise PlacementError(_("Supplementary rounds follow the published placement, so it can no longer be "
                                   "replaced."))
        current = Publication.objects.filter(cycle=cycle, superseded_by__isnull=True, round_number__isnull=True
                                             ).first()
        if current is not None and not reason.strip():
            raise PlacementError(_("Say why this run replaces the published one."))
        if current is not None and PlaceResponse.objects.filter(assignment__run=current.run_id).exclude(
                state=PlaceResponse.State.PENDING).exists():
            raise PlacementError(_("Candidates have already answered the published places, so the result can no "
                                   "longer be replaced; fill freed seats with a supplementary round instead."))
        publication = Publication.objects.create(
            cycle=cycle, run=run, supersedes=current, published_at=clock.now(), published_by=acting_user,
            reason=reason.strip(), results_sha256=_assignments_freeze(run),
        )
        audit_event(publication, "publication.published", actor=acting_user, run=run.pk,
                    assignment_sha256=run.assignment_sha256, results_sha256=publication.results_sha256,
                    supersedes=current.pk if current else None, reason=publication.reason)
        place_responses_open(publication=publication)
        enqueue("placement.tasks.publication_notify_task", publication.pk)
    return publication


def _round_publish(*, cycle: ExamCycle, run: PlacementRun, acting_user) -> Publication:
    """Publish a supplementary round on its own; it must follow the last run in force, as when it started."""
    runs = published_runs(cycle)
    if not runs or runs[-1].pk != run.follows_id:
        raise PlacementError(_("Another result was published after this round started. Start a new round and "
                               "publish that one."))
    publication = Publication.objects.create(cycle=cycle, run=run, published_at=clock.now(),
                                             published_by=acting_user, round_number=run.round_number,
                                             results_sha256=_assignments_freeze(run))
    audit_event(publication, "publication.round_published", actor=acting_user, run=run.pk, round=run.round_number,
                follows=run.follows_id, assignment_sha256=run.assignment_sha256,
                results_sha256=publication.results_sha256)
    place_responses_open(publication=publication)
    enqueue("placement.tasks.publication_notify_task", publication.pk)
    return publication


def _assignments_freeze(run: PlacementRun) -> str:
    """Copy into the run's rows what the publication shows of its candidates and offices; return their hash.

    This must happen before the publication row exists: from then on the database refuses any change to the rows.
    """
    candidate = Candidate.objects.filter(pk=OuterRef("candidate_id"))
    office = LandOffice.objects.filter(pk=OuterRef("office_id"))
    Assignment.objects.filter(run=run).update(
        exam_number=Subquery(candidate.values("exam_number")[:1]),
        candidate_name=Subquery(candidate.values("name")[:1]),
        exam_rank=Subquery(candidate.values("exam_rank")[:1]),
        office_code=Subquery(office.values("code")[:1]),
        office_name=Subquery(office.values("name")[:1]),
        office_name_en=Subquery(office.values("name_en")[:1]),
        office_county=Subquery(office.values("county")[:1]),
        office_county_en=Subquery(office.values("county_en")[:1]),
    )
    return results_hash(published_rows(run_id=run.pk))
