"""When a candidate may have their personal data erased: the one rule every page and service asks."""
from core import clock
from placement.models import ExamCycle, Phase, PlacementRun
from placement.phases import cycle_phase

# A supplementary round under way may still place the cycle's candidates.
ACTIVE_RUN_STATES = [PlacementRun.Status.QUEUED, PlacementRun.Status.RUNNING]


def erasure_opens_at(cycle: ExamCycle, *, published: bool | None = None):
    """Return the moment from which the cycle's candidates may have their data erased, or None while unknown.

    Until the result is published nobody knows whom it places, and until the report-by time has passed (and
    the window for the lists of the next supplementary round, when one is set) a candidate may still confirm,
    decline, defer or be placed by a round: the platform still needs their contact details and list for that.
    Before publication, or while no report-by time is set, the moment is not known yet. Pass `published` when a
    query already knows it.
    """
    if cycle_phase(cycle, published=published) != Phase.PUBLISHED or cycle.report_by is None:
        return None
    return max(moment for moment in (cycle.report_by, cycle.round_preferences_until) if moment is not None)


def erasure_allowed(cycle: ExamCycle, *, published: bool | None = None, run_active: bool | None = None) -> bool:
    """Return whether the cycle is closed, so that its candidates may now have their data erased.

    Closed means: a result is published, the moment erasure_opens_at() gives has passed, and no placement run
    (a supplementary round) is queued or running. Pass what a query already knows to save looking it up.
    """
    opens_at = erasure_opens_at(cycle, published=published)
    if opens_at is None or opens_at > clock.now():
        return False
    if run_active is None:
        run_active = cycle.runs.filter(status__in=ACTIVE_RUN_STATES).exists()
    return not run_active
