"""The queue seam: services name their tasks, so every name they use must be a registered task."""
import contextvars
import re
from pathlib import Path

import pytest
from auditlog.context import set_actor
from celery import current_app
from django.db import transaction

from accounts.roles import Role
from core.audit import audit_event, event_name, history_for
from core.queue import enqueue
from placement.models import LandOffice
from tests.factories import LandOfficeFactory, make_user

ROOT = Path(__file__).resolve().parents[2]
TASK_NAME = re.compile(r"""enqueue\(\s*["']([\w.]+)["']""")


def _queued_names() -> set[str]:
    names = set()
    for path in ROOT.glob("*/services/*.py"):
        names |= set(TASK_NAME.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_task_a_service_queues_is_registered():
    """A misspelt task name would fail only when the transaction commits, so every name is checked here."""
    names = _queued_names()
    assert "placement.tasks.placement_run_execute_task" in names and "media_pipeline.tasks.video_process" in names
    assert names <= set(current_app.tasks), sorted(names - set(current_app.tasks))


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_queues_nothing():
    """Work is sent only when the transaction commits, so a write that rolls back leaves no task behind."""
    sent = []

    @current_app.task(name="tests.core.probe")
    def probe(value):
        sent.append(value)

    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue("tests.core.probe", "rolled back")
        raise RuntimeError
    with transaction.atomic():
        enqueue("tests.core.probe", "committed")
        assert sent == []
    assert sent == ["committed"]


@pytest.mark.django_db
def test_a_task_run_inline_during_a_request_records_the_system_as_its_actor(django_capture_on_commit_callbacks):
    """With tasks run inline, the task's entries still name no one, while the request's own entries name its user."""
    office = LandOfficeFactory()
    staff = make_user(Role.EXAM_STAFF)

    @current_app.task(name="tests.core.audited")
    def audited(office_id):
        audit_event(LandOffice.objects.get(pk=office_id), "land_office.checked")

    def request():
        # What auditlog's middleware does for a signed-in request.
        with set_actor(staff):
            with django_capture_on_commit_callbacks(execute=True):
                enqueue("tests.core.audited", office.pk)
            audit_event(office, "land_office.opened")

    # A copied context keeps auditlog's actor from outliving this test.
    contextvars.copy_context().run(request)
    assert {event_name(entry): entry.actor for entry in history_for(office)} == {
        "land_office.checked": None, "land_office.opened": staff}
