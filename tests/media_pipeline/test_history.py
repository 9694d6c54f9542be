"""The media pipeline's audit history: shown on the back office's video and evidence pages, and kept from MediaEvent."""
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from core.audit import event_name, history_for, history_list
from media_pipeline.models import EvidenceFile, Video
from media_pipeline.services.evidence import evidence_remove
from media_pipeline.services.videos import video_remove
from tests.factories import make_user
from tests.media_pipeline.factories import evidence_file, upload_started, youtube_link

BEFORE = ("media_pipeline", "0003_alter_mediaevent_action")
AFTER = ("media_pipeline", "0005_delete_mediaevent")


@pytest.fixture(autouse=True)
def _no_youtube_key(settings):
    settings.YOUTUBE_API_KEY = ""


@pytest.mark.django_db
def test_the_back_office_shows_a_videos_and_an_evidence_files_history(client, candidate):
    """A video's and an evidence file's admin pages list their history, each entry linked to its log entry."""
    video = youtube_link(candidate=candidate)
    evidence = evidence_file(candidate=candidate)
    client.force_login(make_user(superuser=True))
    for row, event in ((video, "video.link_added"), (evidence, "evidence_file.added")):
        [logged] = history_for(row)
        page = client.get(reverse(f"admin:media_pipeline_{row._meta.model_name}_change", args=[row.pk]))
        body = page.content.decode()
        assert page.status_code == 200
        assert f"<code>{event}</code>" in body
        assert reverse("admin:auditlog_logentry_change", args=[logged.pk]) in body
        assert candidate.user.email in body


@pytest.mark.django_db
def test_the_services_record_the_user_they_act_for_outside_a_request_too(candidate, office):
    """With no request to take a user from, each entry names the acting user the service was given."""
    staff = make_user(email="office@example.org")
    link, upload = youtube_link(candidate=candidate), upload_started(office=office)
    evidence = evidence_file(candidate=candidate)
    video_remove(video=link, acting_user=candidate.user)
    video_remove(video=upload, acting_user=staff)
    evidence_remove(evidence=evidence, acting_user=candidate.user)
    media = [entry for entry in history_list() if event_name(entry).startswith(("video.", "evidence_file."))]
    assert [(event_name(entry), entry.object_repr, entry.actor) for entry in media] == [
        ("evidence_file.removed", "測站照片", candidate.user),
        ("video.removed", "實作影片", staff),
        ("video.removed", "示範影片", candidate.user),
        ("evidence_file.added", "測站照片", candidate.user),
        ("video.upload_started", "實作影片", None),  # The factory starts an office's upload for no one.
        ("video.link_added", "示範影片", candidate.user),
    ]


@pytest.fixture
def every_migration_applied_after():
    """Leave the database with every app's migrations applied, as the next tests expect.

    Migrating media_pipeline back also unapplies the migrations of other apps that depend on it (placement's
    answers to places keep evidence files), and migrating media_pipeline forward again does not reapply them.
    """
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_media_events_into_the_history(office, every_migration_applied_after):
    """Each MediaEvent row becomes a named entry with its time, actor and details, also for removed rows."""
    user = make_user(email="staff@example.org")
    apps = _migrate(BEFORE)
    OldVideo, MediaEvent = apps.get_model("media_pipeline", "Video"), apps.get_model("media_pipeline", "MediaEvent")
    at = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    video = OldVideo.objects.create(office_id=office.pk, kind="youtube", state="verified", title="本所簡介",
                                    youtube_id="dQw4w9WgXcQ", state_changed_at=at)
    rows = [
        dict(video_id=video.pk, actor_id=user.pk, action="added", detail={"kind": "youtube"}),
        dict(video_id=video.pk, action="state_changed", detail={"state": "verified", "problems": []}),
        dict(actor_id=user.pk, action="removed", detail={"video_id": 999, "title": "舊影片"}),
        dict(actor_id=user.pk, action="removed", detail={"evidence_id": 55, "title": "測站照片"}),
        # A video since removed: the row lost its id, and nothing says what kind it was.
        dict(action="state_changed", detail={"state": "rejected", "problems": [{"code": "youtube_private"}]}),
    ]
    for row in rows:
        event = MediaEvent.objects.create(**row)
        MediaEvent.objects.filter(pk=event.pk).update(created_at=at)  # auto_now_add ignores a given time.
    _migrate(AFTER)
    # The checks below read through today's models, which later migrations shaped.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert "media_pipeline_mediaevent" not in connection.introspection.table_names()
    kept = Video.objects.get(pk=video.pk)
    assert [(event_name(entry), entry.actor, entry.changes, entry.timestamp) for entry in history_for(kept)] == [
        ("video.link_verified", None, {"state": [None, "verified"]}, at),
        ("video.link_added", user, {}, at),
    ]
    assert history_for(kept).last().additional_data["kind"] == "youtube"
    [removed] = history_for(Video(pk=999))
    assert (event_name(removed), removed.actor, removed.actor_email, removed.object_repr) == (
        "video.removed", user, "staff@example.org", "舊影片")
    [evidence_removed] = history_for(EvidenceFile(pk=55))
    assert event_name(evidence_removed) == "evidence_file.removed"
    [orphan] = history_list(event_prefix="video.state_changed")
    assert orphan.object_pk == "" and orphan.additional_data["problems"] == [{"code": "youtube_private"}]
    # Each entry names the row it came from, and no row is copied twice.
    assert len({entry.additional_data["media_event"] for entry in history_list(event_prefix="video")}) == 4
    assert len(history_list(event_prefix="video")) == 4
