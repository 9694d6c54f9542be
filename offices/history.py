"""The office profile's history as people read it: what happened, who did it, and each field's old → new value."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.audit import LogEntry, event_name

from .models import InstrumentKind, OfficeInstrument, OfficeProfile, ProfileStatus, ResurveyProject

EVENT_LABELS = {
    "office_profile.created": _("Profile created"),
    "office_profile.updated": _("Profile changed"),
    "office_profile.published": _("Published"),
    "office_profile.unpublished": _("Taken back to draft"),
    "office_profile.resurvey_project_added": _("Re-survey project added"),
    "office_profile.resurvey_project_updated": _("Re-survey project changed"),
    "office_profile.resurvey_project_removed": _("Re-survey project removed"),
    "office_profile.instrument_added": _("Instrument added"),
    "office_profile.instrument_updated": _("Instrument changed"),
    "office_profile.instrument_removed": _("Instrument removed"),
}
# The choices whose stored values are shown by their labels, by field name.
VALUE_LABELS = {"kind": dict(InstrumentKind.choices), "status": dict(ProfileStatus.choices)}


@dataclass(frozen=True)
class HistoryRow:
    entry: LogEntry
    label: str
    changes: list[tuple[str, str, str]]


def _model_of(event: str):
    if ".resurvey_project_" in event:
        return ResurveyProject
    if ".instrument_" in event:
        return OfficeInstrument
    return OfficeProfile


def _field_label(model, field_name: str) -> str:
    try:
        return capfirst(model._meta.get_field(field_name).verbose_name)
    except FieldDoesNotExist:
        return field_name


def _shown(field_name: str, value) -> str:
    if value is None or value == "":
        return "–"
    if field_name == "published_at":
        # Times are stored as ISO 8601 text in UTC; people read them in the platform's time zone.
        moment = parse_datetime(value)
        if moment is not None:
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return str(VALUE_LABELS.get(field_name, {}).get(value, value))


def history_rows(entries) -> list[HistoryRow]:
    """Return the entries of a profile's history as rows to show, in the order given."""
    rows = []
    for entry in entries:
        event = event_name(entry)
        model = _model_of(event)
        changes = [(_field_label(model, field), _shown(field, old), _shown(field, new))
                   for field, (old, new) in (entry.changes or {}).items()]
        rows.append(HistoryRow(entry=entry, label=str(EVENT_LABELS.get(event, event)), changes=changes))
    return rows
