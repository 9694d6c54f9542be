"""The exam cycle's timetable."""
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import clock
from core.audit import audit_event

from ..models import PHASE_DEADLINE_FIELDS, PHASE_ORDER, Candidate, ExamCycle, Phase, Publication
from .common import PlacementError


class PhaseReopenRefused(PlacementError):
    """A deadline change would move the cycle back to a phase that has ended, and nobody confirmed it."""


@dataclass(frozen=True)
class PhaseChange:
    """What a change of deadlines does to the cycle's phase now, and to whom."""

    old: str
    new: str
    effects: list[str]

    @property
    def reopens(self) -> bool:
        """Say whether the change moves the cycle back to an earlier phase, which had ended."""
        return PHASE_ORDER.index(self.new) < PHASE_ORDER.index(self.old)


def exam_cycle_phase_change(*, cycle: ExamCycle, deadlines: dict) -> PhaseChange:
    """Return the phase the cycle is in now and the one these deadlines would put it in, with who is affected."""
    published = Publication.objects.filter(cycle=cycle).exists()
    now = clock.now()
    old = cycle.phase_at(now, published=published)
    proposed = ExamCycle(**{field: deadlines.get(field) for _phase, field in PHASE_DEADLINE_FIELDS})
    new = proposed.phase_at(now, published=published)
    change = PhaseChange(old=old, new=new, effects=[])
    if not change.reopens:
        return change
    candidates = Candidate.objects.filter(cycle=cycle).count()
    order = PHASE_ORDER.index
    if order(new) < order(Phase.PREFERENCES) <= order(old):
        change.effects.append(ngettext(
            "%(n)s candidate's preference phase would close again until the new deadline passes.",
            "%(n)s candidates' preference phase would close again until the new deadline passes.",
            candidates) % {"n": candidates})
    if new == Phase.PREFERENCES and order(old) > order(Phase.PREFERENCES):
        change.effects.append(ngettext(
            "%(n)s candidate could change their preference list again, and no run can start until the new "
            "deadline; runs already finished would no longer match the lists.",
            "%(n)s candidates could change their preference lists again, and no run can start until the new "
            "deadline; runs already finished would no longer match the lists.",
            candidates) % {"n": candidates})
    if order(new) < order(Phase.FOCUS_GROUPS) <= order(old):
        change.effects.append(ngettext(
            "%(n)s candidate could change their submissions again while the focus groups evaluate them.",
            "%(n)s candidates could change their submissions again while the focus groups evaluate them.",
            candidates) % {"n": candidates})
    return change


def exam_cycle_set_deadlines(*, cycle: ExamCycle, deadlines: dict, acting_user=None, confirm_reopen: bool = False,
                             reason: str = "") -> ExamCycle:
    """Set the phase deadlines of a cycle; each must come after the one before it.

    A change that moves the cycle back to a phase that has ended is refused unless it is confirmed with a reason,
    which the audit history keeps with the old and new phase.
    """
    fields = [field for _phase_value, field in PHASE_DEADLINE_FIELDS]
    previous = None
    for field in fields:
        value = deadlines.get(field)
        if value is not None and previous is not None and value <= previous:
            raise PlacementError(_("Each deadline must come after the one before it."))
        previous = value if value is not None else previous
    changes = {field: [getattr(cycle, field), deadlines.get(field)] for field in fields
               if getattr(cycle, field) != deadlines.get(field)}
    phase_change = exam_cycle_phase_change(cycle=cycle, deadlines=deadlines)
    reason = reason.strip()
    if phase_change.reopens and not (confirm_reopen and reason):
        message = _("This change would move the cycle from the “%(old)s” phase back to the “%(new)s” phase, "
                    "which has ended.") % {"old": Phase(phase_change.old).label, "new": Phase(phase_change.new).label}
        raise PhaseReopenRefused(" ".join([message, *phase_change.effects, _(
            "To reopen it anyway, confirm below and give the reason, which is kept in the audit history.")]))
    with transaction.atomic():
        for field in fields:
            setattr(cycle, field, deadlines.get(field))
        cycle.save(update_fields=fields)
        if changes:
            audit_event(cycle, "exam_cycle.deadlines_set", actor=acting_user, changes=changes)
        if phase_change.reopens:
            audit_event(cycle, "exam_cycle.phase_reopened", actor=acting_user,
                        changes={"phase": [phase_change.old, phase_change.new]}, reason=reason,
                        effects=phase_change.effects)
    return cycle
