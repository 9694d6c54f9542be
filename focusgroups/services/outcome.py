"""The leader turns submitted scores into the office's result: consensus adjustments, then finalising."""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.audit import audit_event
from placement.services.common import PlacementError
from placement.services.suitability import suitability_scores_from_focus_group

from .. import selectors
from ..models import FocusGroup, Outcome
from .shared import FocusGroupError, group_touch, require_group_phase, require_state, require_version

THOUSANDTHS = Decimal("0.001")
MAX_ADJUSTMENT = Decimal("2")


def _as_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(value)).quantize(THOUSANDTHS, rounding=ROUND_HALF_UP)


def _require_results_visible(group: FocusGroup) -> None:
    """The leader works on the aggregate once everyone has submitted or scoring is closed."""
    if group.state == FocusGroup.State.CLOSED:
        return
    if group.state == FocusGroup.State.SCORING and selectors.progress_of(group).complete:
        return
    raise FocusGroupError(_("The aggregate is ready once every member has submitted, or when you close scoring."))


def outcome_adjust(*, group: FocusGroup, candidate, adjustment: str, reason: str, version: int | None,
                   acting_user) -> Outcome:
    """Record the group's consensus adjustment of a candidate's aggregate, with its reason."""
    try:
        value = Decimal(str(adjustment).strip() or "0")
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > MAX_ADJUSTMENT or value != value.quantize(THOUSANDTHS):
        raise FocusGroupError(_("An adjustment is a number from −%(limit)s to %(limit)s with at most three decimals.")
                              % {"limit": MAX_ADJUSTMENT})
    reason = reason.strip()
    if value != 0 and not reason:
        raise FocusGroupError(_("Say why the group adjusts this score; the reason is kept in the record."))
    with transaction.atomic():
        group = FocusGroup.objects.select_for_update().select_related("cycle").get(pk=group.pk)
        require_version(group, version)
        require_group_phase(group)
        require_state(group, {FocusGroup.State.SCORING, FocusGroup.State.CLOSED},
                      _("The focus group is finalised: its results are read-only."))
        _require_results_visible(group)
        if not group.roster.filter(candidate=candidate).exists():
            raise FocusGroupError(_("That candidate is not on this focus group's roster."))
        outcome, _created = Outcome.objects.select_for_update().get_or_create(group=group, candidate=candidate)
        old = [str(outcome.adjustment), outcome.adjustment_reason]
        if (outcome.adjustment, outcome.adjustment_reason) == (value, reason):
            return outcome
        outcome.adjustment, outcome.adjustment_reason = value, reason
        outcome.save(update_fields=["adjustment", "adjustment_reason"])
        group_touch(group)
        audit_event(outcome, "outcome.adjusted", actor=acting_user, group=group.pk, candidate=candidate.pk,
                    changes={"adjustment": [old[0], str(value)], "adjustment_reason": [old[1], reason]})
    return outcome


def focus_group_finalise(*, group: FocusGroup, missing_scores_reason: str, version: int | None,
                         acting_user) -> FocusGroup:
    """Fix each rostered candidate's final score and rank, and make them the office's suitability scores.

    Missing scores (a member who did not submit for a candidate) are allowed only with a reason, which is kept.
    The final score is the weighted aggregate plus the consensus adjustment; candidates nobody scored get none.
    """
    reason = missing_scores_reason.strip()
    with transaction.atomic():
        group = FocusGroup.objects.select_for_update().select_related("cycle", "office").get(pk=group.pk)
        require_version(group, version)
        require_group_phase(group)
        require_state(group, {FocusGroup.State.SCORING, FocusGroup.State.CLOSED},
                      _("Only a group whose scoring has opened can be finalised, and only once."))
        progress = selectors.progress_of(group)
        if not progress.complete and not reason:
            raise FocusGroupError(_(
                "Some scores are missing (%(done)s of %(expected)s submitted). Finalise anyway only with a reason, "
                "which is kept in the record; otherwise wait or reopen scoring.") % {
                "done": sum(progress.by_candidate.values()),
                "expected": progress.rater_count * progress.roster_size})
        result = selectors.aggregate_of(group)
        adjustments = {outcome.candidate_id: outcome for outcome in Outcome.objects.select_for_update().filter(
            group=group)}
        finals: list[tuple[int, Decimal | None, Decimal | None]] = []
        for item in result.candidates:
            aggregate = _as_decimal(item.weighted)
            outcome = adjustments.get(item.candidate)
            adjustment = outcome.adjustment if outcome else Decimal(0)
            final = None if aggregate is None else (aggregate + adjustment).quantize(THOUSANDTHS)
            finals.append((item.candidate, aggregate, final))
        ranked = sorted((final, candidate) for candidate, _aggregate, final in finals if final is not None)
        ranks: dict[int, int] = {}
        previous, previous_rank = None, 0
        for position, (final, candidate) in enumerate(sorted(ranked, key=lambda pair: (-pair[0], pair[1])), start=1):
            # Equal final scores share a rank (1, 1, 3), as the aggregate does.
            ranks[candidate] = previous_rank if final == previous else position
            previous, previous_rank = final, ranks[candidate]
        for candidate, aggregate, final in finals:
            outcome = adjustments.get(candidate) or Outcome(group=group, candidate_id=candidate)
            outcome.aggregate_score, outcome.final_score, outcome.rank = aggregate, final, ranks.get(candidate)
            outcome.save()
        now = clock.now()
        old_state = group.state
        group.state, group.finalised_at, group.finalised_by = FocusGroup.State.FINALISED, now, acting_user
        group.missing_scores_reason = reason if not progress.complete else ""
        if old_state == FocusGroup.State.SCORING:
            group.scoring_closed_at = now
        group_touch(group, "state", "finalised_at", "finalised_by", "missing_scores_reason", "scoring_closed_at")
        scores = {candidate: final for candidate, _aggregate, final in finals if final is not None}
        try:
            suitability_scores_from_focus_group(cycle=group.cycle, office=group.office, scores=scores,
                                                acting_user=acting_user)
        except PlacementError as error:
            raise FocusGroupError(str(error)) from error
        audit_event(group, "focus_group.finalised", actor=acting_user,
                    changes={"state": [old_state, FocusGroup.State.FINALISED]},
                    missing_scores_reason=group.missing_scores_reason, alpha=result.alpha,
                    icc=result.icc.value if result.icc else None,
                    scores={str(candidate): str(final) for candidate, final in scores.items()})
    return group
