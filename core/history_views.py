"""The audit history page for examination staff: every entry, newest first, filtered by event or subject type."""
from __future__ import annotations

import json
from dataclasses import dataclass

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .audit import LogEntry, event_name, history_list

ENTRIES_PER_PAGE = 50


def _subject_type_label(content_type: ContentType) -> str:
    model = content_type.model_class()
    # A model removed from the code keeps its old entries; its stored name is all that is left to show.
    return capfirst(model._meta.verbose_name) if model is not None else content_type.model


class HistoryFilterForm(forms.Form):
    """The history page's filters: an event family and the type of object the entries are about."""

    event = forms.CharField(
        label=_("Event"), required=False, max_length=100,
        help_text=_("An event or the first part of one, such as invitation or invitation.accepted."),
    )
    subject_type = forms.ChoiceField(label=_("Subject type"), required=False)

    def __init__(self, *args, subject_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject_types = {str(content_type.pk): content_type for content_type in subject_types}
        labelled = sorted(
            ((key, _subject_type_label(content_type)) for key, content_type in self.subject_types.items()),
            key=lambda choice: choice[1],
        )
        self.fields["subject_type"].choices = [("", _("All types")), *labelled]

    def clean_event(self) -> str:
        return self.cleaned_data["event"].strip().lower()

    def clean_subject_type(self) -> ContentType | None:
        return self.subject_types.get(self.cleaned_data["subject_type"])


@dataclass(frozen=True)
class HistoryRow:
    """One entry as the page shows it: field names as labels, old and new values, and the event's context."""

    entry: LogEntry
    event: str
    subject_type: str
    changes: list[tuple[str, str, str]]
    details: list[tuple[str, str]]


def _field_label(model, field_name: str) -> str:
    if model is None:
        return field_name
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return field_name
    # A reverse relation (a group's members, say) has no verbose name of its own; its name is what there is.
    return capfirst(getattr(field, "verbose_name", field_name))


def _shown(value) -> str:
    """Return a stored JSON value as a person reads it: local times, lists as comma-separated text, None as a dash."""
    if value is None:
        return "–"
    if isinstance(value, str) and "T" in value:
        # core.audit stores times as ISO 8601 text in UTC; people read them in the platform's time zone.
        moment = parse_datetime(value)
        if moment is not None and timezone.is_aware(moment):
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list) and not any(isinstance(item, list | dict) for item in value):
        return ", ".join(str(item) for item in value)
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else str(value)


def history_row(entry: LogEntry) -> HistoryRow:
    """Return an entry as the history tables show it."""
    model = entry.content_type.model_class()
    changes = []
    for field_name, values in (entry.changes or {}).items():
        if isinstance(values, dict):
            # auditlog records many-to-many changes as the objects added or removed, with no old value.
            sign = "+" if values.get("operation") == "add" else "−"
            changes.append((_field_label(model, field_name), "–", f"{sign} {', '.join(values.get('objects', []))}"))
        else:
            old, new = values
            changes.append((_field_label(model, field_name), _shown(old), _shown(new)))
    details = [(key, _shown(value)) for key, value in (entry.additional_data or {}).items() if key != "event"]
    return HistoryRow(entry=entry, event=event_name(entry), subject_type=_subject_type_label(entry.content_type),
                      changes=changes, details=details)


def history_log(request):
    """Show the audit history, newest first, 50 entries a page, filtered by event prefix and subject type."""
    subject_types = ContentType.objects.filter(pk__in=LogEntry.objects.values("content_type"))
    form = HistoryFilterForm(request.GET or None, subject_types=subject_types)
    criteria = form.cleaned_data if form.is_valid() else {}
    entries = history_list(event_prefix=criteria.get("event") or None, model=criteria.get("subject_type"))
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [history_row(entry) for entry in page]
    return render(request, "history/log.html", {"form": form, "page": page, "rows": rows})
