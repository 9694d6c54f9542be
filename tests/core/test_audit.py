"""The audit history (core.audit): named events, automatic field changes, the actor, and the readers' shape."""
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from auditlog.context import set_actor
from auditlog.middleware import AuditlogMiddleware
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from accounts.roles import Role
from core.audit import LogEntry, audit_event, audit_register, event_name, history_for, history_list
from placement.models import LandOffice
from tests.factories import LandOfficeFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def audited_offices():
    """Record every change of a land office's name, as an app's ready() would, for this test only."""
    audit_register(LandOffice, include_fields=["name"])
    yield
    auditlog.unregister(LandOffice)


def test_an_event_records_its_actor_time_changes_and_context(office):
    """One call stores who, what, when, old → new and the context, all as plain JSON."""
    staff = make_user(Role.EXAM_STAFF)
    deadline = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
    before = timezone.now()

    entry = audit_event(
        office, "land_office.deadline_moved", actor=staff,
        changes={"deadline": [deadline, deadline + timedelta(days=2)]}, files=["a.mp4"], seats=Decimal("3"),
    )

    stored = LogEntry.objects.get(pk=entry.pk)
    assert stored.actor == staff and stored.actor_email == staff.email
    assert before <= stored.timestamp <= timezone.now()
    assert stored.content_type.model_class() is LandOffice and stored.object_id == office.pk
    assert stored.action == LogEntry.Action.UPDATE
    assert stored.changes == {"deadline": ["2026-05-01T09:30:00Z", "2026-05-03T09:30:00Z"]}
    assert stored.additional_data == {"event": "land_office.deadline_moved", "files": ["a.mp4"], "seats": "3"}
    assert event_name(stored) == "land_office.deadline_moved"


def _request_as(user):
    """Return a request that has passed authentication, signed in as `user` (None: anonymous)."""
    request = RequestFactory().get("/somewhere/")
    request.user = user if user is not None else AnonymousUser()
    return request


def _serve_recording_an_event(request, subject):
    """Serve `request` through auditlog's middleware with a view that records an event on `subject`."""
    recorded = []
    AuditlogMiddleware(lambda request: recorded.append(audit_event(subject, "land_office.looked_at")))(request)
    return LogEntry.objects.get(pk=recorded[0].pk)


def test_auditlogs_middleware_runs_after_authentication():
    """The middleware reads request.user, so it must come after the middleware that sets it."""
    middleware = list(settings.MIDDLEWARE)
    assert middleware.index("auditlog.middleware.AuditlogMiddleware") > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


def test_inside_a_request_the_actor_is_the_signed_in_user(office):
    """auditlog's middleware gives an event written during a request the request's user as its actor."""
    candidate = make_user(Role.CANDIDATE)

    entry = _serve_recording_an_event(_request_as(candidate), office)

    assert entry.actor == candidate and entry.actor_email == candidate.email
    assert entry.remote_addr == "127.0.0.1"


def test_an_anonymous_request_and_work_outside_requests_have_no_actor(office):
    """A task or command records the system as actor, even in a thread that has just served a signed-in user."""
    assert _serve_recording_an_event(_request_as(None), office).actor is None
    _serve_recording_an_event(_request_as(make_user(Role.CANDIDATE)), office)

    entry = audit_event(office, "land_office.checked_by_task")

    assert LogEntry.objects.get(pk=entry.pk).actor is None


def test_an_explicit_actor_wins_over_the_request_user(office):
    """A service that knows who acted (the inviter, the new account) names them, whoever is signed in."""
    signed_in, inviter = make_user(Role.EXAM_STAFF), make_user(Role.EXAM_STAFF)

    with set_actor(signed_in):
        entry = audit_event(office, "land_office.note_added", actor=inviter)

    assert LogEntry.objects.get(pk=entry.pk).actor == inviter


def test_a_registered_models_field_change_is_recorded_old_to_new(audited_offices):
    """Models registered with audit_register get their creates and field changes recorded without any call."""
    staff = make_user(Role.EXAM_STAFF)
    office = LandOfficeFactory(name="舊名地政事務所")

    with set_actor(staff):
        office.name = "新名地政事務所"
        office.save()

    created, updated = history_for(office).order_by("pk")
    assert event_name(created) == "land_office.created" and created.action == LogEntry.Action.CREATE
    assert event_name(updated) == "land_office.updated" and updated.action == LogEntry.Action.UPDATE
    assert updated.changes == {"name": ["舊名地政事務所", "新名地政事務所"]}
    assert updated.actor == staff


def test_history_for_lists_one_objects_entries_newest_first(office):
    other = LandOfficeFactory()
    first = audit_event(office, "land_office.first")
    audit_event(other, "land_office.elsewhere")
    second = audit_event(office, "land_office.second")

    assert list(history_for(office)) == [second, first]


def test_history_list_filters_by_event_family_model_and_actor(office):
    """An event prefix matches whole dotted words: "invitation" is not "invitation_batch"."""
    staff = make_user(Role.EXAM_STAFF)
    accepted = audit_event(office, "invitation.accepted", actor=staff)
    audit_event(office, "invitation_batch.sent")
    revoked = audit_event(staff, "invitation.revoked")

    assert list(history_list(event_prefix="invitation")) == [revoked, accepted]
    assert list(history_list(event_prefix="invitation.")) == [revoked, accepted]
    assert list(history_list(event_prefix="invitation.accepted")) == [accepted]
    assert list(history_list(event_prefix="invitation", model=LandOffice)) == [accepted]
    assert list(history_list(actor=staff)) == [accepted]


def test_history_list_loads_actor_and_type_in_one_query(office, django_assert_num_queries):
    """However many entries, reading them with their actor and subject type is one query."""
    for number in range(5):
        audit_event(office, "land_office.counted", actor=make_user(Role.EXAM_STAFF), number=number)
    audit_event(office, "land_office.counted")

    with django_assert_num_queries(1):
        shown = [(entry.actor.email if entry.actor else None, entry.content_type.model, event_name(entry))
                 for entry in history_list()]

    assert len(shown) >= 6


@pytest.mark.parametrize("event", ["Invitation.Accepted", "accepted", "invitation.", "invitation accepted"])
def test_an_event_name_that_cannot_be_filtered_is_refused(office, event):
    with pytest.raises(ValueError, match="dotted lower-case"):
        audit_event(office, event)


def test_an_unsaved_subject_or_unjsonable_context_is_refused(office):
    with pytest.raises(ValueError, match="Save the LandOffice"):
        audit_event(LandOffice(name="未存"), "land_office.noted")
    with pytest.raises(TypeError, match="JSON-able"):
        audit_event(office, "land_office.noted", office=office)
    with pytest.raises(ValueError, match=r"\[old, new\]"):
        audit_event(office, "land_office.noted", changes={"name": "only the new value"})
    assert not LogEntry.objects.filter(additional_data__event="land_office.noted").exists()
