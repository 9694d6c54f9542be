"""Every Celery task of our apps, run twice with the same arguments, changes nothing the second time.

A worker may run a task twice: late acknowledgement redelivers a task whose worker died after doing the work, and
the periodic tasks overlap when one runs long. Each scenario below sets up work for one task; the test runs the
task, takes a snapshot of every row of our apps and of the sent mail, runs it again and compares.
"""
import datetime as dt
import threading

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.urls import reverse

from config.celery import app
from core import clock
from media_pipeline.models import Video
from media_pipeline.services.youtube_links import video_youtube_publish_request
from placement.models import Assignment, PlacementRun, PreferenceList, PublicationEmail
from placement.services.notifications import publication_emails_plan
from placement.services.publications import publication_create
from tests.conftest import require_service
from tests.media_pipeline.conftest import FakeYouTube, fake_youtube_server
from tests.media_pipeline.factories import YOUTUBE_ID, upload_started, youtube_link

pytestmark = pytest.mark.django_db

OUR_APPS = ("accounts", "core", "focusgroups", "media_pipeline", "offices", "placement", "portfolios", "practice")


def our_tasks() -> set[str]:
    """Return the names of the registered tasks defined in our apps."""
    app.loader.import_default_modules()
    return {name for name in app.tasks if name.split(".")[0] in OUR_APPS}


def snapshot(ignore: frozenset = frozenset()) -> dict:
    """Every row of every model of our apps (but the fields to ignore, as "app.Model.field"), and the mail sent."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in OUR_APPS and model._meta.managed:
            label = model._meta.label
            rows[label] = [{field: value for field, value in row.items() if f"{label}.{field}" not in ignore}
                           for row in model._default_manager.order_by("pk").values()]
    rows["mail.outbox"] = len(mail.outbox)
    return rows


# Each scenario takes the test's `request` (to reach fixtures), sets up work for its task and returns its arguments.


def _published(request):
    world = request.getfixturevalue("world")
    capture = request.getfixturevalue("django_capture_on_commit_callbacks")
    world.close_preferences()
    run = world.run(capture=capture)
    publication = publication_create(run=run)
    return world, publication


def _queued_run(request):
    world = request.getfixturevalue("world")
    world.close_preferences()
    return (world.run().pk,)


def _publication(request):
    _world, publication = _published(request)
    PublicationEmail.objects.filter(publication=publication).delete()
    return (publication.pk,)


def _publication_emails(request):
    _world, publication = _published(request)
    PublicationEmail.objects.filter(publication=publication).delete()
    return (publication_emails_plan(publication_id=publication.pk),)


def _lists_due(request):
    request.getfixturevalue("world").close_preferences()
    assert PreferenceList.objects.filter(submitted_at__isnull=True).exists()
    return ()


def _auto_submitted(request):
    request.getfixturevalue("world").close_preferences()
    app.tasks["placement.tasks.preference_lists_submit_due_task"].apply()
    mail.outbox.clear()
    return (list(PreferenceList.objects.values_list("pk", flat=True)),)


def _responses_due(request):
    world, _publication = _published(request)
    world.cycle.report_by = clock.now() + dt.timedelta(hours=12)
    world.cycle.save(update_fields=["report_by"])
    return ()


def _stuck_run(request):
    (run_id,) = _queued_run(request)
    PlacementRun.objects.filter(pk=run_id).update(created_at=clock.now() - dt.timedelta(days=1))
    return ()


def _published_results(request):
    _published(request)
    return ()


def _reminders_due(request):
    group = request.getfixturevalue("fg_group")
    group.cycle.focus_groups_until = clock.now() + dt.timedelta(hours=24)
    group.cycle.save(update_fields=["focus_groups_until"])
    return ()


def _youtube_api(request) -> None:
    """Answer the YouTube Data API from a loopback server that knows the factories' video as public."""
    fake = FakeYouTube()
    fake.add(YOUTUBE_ID)
    server = fake_youtube_server(fake)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    request.addfinalizer(server.server_close)
    request.addfinalizer(server.shutdown)
    settings = request.getfixturevalue("settings")
    settings.YOUTUBE_API_KEY = "test-key"
    settings.YOUTUBE_API_ENDPOINT = f"http://127.0.0.1:{server.server_address[1]}/"
    settings.YOUTUBE_RETRY_BASE_SECONDS = 0.01


def _youtube_links(request):
    _youtube_api(request)
    return ([youtube_link(candidate=request.getfixturevalue("candidate")).pk],)


def _youtube_due(request):
    _youtube_api(request)
    video = youtube_link(candidate=request.getfixturevalue("candidate"))
    Video.objects.filter(pk=video.pk).update(state_changed_at=clock.now() - dt.timedelta(hours=1))
    return ()


def _youtube_verified_long_ago(request):
    _youtube_api(request)
    video = youtube_link(candidate=request.getfixturevalue("candidate"), state=Video.State.VERIFIED)
    Video.objects.filter(pk=video.pk).update(checked_at=clock.now() - dt.timedelta(days=2), next_check_at=None)
    return ()


def _uploaded_video(request):
    candidate = request.getfixturevalue("candidate")
    client = request.getfixturevalue("client")
    clips = request.getfixturevalue("clips")
    client.force_login(candidate.user)
    data = (clips / "good.mp4").read_bytes()
    ticket = client.post(reverse("media_pipeline:my_video_upload_start"),
                         {"title": "經緯儀操作", "file_name": "good.mp4", "size": len(data),
                          "content_type": "video/mp4"}).json()
    # The test's transaction never commits, so the processing queued by the upload waits for this test to run it.
    client.put(ticket["upload"]["url"], data, content_type="application/octet-stream")
    assert Video.objects.get(pk=ticket["video"]).state == Video.State.UPLOADED
    return (ticket["video"],)


def _stale_upload(request):
    candidate = request.getfixturevalue("candidate")
    video = upload_started(candidate=candidate)
    Video.objects.filter(pk=video.pk).update(state_changed_at=clock.now() - dt.timedelta(days=3),
                                             created_at=clock.now() - dt.timedelta(days=3))
    return ()


def _ready_video(request):
    request.getfixturevalue("google")
    request.getfixturevalue("google_token")
    video = request.getfixturevalue("ready_video")
    # The upload to YouTube this queues waits for the test to run it (the test's transaction never commits).
    video_youtube_publish_request(video=video, acting_user=None)
    return (video.pk,)


SCENARIOS = {
    "placement.tasks.placement_run_execute_task": _queued_run,
    "placement.tasks.publication_notify_task": _publication,
    "placement.tasks.publication_emails_send_task": _publication_emails,
    "placement.tasks.preference_lists_submit_due_task": _lists_due,
    "placement.tasks.preference_lists_auto_submitted_notify_task": _auto_submitted,
    "placement.tasks.place_responses_due_task": _responses_due,
    "placement.tasks.placement_runs_sweep_task": _stuck_run,
    "placement.tasks.published_results_verify_task": _published_results,
    "focusgroups.tasks.focus_group_reminders_send_task": _reminders_due,
    "media_pipeline.tasks.youtube_check": _youtube_links,
    "media_pipeline.tasks.youtube_check_due": _youtube_due,
    "media_pipeline.tasks.youtube_recheck_verified": _youtube_verified_long_ago,
    "media_pipeline.tasks.video_process": _uploaded_video,
    "media_pipeline.tasks.media_sweep": _stale_upload,
    "media_pipeline.tasks.video_youtube_publish": _ready_video,
}


READ_ONLY = {"placement.tasks.published_results_verify_task"}
# Checking a link again on purpose records when it was checked; its verdict and everything else stay the same.
MAY_CHANGE = {"media_pipeline.tasks.youtube_check": frozenset({"media_pipeline.Video.checked_at"})}


def test_every_task_of_our_apps_has_a_scenario():
    """A new task fails here until it has a scenario below, so nobody adds one that cannot run twice."""
    assert our_tasks() == set(SCENARIOS)


@pytest.mark.parametrize("task_name", sorted(SCENARIOS))
def test_a_task_run_twice_changes_nothing_the_second_time(task_name, request, django_capture_on_commit_callbacks):
    args = SCENARIOS[task_name](request)
    mail.outbox.clear()
    task = app.tasks[task_name]
    before = snapshot(MAY_CHANGE.get(task_name, frozenset()))
    # Work a task queues runs too, as it would once the task's transaction committed.
    with django_capture_on_commit_callbacks(execute=True):
        task.apply(args=args).get()
    ignore = MAY_CHANGE.get(task_name, frozenset())
    first = snapshot(ignore)
    # The scenario gave the task work to do (but the check of published results only reads).
    assert first != before or task_name in READ_ONLY
    with django_capture_on_commit_callbacks(execute=True):
        task.apply(args=args).get()
    assert snapshot(ignore) == first


# ---- Two at once ------------------------------------------------------------------------------------------------

def _postgresql():
    if connection.vendor != "postgresql":
        require_service("PostgreSQL (set DATABASE_URL) for tasks run concurrently")


def _twice_at_once(task_name: str, args: tuple) -> None:
    """Run the task in two threads released together, each on its own database connection."""
    barrier = threading.Barrier(2)
    errors = []

    def work():
        try:
            barrier.wait(timeout=10)
            app.tasks[task_name].apply(args=args).get()
        except Exception as error:  # noqa: BLE001 - reported by the test below.
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors


@pytest.mark.django_db(transaction=True)
def test_a_run_executed_twice_at_once_saves_one_set_of_assignments(world):
    _postgresql()
    world.close_preferences()
    # Rows, not the service: in a transactional test the service's run would be executed as soon as it commits.
    run = PlacementRun.objects.create(cycle=world.cycle, policy="exam_rank", exam_weight=1, seed=7,
                                      created_at=clock.now())
    _twice_at_once("placement.tasks.placement_run_execute_task", (run.pk,))
    run.refresh_from_db()
    assert run.status == PlacementRun.Status.SUCCEEDED
    assignments = Assignment.objects.filter(run=run)
    assert assignments.count() == len(world.candidates)
    assert len(set(assignments.values_list("candidate_id", flat=True))) == len(world.candidates)


@pytest.mark.django_db(transaction=True)
def test_a_batch_of_emails_sent_twice_at_once_sends_each_email_once(world):
    _postgresql()
    world.close_preferences()
    run = PlacementRun.objects.create(cycle=world.cycle, policy="exam_rank", exam_weight=1, seed=7,
                                      created_at=clock.now())
    app.tasks["placement.tasks.placement_run_execute_task"].apply(args=(run.pk,))
    run.refresh_from_db()
    publication = publication_create(run=run)
    ids = list(PublicationEmail.objects.filter(publication=publication).values_list("pk", flat=True))
    # Publishing sent them already (tasks run inline); make them unsent again for the two batches below.
    PublicationEmail.objects.filter(pk__in=ids).update(sent_at=None, claimed_at=None, attempts=0)
    mail.outbox.clear()
    _twice_at_once("placement.tasks.publication_emails_send_task", (ids,))
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(PublicationEmail.objects.filter(pk__in=ids).values_list("recipient", flat=True))
    assert len(ids) >= len(world.candidates)
    assert set(PublicationEmail.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db(transaction=True)
def test_a_video_processed_twice_at_once_is_processed_once(candidate, client, clips):
    _postgresql()
    client.force_login(candidate.user)
    data = (clips / "good.mp4").read_bytes()
    ticket = client.post(reverse("media_pipeline:my_video_upload_start"),
                         {"title": "經緯儀操作", "file_name": "good.mp4", "size": len(data),
                          "content_type": "video/mp4"}).json()
    client.put(ticket["upload"]["url"], data, content_type="application/octet-stream")
    # The upload's processing ran inline when it committed; hand the file back to the queue, as a redelivery would.
    Video.objects.filter(pk=ticket["video"]).update(state=Video.State.UPLOADED, attempts=0)
    _twice_at_once("media_pipeline.tasks.video_process", (ticket["video"],))
    video = Video.objects.get(pk=ticket["video"])
    assert video.state == Video.State.READY, video.problems
    assert video.attempts == 1
