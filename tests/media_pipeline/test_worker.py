"""One upload processed end to end by a real Celery worker over Redis, against the suite's PostgreSQL database."""
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from config.celery import app
from media_pipeline.models import Video
from tests.conftest import require_service


@pytest.fixture
def celery_worker_process(media_root):
    """Start `celery -A config worker` on a queue of its own, seeing this test's database and media folder."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        require_service("PostgreSQL (set DATABASE_URL) for the Celery worker test")
    if not settings.REDIS_URL:
        require_service("Redis (set REDIS_URL) for the Celery worker test")

    queue = f"media-test-{uuid.uuid4().hex[:8]}"
    user = database.get("USER") or ""
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = f"{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        # pytest-django's test database (test_<name>), which the worker must read and write too.
        "DATABASE_URL": f"postgres://{user}{password}@{host}/{database['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "MEDIA_ROOT": str(media_root),
    }
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("celery")), "-A", "config", "worker", "--pool=solo", "--concurrency=1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", queue, "--loglevel=WARNING"],
        env=env, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    # The suite runs tasks inline; this test sends them to the broker, on the worker's own queue.
    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        yield worker
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_processes_an_upload_end_to_end(celery_worker_process, candidate, client, clips):
    """An upload committed by the web process is probed and thumbnailed by a separate worker process."""
    client.force_login(candidate.user)
    data = (clips / "good.mp4").read_bytes()
    ticket = client.post(reverse("media_pipeline:my_video_upload_start"),
                         {"title": "worker", "file_name": "good.mp4", "size": len(data),
                          "content_type": "video/mp4"}).json()
    assert client.put(ticket["upload"]["url"], data, content_type="application/octet-stream").status_code == 200
    deadline = time.monotonic() + 90
    video = Video.objects.get(pk=ticket["video"])
    while time.monotonic() < deadline and video.state not in {Video.State.READY, Video.State.REJECTED}:
        assert celery_worker_process.poll() is None, celery_worker_process.stdout.read().decode()
        time.sleep(0.3)
        video.refresh_from_db()
    assert video.state == Video.State.READY, video.problems
    assert video.thumbnail and video.attempts == 1
