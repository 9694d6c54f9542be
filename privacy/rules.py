"""When a candidate may have their personal data erased: the one rule every page and service asks."""
from core import clock
from placement.models import ExamCycle, Phase, PlacementRun
from placement.phases import cycle_phase


def erasure_opens_at(cycle: ExamCycle):
    """Return the moment from which the cycle's candidates may have their data erased, or None while unknown.

    Until the result is published nobody knows whom it places, and until the report-by time has passed (and
    the window for the lists of the next supplementary round, when one is set) a candidate may still confirm,
    decline, defer or be placed by a round: the platform still needs their contact details and list for that.
    Before publication, or while no report-by time is set, the moment is not known yet.
    """
    if cycle_phase(cycle) != Phase.PUBLISHED or cycle.report_by is None:
        return None
    return max(moment for moment in (cycle.report_by, cycle.round_preferences_until) if moment is not None)


def erasure_allowed(cycle: ExamCycle) -> bool:
    """Return whether the cycle is closed, so that its candidates may now have their data erased.

    Closed means: a result is published, the moment erasure_opens_at() gives has passed, and no placement run
    (a supplementary round) is queued or running.
    """
    opens_at = erasure_opens_at(cycle)
    if opens_at is None or opens_at > clock.now():
        return False
    return not cycle.runs.filter(status__in=[PlacementRun.Status.QUEUED, PlacementRun.Status.RUNNING]).exists()
