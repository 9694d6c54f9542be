"""The queue seam: services name their tasks, so every name they use must be a registered task."""
import re
from pathlib import Path

import pytest
from celery import current_app
from django.db import transaction

from core.queue import enqueue

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
