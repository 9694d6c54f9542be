"""Real Celery workers and a real Redis of the test's own: a worker killed mid-task loses nothing, and a Redis outage
only pauses background work.

Each test starts its own `redis-server` on a free port (never the machine's shared one) and `celery -A config
worker` processes that share the test's PostgreSQL database and media folder. Nothing in the code under test is
patched: the processes are killed, stopped and started as an operator or a crash would.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import F
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from core import clock
from core.audit import event_name, history_for
from media_pipeline.models import Video
from media_pipeline.services import uploads
from placement.models import PlacementRun, PreferenceList
from tests.conftest import require_service
from tests.factories import make_user
from tests.media_pipeline.conftest import ffmpeg, free_port
from tests.placement.test_broker_down import broker  # noqa: F401 - a fixture, found by name.

# A 720p MPEG-4 clip of this length takes libx264 several seconds to transcode: long enough to kill a worker
# in the middle of it, by its real work alone.
CLIP_SECONDS = 30
# The killed worker's task comes back after this many seconds unacknowledged, instead of the production default.
VISIBILITY_SECONDS = 8


def _wait(condition, *, seconds: float, failure) -> float:
    """Poll until condition() is true; return the seconds it took, or fail with failure() (a message)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        time.sleep(0.1)
    pytest.fail(f"Gave up after {seconds:.0f} s: {failure()}")


class OwnRedis:
    """A redis-server on a free loopback port, which the test may kill and start again on the same port."""

    def __init__(self, folder: Path, *, persistent: bool):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        # With its append-only file written before each reply, a Redis killed and started again still holds
        # every task queued before it died, as a production broker with persistence does.
        self.persistence = (["--appendonly", "yes", "--appendfsync", "always"] if persistent
                            else ["--appendonly", "no"])
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        import redis

        log = open(self.folder / "redis.log", "ab")  # noqa: SIM115 - the server writes to it until it is killed.
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", *self.persistence,
             "--dir", str(self.folder)], stdout=log, stderr=subprocess.STDOUT)
        log.close()

        def answers() -> bool:
            assert self.process.poll() is None, (self.folder / "redis.log").read_text()
            try:
                return redis.Redis.from_url(self.url, socket_timeout=0.5).ping()
            except redis.exceptions.ConnectionError:
                return False

        _wait(answers, seconds=10, failure=lambda: f"redis-server on port {self.port} did not answer")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2)


@pytest.fixture
def own_redis(tmp_path):
    """Return a function that starts a redis-server of this test's own; every one is killed after the test."""
    if not shutil.which("redis-server"):
        require_service("redis-server (apt-get install redis-server) for a broker the test may kill")
    servers: list[OwnRedis] = []

    def start(*, persistent: bool = False) -> OwnRedis:
        folder = tmp_path / f"redis-{len(servers)}"
        folder.mkdir()
        server = OwnRedis(folder, persistent=persistent)
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.kill()


class Worker:
    """One `celery -A config worker` process, in a process group of its own with its pool and the ffmpeg it runs."""

    def __init__(self, name: str, process: subprocess.Popen, log: Path):
        self.name, self.process, self.log_path = name, process, log

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the worker and its children at once, as a machine or container that dies would."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if not self.alive():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


def _database_url() -> str:
    database = django_settings.DATABASES["default"]
    user = database.get("USER") or ""
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = f"{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}"
    # pytest-django's test database (test_<name>), which the workers must read and write too.
    return f"postgres://{user}{password}@{host}/{database['NAME']}"


@pytest.fixture
def start_worker(tmp_path, media_root):
    """Return a function that starts a worker on a broker and waits until it consumes; all are stopped after."""
    if connection.vendor != "postgresql":
        require_service("PostgreSQL (set DATABASE_URL) for a database the test shares with live workers")
    workers: list[Worker] = []

    def start(broker_url: str, name: str, **extra_env: str) -> Worker:
        scratch = tmp_path / f"{name}-tmp"
        scratch.mkdir()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _database_url(),
            # Broker, results and cache all on the test's own Redis, never the machine's shared one. The test
            # settings run the tasks a worker itself queues inline; the tasks it receives come from the broker.
            "REDIS_URL": broker_url, "CELERY_BROKER_URL": broker_url, "CELERY_RESULT_BACKEND": broker_url,
            "MEDIA_ROOT": str(media_root),
            # A killed worker leaves its half-made files in its scratch folder, which pytest removes.
            "TMPDIR": str(scratch),
            **extra_env,
        }
        log = tmp_path / f"{name}.log"
        with open(log, "wb") as output:
            # The default prefork pool, as production runs: the task runs in a child while the main process keeps
            # talking to the broker. (The solo pool runs it inside the event loop, which holds back even an early
            # acknowledgement until the task ends, so it would hide what late acknowledgement is for.)
            process = subprocess.Popen(
                [str(Path(sys.executable).with_name("celery")), "-A", "config", "worker", "--concurrency=1",
                 "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
                 "-n", f"{name}@%h"],
                env=env, cwd=django_settings.BASE_DIR, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True)
        worker = Worker(name, process, log)
        workers.append(worker)

        def ready() -> bool:
            assert worker.alive(), f"worker {name} exited:\n{worker.log()}"
            return " ready." in worker.log()

        _wait(ready, seconds=30, failure=lambda: f"worker {name} never said it was ready:\n{worker.log()}")
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture(scope="session")
def slow_clip(tmp_path_factory):
    """A 720p MPEG-4/MP3 AVI, which browsers cannot play, so processing it includes a transcode of seconds."""
    if not shutil.which("ffmpeg") or not shutil.which("ffprobe"):
        require_service("ffmpeg and ffprobe (apt-get install ffmpeg)")
    path = tmp_path_factory.mktemp("slow-clip") / "site-visit.avi"
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=25:duration={CLIP_SECONDS}",
           "-f", "lavfi", "-i", f"sine=frequency=440:duration={CLIP_SECONDS}",
           "-c:v", "mpeg4", "-q:v", "5", "-c:a", "mp3", "-shortest", str(path))
    return path


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def _upload(client: Client, office, path: Path) -> Video:
    """Upload a file to an office's videos as its staff do; the upload's processing is queued when it commits."""
    data = path.read_bytes()
    ticket = client.post(reverse("media_pipeline:office_video_upload_start", kwargs={"office_id": office.pk}),
                         {"title": path.stem, "file_name": path.name, "size": len(data),
                          "content_type": "video/x-msvideo" if path.suffix == ".avi" else "video/mp4"}).json()
    response = client.put(ticket["upload"]["url"], data, content_type="application/octet-stream")
    assert response.status_code == 200, response.content
    return Video.objects.get(pk=ticket["video"])


def _stored_folder(video: Video, media_root: Path) -> Path:
    return Path(media_root) / os.path.dirname(video.file.name)


def _state(video: Video) -> str:
    video.refresh_from_db()
    return f"video {video.pk} is {video.state} after {video.attempts} attempt(s), problems {video.problems}"


def _in(video: Video, *states: str) -> bool:
    video.refresh_from_db()
    return video.state in states


def _duration(path: Path) -> float:
    probe = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", str(path)],
                           capture_output=True, check=True, timeout=30)
    return float(json.loads(probe.stdout)["format"]["duration"])


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_transcode_loses_nothing(own_redis, start_worker, broker, office, slow_clip,  # noqa: F811
                                                    media_root):
    """SIGKILL the worker transcoding an upload: Redis hands the task to the next worker, which makes it once."""
    server = own_redis()
    queue = server.client()
    broker(server.url)
    short = {"CELERY_BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY_SECONDS)}
    first = start_worker(server.url, "first", **short)
    video = _upload(_signed_in(make_user(Role.OFFICE_STAFF, office=office)), office, slow_clip)
    folder = _stored_folder(video, media_root)

    # Running: the task claimed the row (the DB state it writes), stored the thumbnail and is transcoding.
    def transcoding() -> bool:
        video.refresh_from_db()
        assert video.state in {Video.State.UPLOADED, Video.State.PROCESSING}, (
            f"{_state(video)} before the worker could be killed; make CLIP_SECONDS longer")
        return video.state == Video.State.PROCESSING and (folder / "thumbnail.jpg").exists()

    _wait(transcoding, seconds=30, failure=lambda: f"{_state(video)}; worker log:\n{first.log()}")
    time.sleep(0.5)  # Well inside the transcode, which takes seconds.
    first.kill()
    killed = time.monotonic()

    # Nothing half-saved: the row still says processing, with no thumbnail or playable copy recorded (the
    # thumbnail file already stored is replaced, not duplicated, by the next attempt).
    video.refresh_from_db()
    assert video.state == Video.State.PROCESSING and video.attempts == 1, (
        f"{_state(video)}: the transcode ended before the kill; make CLIP_SECONDS longer")
    assert not video.thumbnail and not video.playback_file and not video.width
    assert not (folder / "playback.mp4").exists()

    # In production the task comes back after the default visibility timeout, by when the killed worker's claim
    # on the row has gone stale and may be taken over. The test shortened the broker's side of that wait to
    # seconds; moving the claim back by the production timeout shortens the row's side to match.
    production_visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    stale_after = (clock.now() - uploads._stale_before()).total_seconds()
    assert production_visibility > stale_after, "a redelivered transcode would find its claim still fresh"
    Video.objects.filter(pk=video.pk).update(
        state_changed_at=F("state_changed_at") - timedelta(seconds=production_visibility))

    # Redis redelivers a task left unacknowledged for the visibility timeout when a worker starts polling (and
    # every 100 s after): start the second worker once that time has passed since the first one took the task.
    held = queue.zrange("unacked_index", 0, -1, withscores=True)
    delivered = held[0][1] if held else time.time()
    time.sleep(max(0.0, delivered + VISIBILITY_SECONDS + 0.5 - time.time()))
    second = start_worker(server.url, "second", **short)

    def claimed_again() -> bool:
        video.refresh_from_db()
        return video.attempts >= 2

    _wait(claimed_again, seconds=30, failure=lambda: (
        f"{_state(video)}: the killed worker's task never reached the second worker "
        f"(tasks the broker held unacknowledged: {len(held)}); worker log:\n{second.log()}"))
    redelivered = time.monotonic() - killed
    _wait(lambda: video.refresh_from_db() or video.state != Video.State.PROCESSING, seconds=60,
          failure=lambda: f"{_state(video)}; worker log:\n{second.log()}")
    finished = time.monotonic() - killed

    # Done exactly once: ready, one finishing entry in the history, one set of stored files, whole.
    assert video.state == Video.State.READY and video.attempts == 2, _state(video)
    assert video.thumbnail and video.playback_file and (video.width, video.height) == (1280, 720)
    finishing = [entry for entry in history_for(video) if event_name(entry) == "video.processing_finished"]
    assert len(finishing) == 1, finishing
    original = os.path.basename(video.file.name)
    assert sorted(path.name for path in folder.iterdir()) == sorted([original, "playback.mp4", "thumbnail.jpg"])
    assert abs(_duration(folder / "playback.mp4") - CLIP_SECONDS) < 1
    # Nothing is left for a third delivery once the second worker acknowledges the task, just after it ends.
    _wait(lambda: queue.llen("celery") == 0 and queue.hlen("unacked") == 0, seconds=10,
          failure=lambda: f"the broker still holds the task: {queue.hgetall('unacked')}")
    assert second.alive()
    print(f"\nworker killed mid-transcode: redelivered and claimed again after {redelivered:.1f} s "
          f"(visibility timeout {VISIBILITY_SECONDS} s), ready after {finished:.1f} s")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_redis_outage_pauses_queued_work_and_the_running_worker_resumes_it(
        own_redis, start_worker, broker, settings, world, office, slow_clip, clips):  # noqa: F811
    """Redis dies while a task waits in its queue: pages work, writes that queue work are refused, and the worker
    that was running reconnects by itself and does the waiting task once Redis is back."""
    # Killed and started again, not paused with SIGSTOP: a paused server keeps every connection open, so clients
    # would only wait, while a dead one drops them all and the worker must reconnect. Its append-only file keeps
    # the queue across the restart.
    server = own_redis(persistent=True)
    queue = server.client()
    broker(server.url)
    settings.CACHES = {"default": {**django_settings.CACHES["default"],
                                   "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": server.url,
                                   "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}}
    world.close_preferences()
    office_staff = _signed_in(make_user(Role.OFFICE_STAFF, office=office))
    exam_staff = _signed_in(make_user(Role.EXAM_STAFF))
    worker = start_worker(server.url, "steady")

    # The worker is busy with a long transcode, so the next upload's task waits in Redis.
    busy = _upload(office_staff, office, slow_clip)
    _wait(lambda: _in(busy, Video.State.PROCESSING), seconds=30,
          failure=lambda: f"{_state(busy)}; worker log:\n{worker.log()}")
    waiting = _upload(office_staff, office, clips / "good.mp4")
    assert queue.llen("celery") == 1, "the second upload's task should wait in the queue"
    server.kill()
    down = time.monotonic()

    # Pages that need no background work still answer, for people signed in with database sessions.
    for client, url in [
        (office_staff, reverse("dashboard")),
        (office_staff, reverse("offices:discovery")),
        (office_staff, reverse("media_pipeline:office_videos", kwargs={"office_id": office.pk})),
        (exam_staff, reverse("placement:cycle_detail", kwargs={"pk": world.cycle.pk})),
    ]:
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code} while Redis was down"
    # A write that queues background work is refused with the clear page, and nothing of it is saved: no run,
    # and not the submission of the lists left unsubmitted at the deadline that a run start does first.
    unsubmitted = PreferenceList.objects.filter(submitted_at__isnull=True).count()
    assert unsubmitted
    response = exam_staff.post(reverse("placement:run_list", kwargs={"pk": world.cycle.pk}),
                               {"policy": "exam_rank", "exam_weight": "1", "seed": "3"})
    assert response.status_code == 503
    assert "cannot be reached right now, so nothing was saved" in response.content.decode()
    assert not PlacementRun.objects.exists()
    assert PreferenceList.objects.filter(submitted_at__isnull=True).count() == unsubmitted

    # The worker finishes the transcode it held, then finds the broker gone and keeps trying to reach it.
    _wait(lambda: _in(busy, Video.State.READY), seconds=45,
          failure=lambda: f"{_state(busy)}; worker log:\n{worker.log()}")
    # Two failed attempts to reconnect (Celery waits 2 s, then 4 s, and so on between them).
    _wait(lambda: worker.log().count("Trying again in") >= 2, seconds=20,
          failure=lambda: f"the worker did not keep trying to reach Redis; its log:\n{worker.log()}")
    assert _in(waiting, Video.State.UPLOADED), _state(waiting)
    server.start()
    outage = time.monotonic() - down

    # The same worker process, never restarted, reconnects and does the task that waited, once.
    resumed = _wait(lambda: not _in(waiting, Video.State.UPLOADED, Video.State.PROCESSING), seconds=45,
                    failure=lambda: f"{_state(waiting)}; worker log:\n{worker.log()}")
    assert waiting.state == Video.State.READY and waiting.attempts == 1, _state(waiting)
    assert worker.alive() and worker.log().count("Connected to redis") >= 2, worker.log()
    busy.refresh_from_db()
    assert busy.state == Video.State.READY and busy.attempts == 1

    # And new writes queue their work again.
    response = exam_staff.post(reverse("placement:run_list", kwargs={"pk": world.cycle.pk}),
                               {"policy": "exam_rank", "exam_weight": "1", "seed": "3"})
    assert response.status_code == 302, response.status_code
    run = PlacementRun.objects.get()
    _wait(lambda: run.refresh_from_db() or run.status == PlacementRun.Status.SUCCEEDED, seconds=30,
          failure=lambda: f"run {run.pk} is {run.status}; worker log:\n{worker.log()}")
    print(f"\nRedis down {outage:.1f} s; the task that waited was done {resumed:.1f} s after Redis came back, "
          "by the worker that ran through the outage")
