"""The exam cycle's timetable."""
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_event

from ..models import PHASE_DEADLINE_FIELDS, ExamCycle
from .common import PlacementError


def exam_cycle_set_deadlines(*, cycle: ExamCycle, deadlines: dict) -> ExamCycle:
    """Set the phase deadlines of a cycle; each must come after the one before it."""
    fields = [field for _phase_value, field in PHASE_DEADLINE_FIELDS]
    previous = None
    for field in fields:
        value = deadlines.get(field)
        if value is not None and previous is not None and value <= previous:
            raise PlacementError(_("Each deadline must come after the one before it."))
        previous = value if value is not None else previous
    changes = {field: [getattr(cycle, field), deadlines.get(field)] for field in fields
               if getattr(cycle, field) != deadlines.get(field)}
    with transaction.atomic():
        for field in fields:
            setattr(cycle, field, deadlines.get(field))
        cycle.save(update_fields=fields)
        if changes:
            audit_event(cycle, "exam_cycle.deadlines_set", changes=changes)
    return cycle
