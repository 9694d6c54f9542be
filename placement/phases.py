"""The one public answer to "which phase is this cycle in now?", read by every app.

Every app that gates an action by the cycle's timetable asks here, so the pages, the services and the
background tasks agree on when a phase ends.
"""
from core import clock

from .models import ExamCycle, Phase

# The phases before the placement runs: the inputs of a run can still change.
BEFORE_PLACEMENT = frozenset({Phase.OFFICE_PROFILES, Phase.CANDIDATE_SUBMISSIONS, Phase.FOCUS_GROUPS,
                              Phase.PREFERENCES})
# The phases in which candidates may still add or remove what the focus groups will evaluate.
SUBMISSIONS_OPEN = frozenset({Phase.OFFICE_PROFILES, Phase.CANDIDATE_SUBMISSIONS})


def cycle_phase(cycle: ExamCycle, *, published: bool | None = None) -> str:
    """Return the cycle's phase now, by its deadlines and whether a result is published.

    Pass `published` when a query already knows it, to save looking it up.
    """
    if published is None:
        published = cycle.publications.exists()
    return cycle.phase_at(clock.now(), published=published)


def cycle_in_phase(cycle: ExamCycle, phases) -> bool:
    """Return whether the cycle is now in one of these phases."""
    return cycle_phase(cycle) in phases


def submissions_open(cycle: ExamCycle | None) -> bool:
    """Return whether candidates may still change their submissions (true when there is no cycle to close them)."""
    return cycle is None or cycle_in_phase(cycle, SUBMISSIONS_OPEN)
