"""The one audit history of the platform: who did what to which object, when, and what changed from old to new.

Every service writes to it through this module, which stores everything in django-auditlog's LogEntry table:

- `audit_event(subject, "invitation.accepted", actor=..., changes={...}, **data)` records one named event on a
  model instance. Call it inside the service's transaction, so a rolled-back write leaves no entry behind.
- `audit_register(Model, include_fields=[...])`, called from an app's `AppConfig.ready()`, makes auditlog record
  every create, field change (old → new) and delete of that model by itself.
- `history_for(subject)` and `history_list(...)` read the history back, newest first, actor and type loaded.

How an entry is stored:

- `additional_data["event"]` holds the event name, a dotted lower-case verb phrase: `"<subject>.<what happened>"`,
  such as "preference_list.submitted", "video.files_deleted", "placement_run.started". The rest of
  `additional_data` is the event's JSON-able context (counts, file names, reasons). Entries that auditlog writes
  for registered models are named here too, as "<model in snake case>.created|updated|deleted" (for example
  "exam_cycle.updated"), so one event-prefix filter covers both kinds.
- `changes` is {field: [old, new]}. Named events keep the JSON values they were given (dates as ISO 8601 text);
  auditlog's own entries hold its text form of each value (a missing value is the text "None").
- `action` is always UPDATE for a named event: the event happened to a subject that exists, and its name, not
  the action, says what happened. CREATE and DELETE stay what auditlog means by them: this row was inserted or
  deleted, with every field in `changes`.
- `actor` is the user who did it. Left out, it is the user signed in to the current request (auditlog's
  middleware), and None outside a request: None means the system, such as a Celery task or a command.
- `timestamp` is the real time of writing, not core.clock's: the history says when things were recorded.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from contextlib import contextmanager

from auditlog.context import auditlog_value
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, Q, QuerySet
from django.db.models.signals import pre_save
from django.dispatch import receiver

__all__ = ["LogEntry", "as_system", "audit_event", "audit_register", "event_name", "history_for", "history_list"]

EVENT_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

# The names given to the entries auditlog writes by itself for registered models.
ACTION_VERBS = {
    LogEntry.Action.CREATE: "created",
    LogEntry.Action.UPDATE: "updated",
    LogEntry.Action.DELETE: "deleted",
    LogEntry.Action.ACCESS: "viewed",
}


def audit_event(subject: Model, event: str, *, actor=None, changes: dict | None = None, **data) -> LogEntry:
    """Record that `event` happened to `subject`, by `actor`, with fields changed old → new and some context."""
    if subject.pk is None:
        raise ValueError(f"Save the {type(subject).__name__} before recording {event!r} on it.")
    if not EVENT_NAME.match(event):
        raise ValueError(f"Event names are dotted lower-case words such as 'invitation.accepted', not {event!r}.")
    if actor is not None and not actor.is_authenticated:
        actor = None
    entry_fields = {
        "action": LogEntry.Action.UPDATE,
        "changes": _as_json(_checked_changes(changes or {}), event),
        "additional_data": {"event": event, **_as_json(data, event)},
    }
    if actor is not None:
        entry_fields.update(actor=actor, actor_email=actor.email)
    # With no actor given, auditlog's middleware fills in the request's user as the entry is saved; outside a
    # request nothing does, and the entry stays the system's.
    return LogEntry.objects.log_create(subject, force_log=True, **entry_fields)


@contextmanager
def as_system():
    """Record the entries written inside the block as the system's, even during a request.

    Background tasks run inline when there is no broker (the local default), inside the request that queued
    them; without this, auditlog's middleware would name the signed-in user as the actor of the task's work.
    """
    # auditlog reads the request's actor from this context variable; a value no receiver is connected for
    # leaves every entry's actor empty, and resetting it afterwards gives the request its actor back.
    token = auditlog_value.set({"signal_duid": ("core.audit.as_system", id(object()))})
    try:
        yield
    finally:
        auditlog_value.reset(token)


def audit_register(model: type[Model], *, include_fields: Iterable[str] | None = None,
                   exclude_fields: Iterable[str] | None = None) -> None:
    """Record every create, field change and delete of `model`; call it from the app's AppConfig.ready()."""
    auditlog.register(
        model,
        include_fields=list(include_fields) if include_fields is not None else None,
        exclude_fields=list(exclude_fields) if exclude_fields is not None else None,
    )


def event_name(entry: LogEntry) -> str:
    """Return the event name an entry was stored with."""
    return (entry.additional_data or {}).get("event", "")


def history_for(subject: Model) -> QuerySet[LogEntry]:
    """Return the entries about one object, newest first, with their actor and type loaded."""
    return _with_shape(LogEntry.objects.get_for_object(subject))


def history_list(*, event_prefix: str | None = None, model: type[Model] | ContentType | None = None,
                 actor=None) -> QuerySet[LogEntry]:
    """Return the whole history, newest first, optionally of one event family, subject type or actor."""
    entries = LogEntry.objects.all()
    if event_prefix:
        family = event_prefix.rstrip(".")
        # "invitation" matches "invitation.accepted" but not "invitation_batch.sent".
        entries = entries.filter(
            Q(additional_data__event=family) | Q(additional_data__event__startswith=family + ".")
        )
    if model is not None:
        content_type = model if isinstance(model, ContentType) else ContentType.objects.get_for_model(model)
        entries = entries.filter(content_type=content_type)
    if actor is not None:
        entries = entries.filter(actor=actor)
    return _with_shape(entries)


def history_where(condition: Q) -> QuerySet[LogEntry]:
    """Return the entries matching a condition on LogEntry, newest first (for an app's own scoped history)."""
    return _with_shape(LogEntry.objects.filter(condition))


def _with_shape(entries: QuerySet[LogEntry]) -> QuerySet[LogEntry]:
    # One query however many entries a page shows: every reader displays the actor and the subject's type.
    return entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")


def _checked_changes(changes: dict) -> dict:
    checked = {}
    for field, values in changes.items():
        if not isinstance(values, list | tuple) or len(values) != 2:
            raise ValueError(f"Changes are {{field: [old, new]}}; {field!r} has {values!r}.")
        checked[field] = list(values)
    return checked


def _as_json(values: dict, event: str) -> dict:
    # Dates, decimals and UUIDs become text now, so every reader gets the same plain JSON back on every database.
    try:
        return json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    except TypeError as error:
        raise TypeError(f"The context of {event!r} must be JSON-able: {error}") from None


def _snake_case(class_name: str) -> str:
    words = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", class_name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", words).lower()


@receiver(pre_save, sender=LogEntry, dispatch_uid="core.audit.name_automatic_entries")
def _name_automatic_entries(sender, instance: LogEntry, **kwargs) -> None:
    """Give the entries auditlog writes for registered models an event name, so one filter covers every entry."""
    data = instance.additional_data
    if data is not None and not isinstance(data, dict):
        return
    if data and "event" in data:
        return
    model = instance.content_type.model_class()
    subject = _snake_case(model.__name__) if model is not None else instance.content_type.model
    instance.additional_data = {**(data or {}), "event": f"{subject}.{ACTION_VERBS.get(instance.action, 'changed')}"}
