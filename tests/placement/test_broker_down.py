"""With the task broker unreachable, a write that needs background work is refused clearly and saves nothing."""
import time

import pytest
from celery import current_app
from django.urls import reverse

from accounts.roles import Role
from core.audit import history_for
from core.queue import QueueUnavailable, enqueue
from placement.models import PlacementRun
from tests.conftest import require_service
from tests.factories import make_user

# Nothing listens on port 1 of the loopback interface: a real broker that refuses connections.
UNREACHABLE = "redis://127.0.0.1:1/0"


def _drop_connections() -> None:
    # The app keeps references to kombu's per-URL pools; forgetting them makes the next send use the URL of the
    # moment. The pools themselves stay open: kombu shares them process-wide, and a closed one would break every
    # later test that sends a task to that URL.
    current_app._pool = None
    current_app.amqp._producer_pool = None


@pytest.fixture
def broker():
    """Send tasks to a real broker at the given URL (not inline), restoring the suite's eager setting after."""
    saved = {key: current_app.conf[key] for key in ("broker_url", "task_always_eager")}

    def use(url: str) -> None:
        current_app.conf.update(broker_url=url, task_always_eager=False)
        _drop_connections()

    yield use
    current_app.conf.update(saved)
    _drop_connections()


def test_starting_a_run_with_the_broker_down_says_so_quickly_and_leaves_no_queued_run(client, world, broker):
    """The run is not left 'queued' to block every later start: nothing is saved, and the page says why."""
    world.close_preferences()
    staff = make_user(Role.EXAM_STAFF)
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    broker(UNREACHABLE)
    started = time.monotonic()
    response = client.post(reverse("placement:run_list", kwargs={"pk": world.cycle.pk}),
                           {"policy": "exam_rank", "exam_weight": "1", "seed": "3"})
    assert time.monotonic() - started < 10
    assert response.status_code == 503
    assert "cannot be reached right now, so nothing was saved" in response.content.decode()
    assert not PlacementRun.objects.exists()
    assert not [entry for entry in history_for(world.cycle) if "placement_run" in str(entry)]


def test_the_zh_hant_page_explains_it_too(client, world, broker):
    world.close_preferences()
    client.force_login(make_user(Role.EXAM_STAFF))
    broker(UNREACHABLE)
    response = client.post(reverse("placement:run_list", kwargs={"pk": world.cycle.pk}),
                           {"policy": "exam_rank", "exam_weight": "1", "seed": "3"})
    assert response.status_code == 503 and "背景工作" in response.content.decode()


@pytest.mark.django_db
def test_queueing_outside_a_request_raises_and_registers_nothing(broker, django_capture_on_commit_callbacks):
    broker(UNREACHABLE)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(QueueUnavailable):
        enqueue("placement.tasks.placement_runs_sweep_task")
    assert callbacks == []


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_reachable_broker_takes_the_task(broker, settings):
    """The check passes a broker that answers, and the task lands on its queue for a worker."""
    import redis

    url = "redis://127.0.0.1:6379/14"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        require_service("Redis at 127.0.0.1:6379")
    queue = redis.Redis.from_url(url)
    queue.delete("celery")
    broker(url)
    enqueue("placement.tasks.placement_runs_sweep_task")
    assert queue.llen("celery") == 1
    queue.delete("celery")


def test_a_video_file_sent_with_the_broker_down_keeps_nothing_and_can_be_sent_again(db, broker, settings, tmp_path):
    """The upload gets the 503 page; the video waits for its file again instead of staying locked as receiving."""
    from django.test import Client

    from media_pipeline.models import Video
    from tests.factories import CandidateFactory, ExamCycleFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    candidate = CandidateFactory(cycle=ExamCycleFactory(is_current=True), user=make_user(Role.CANDIDATE))
    client = Client()
    client.force_login(candidate.user)
    content = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100
    start = client.post(reverse("media_pipeline:my_video_upload_start"),
                        {"title": "閉合導線", "file_name": "traverse.mp4", "size": len(content),
                         "content_type": "video/mp4"}).json()
    broker(UNREACHABLE)
    response = client.put(start["upload"]["url"], content, content_type="application/octet-stream")
    assert response.status_code == 503
    video = Video.objects.get(pk=start["video"])
    assert video.state == Video.State.AWAITING_UPLOAD
    assert not list((tmp_path / "media").rglob("*.*"))
    # Once the broker is back, the same upload goes through.
    broker("memory://")
    response = client.put(start["upload"]["url"], content, content_type="application/octet-stream")
    assert response.status_code == 200, response.content
    assert Video.objects.get(pk=video.pk).state == Video.State.UPLOADED
