"""The office's suitability scores as its focus group finalised them on the platform."""
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_event

from ..models import ExamCycle, LandOffice, Phase, SuitabilityScore
from ..phases import BEFORE_PLACEMENT
from .common import require_phase


def suitability_scores_from_focus_group(*, cycle: ExamCycle, office: LandOffice, scores: dict[int, Decimal],
                                        acting_user) -> int:
    """Make the office's scores in the cycle exactly the focus group's final scores; return how many.

    Scores imported earlier for the office are replaced, including those of candidates the group did not score:
    the blended policy rescales an office's scores over every candidate it scored, so a mix of an imported scale
    and the group's scale would rank candidates by which source they came from.
    """
    require_phase(cycle, BEFORE_PLACEMENT | {Phase.PLACEMENT},
                  _("Suitability scores can no longer change: the result is published."))
    with transaction.atomic():
        existing = {row.candidate_id: row for row in SuitabilityScore.objects.select_for_update().filter(
            office=office, candidate__cycle=cycle)}
        removed = sorted(set(existing) - set(scores))
        SuitabilityScore.objects.filter(pk__in=[existing[candidate_id].pk for candidate_id in removed]).delete()
        for candidate_id, score in scores.items():
            row = existing.get(candidate_id)
            if row is None:
                SuitabilityScore.objects.create(office=office, candidate_id=candidate_id, score=score,
                                                source=SuitabilityScore.Source.FOCUS_GROUP)
            elif (row.score, row.source) != (score, SuitabilityScore.Source.FOCUS_GROUP):
                row.score, row.source = score, SuitabilityScore.Source.FOCUS_GROUP
                row.save(update_fields=["score", "source"])
        audit_event(cycle, "exam_cycle.suitability_from_focus_group", actor=acting_user, office=office.code,
                    scored=len(scores), removed=removed)
    return len(scores)
