"""Who saw or changed a candidate's data: the views recorded here and the audit entries about the candidate.

A candidate's data spans apps (videos in media_pipeline, portfolios, focus group scores), and those apps build on
placement, so placement cannot import them. Each of them registers, from its AppConfig.ready(), a function giving
the condition on the audit history (core.audit's LogEntry) that picks the entries about its own rows of one
candidate; `candidate_history` joins them with placement's own. Entries written with a `candidate` in their
context (the convention of core.audit's named events) are found without any registration.
"""
from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from core.audit import LogEntry, event_name, history_where
from core.history_views import HistoryRow, history_row

from .models import Candidate, CandidateDataView, PreferenceList, SuitabilityScore

CandidateHistoryCondition = Callable[[Candidate], Q]

_conditions: list[CandidateHistoryCondition] = []


def candidate_history_register(condition: CandidateHistoryCondition) -> None:
    """Add an app's condition for the audit entries about its rows of one candidate; call it from ready()."""
    if condition not in _conditions:
        _conditions.append(condition)


def entries_about(model: type[Model], rows: QuerySet) -> Q:
    """Return the condition for the audit entries about `rows` of `model` (a subquery, not a list of ids)."""
    return Q(content_type=ContentType.objects.get_for_model(model), object_id__in=rows.values("pk"))


def candidate_history(*, candidate: Candidate) -> QuerySet[LogEntry]:
    """Return every audit entry about the candidate or their rows in any app, newest first."""
    condition = (
        Q(additional_data__candidate=candidate.pk)
        | Q(content_type=ContentType.objects.get_for_model(Candidate), object_id=candidate.pk)
        | entries_about(PreferenceList, PreferenceList.objects.filter(candidate=candidate))
        | entries_about(SuitabilityScore, SuitabilityScore.objects.filter(candidate=candidate))
    )
    for app_condition in _conditions:
        condition |= app_condition(candidate)
    return history_where(condition)


def candidate_data_views(*, candidate: Candidate) -> QuerySet[CandidateDataView]:
    """Return the recorded views of the candidate's data, newest first, with the viewer loaded."""
    return CandidateDataView.objects.filter(candidate=candidate).select_related("viewer").order_by("-viewed_at", "-pk")


# ---- The merged timeline ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TimelineRow:
    """One line of a candidate's access log: a view of their data or a change to it."""

    when: datetime
    who: str  # The person's email address, or "" for the system (a task or a command).
    is_view: bool
    what: str  # The kind of data viewed, or the event's name for a change.
    page: str = ""
    view: CandidateDataView | None = None
    change: HistoryRow | None = None  # The audit entry as the history tables show it.


def _view_row(view: CandidateDataView) -> TimelineRow:
    return TimelineRow(when=view.viewed_at, who=view.viewer.email if view.viewer else view.viewer_email,
                       is_view=True, what=view.get_what_display(), page=view.url_name, view=view)


def _change_row(entry: LogEntry) -> TimelineRow:
    return TimelineRow(when=entry.timestamp, who=entry.actor.email if entry.actor else (entry.actor_email or ""),
                       is_view=False, what=event_name(entry), change=history_row(entry))


class Timeline:
    """The views and the changes as one list, newest first, that Django's Paginator can page through.

    The two come from different tables, so a page is the merge of the newest rows of both: page n reads at most
    n pages' worth of each, which stays small for the hundreds of entries one candidate gathers in a cycle. It
    costs four queries however many rows a page shows: two counts and one read of each table.
    """

    def __init__(self, views: QuerySet[CandidateDataView], entries: QuerySet[LogEntry]):
        self.views, self.entries = views, entries

    def count(self) -> int:
        return self.views.count() + self.entries.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[TimelineRow]:
        if not isinstance(index, slice):
            raise TypeError("A timeline is read in slices, a page at a time.")
        start, stop = index.start or 0, index.stop
        merged = heapq.merge((_view_row(view) for view in self.views[:stop]),
                             (_change_row(entry) for entry in self.entries[:stop]),
                             key=lambda row: row.when, reverse=True)
        return list(islice(merged, start, stop))


def candidate_access_timeline(*, candidate: Candidate, viewer_email: str = "", kind: str = "") -> Timeline:
    """Return who saw or changed the candidate's data, newest first, for one viewer or kind if given.

    `kind` is "change" for the audit entries only, or one of CandidateDataView.What for the views of that kind.
    """
    views = candidate_data_views(candidate=candidate)
    entries = candidate_history(candidate=candidate)
    if viewer_email:
        views = views.filter(Q(viewer__email__icontains=viewer_email) | Q(viewer_email__icontains=viewer_email))
        entries = entries.filter(Q(actor__email__icontains=viewer_email) | Q(actor_email__icontains=viewer_email))
    if kind == "change":
        views = views.none()
    elif kind:
        views = views.filter(what=kind)
        entries = entries.none()
    return Timeline(views, entries)
