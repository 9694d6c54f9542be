"""Uploads on local storage: streamed to disk, then probed, validated, thumbnailed and transcoded by ffmpeg."""
import os
import re
import subprocess
from datetime import UTC, datetime

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from core import clock
from media_pipeline import tasks
from media_pipeline.models import Video
from media_pipeline.services.uploads import video_uploads_sweep
from tests.media_pipeline.factories import upload_started
from tests.media_pipeline.history import entry, events

pytestmark = pytest.mark.django_db


def upload(client, on_commit, path, *, content_type="video/mp4", title="實作影片"):
    """Upload a file the way the page's script does: start, send the bytes, and let processing run."""
    data = path.read_bytes()
    start = client.post(reverse("media_pipeline:my_video_upload_start"),
                        {"title": title, "file_name": path.name, "size": len(data), "content_type": content_type})
    assert start.status_code == 200, start.content
    ticket = start.json()
    assert ticket["upload"]["mode"] == "local"
    with on_commit(execute=True):
        response = client.put(ticket["upload"]["url"], data, content_type="application/octet-stream")
    assert response.status_code == 200, response.content
    return Video.objects.get(pk=ticket["video"])


def test_a_good_mp4_becomes_ready_with_a_thumbnail_and_plays(candidate_client, candidate, on_commit, clips):
    """An H.264/AAC MP4 is accepted as it is, gets a JPEG thumbnail, and streams with byte ranges."""
    video = upload(candidate_client, on_commit, clips / "good.mp4")
    assert video.state == Video.State.READY, video.problems
    # The candidate started and sent the upload; the worker, with no one signed in, processed it.
    assert events(video) == [
        ("video.upload_started", candidate.user, {}),
        ("video.file_uploaded", candidate.user, {"state": ["awaiting_upload", "uploaded"]}),
        ("video.processing_finished", None, {"state": ["processing", "ready"]}),
    ]
    assert entry(video, "video.upload_started").additional_data == {
        "event": "video.upload_started", "file_name": "good.mp4", "size_bytes": (clips / "good.mp4").stat().st_size,
        "content_type": "video/mp4", "candidate": candidate.pk}
    assert (video.width, video.height) == (320, 240) and round(video.duration_seconds) == 3
    assert not video.playback_file
    thumb = candidate_client.get(reverse("media_pipeline:video_thumbnail", kwargs={"pk": video.pk}))
    assert b"".join(thumb.streaming_content)[:3] == b"\xff\xd8\xff"
    played = candidate_client.get(reverse("media_pipeline:video_file", kwargs={"pk": video.pk}),
                                  HTTP_RANGE="bytes=0-99")
    assert played.status_code == 206 and played["Content-Range"].endswith(f"/{(clips / 'good.mp4').stat().st_size}")
    assert b"".join(played.streaming_content) == (clips / "good.mp4").read_bytes()[:100]
    page = candidate_client.get(video.get_absolute_url()).content.decode()
    assert "<video controls" in page


def test_a_file_browsers_cannot_play_is_transcoded_to_h264_mp4(candidate_client, on_commit, clips):
    """MPEG-4 video in AVI is accepted and converted to an H.264/AAC MP4 with the index first."""
    video = upload(candidate_client, on_commit, clips / "needs_transcode.avi", content_type="video/x-msvideo")
    assert video.state == Video.State.READY, video.problems
    assert video.playback_file.name.endswith("playback.mp4")
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0",
                            video.playback_file.path], capture_output=True, text=True, check=True)
    assert probe.stdout.split() == ["h264", "aac"]
    head = open(video.playback_file.path, "rb").read(4096)
    assert head.find(b"moov") < head.find(b"mdat") or b"mdat" not in head  # faststart: the index comes first


@pytest.mark.parametrize(("name", "code"), [
    ("text.mp4", "unreadable"),
    ("truncated.mp4", "unreadable"),
    ("audio_only.m4a", "no_video_stream"),
    ("two_video_streams.mkv", "several_video_streams"),
])
def test_bad_files_are_rejected_with_the_reason(candidate_client, on_commit, clips, name, code):
    """A text file named .mp4, a truncated file, sound only and two video tracks are rejected and say why."""
    video = upload(candidate_client, on_commit, clips / name)
    assert video.state == Video.State.REJECTED
    assert code in [problem["code"] for problem in video.problems]
    candidate_client.cookies["django_language"] = "en"
    page = candidate_client.get(reverse("media_pipeline:my_videos")).content.decode()
    assert video.problem_messages[0] in page


@pytest.mark.parametrize("name", ["faststart_half.mp4", "faststart_most.mp4"])
def test_a_file_cut_short_with_its_index_in_front_is_rejected_as_incomplete(candidate_client, on_commit, clips,
                                                                           name):
    """A faststart MP4 missing its end keeps a header that says 5 s; decoding the end shows the data is missing."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                            str(clips / name)], capture_output=True, text=True, check=True)
    assert float(probe.stdout) == 5.0  # What fooled the pipeline before: the header alone looks whole.
    video = upload(candidate_client, on_commit, clips / name)
    assert video.state == Video.State.REJECTED
    assert [problem["code"] for problem in video.problems] == ["incomplete"]
    assert "檔案不完整" in candidate_client.get(reverse("media_pipeline:my_videos")).content.decode()
    candidate_client.cookies["django_language"] = "en"
    page = candidate_client.get(video.get_absolute_url()).content.decode()
    assert "The file is incomplete" in page and "Upload the whole file again" in page
    assert candidate_client.get(reverse("media_pipeline:video_file", kwargs={"pk": video.pk})).status_code == 404


@pytest.mark.parametrize(("name", "content_type", "seconds"), [
    ("faststart.mp4", "video/mp4", 5), ("good.mp4", "video/mp4", 3), ("camcorder.ts", "video/mp2t", 3),
    ("needs_transcode.avi", "video/x-msvideo", 3),
])
def test_whole_files_pass_the_completeness_check(candidate_client, on_commit, clips, name, content_type, seconds):
    """Uncut files in every container become ready: the completeness check does not refuse good files."""
    video = upload(candidate_client, on_commit, clips / name, content_type=content_type)
    assert video.state == Video.State.READY, video.problems
    assert round(video.duration_seconds) == seconds


def test_a_rejected_upload_tells_its_owner_and_then_deletes_the_file(candidate_client, candidate, on_commit, clips,
                                                                   mailoutbox, media_root):
    """A file refused for good is deleted from storage after its owner is emailed; the reason stays listed."""
    video = upload(candidate_client, on_commit, clips / "two_video_streams.mkv", content_type="video/x-matroska")
    assert video.state == Video.State.REJECTED
    assert [message.to for message in mailoutbox] == [[candidate.user.email]]
    assert "影片無法使用" in mailoutbox[0].subject and video.problem_messages[0] in mailoutbox[0].body
    assert [path for path in media_root.rglob("*") if path.is_file()] == []
    assert video.file.name == "" and not video.thumbnail
    problems = [{"code": "several_video_streams", "params": {"count": 2}}]
    assert video.problems == problems
    deleted = entry(video, "video.files_deleted")
    [name] = deleted.additional_data["files"]
    assert re.fullmatch(r"videos/[0-9a-f]{32}/original", name)
    assert events(video)[-2:] == [
        ("video.processing_finished", None, {"state": ["processing", "rejected"], "problems": [[], problems]}),
        ("video.files_deleted", None, {"file": [name, ""]}),
    ]
    assert deleted.additional_data["reason"] == "rejected"
    page = candidate_client.get(reverse("media_pipeline:my_videos")).content.decode()
    assert video.problem_messages[0] in page


def test_a_video_longer_than_the_cycle_allows_is_rejected(candidate_client, on_commit, clips, settings):
    """A 3-second clip is too long when the limit is 2 seconds."""
    settings.MEDIA_MAX_DURATION_SECONDS = 2
    video = upload(candidate_client, on_commit, clips / "good.mp4")
    assert [problem["code"] for problem in video.problems] == ["too_long"]


def test_a_file_over_the_size_limit_is_refused_before_and_while_uploading(candidate_client, clips, settings):
    """The start refuses a declared size over the limit; a body longer than declared is cut off at the limit."""
    settings.MEDIA_MAX_UPLOAD_BYTES = 1000
    start = candidate_client.post(reverse("media_pipeline:my_video_upload_start"),
                                  {"file_name": "big.mp4", "size": 5000, "content_type": "video/mp4"})
    assert start.status_code == 400 and not Video.objects.exists()
    start = candidate_client.post(reverse("media_pipeline:my_video_upload_start"),
                                  {"file_name": "small.mp4", "size": 900, "content_type": "video/mp4"}).json()
    response = candidate_client.put(start["upload"]["url"], (clips / "good.mp4").read_bytes(),
                                    content_type="application/octet-stream")
    assert response.status_code == 400
    video = Video.objects.get()
    assert video.state == Video.State.AWAITING_UPLOAD
    assert not video.file.storage.exists(video.file.name)


def test_processing_twice_changes_nothing_more(candidate_client, on_commit, clips):
    """A duplicated task finds the video already processed and leaves it alone."""
    video = upload(candidate_client, on_commit, clips / "good.mp4")
    before = Video.objects.values().get(pk=video.pk)
    tasks.video_process.delay(video.pk)
    assert Video.objects.values().get(pk=video.pk) == before


def test_the_sweeper_retries_a_stuck_upload_and_gives_up_after_three_attempts(candidate, on_commit, clips):
    """An upload whose task was lost is processed by the sweeper; one that keeps dying is rejected."""
    video = upload_started(candidate=candidate, file_name="good.mp4", size=(clips / "good.mp4").stat().st_size)
    default_storage.save(video.file.name, open(clips / "good.mp4", "rb"))
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    Video.objects.filter(pk=video.pk).update(state=Video.State.UPLOADED, state_changed_at=long_ago)
    with on_commit(execute=True):
        assert video_uploads_sweep()["requeued"] == 1
    assert Video.objects.get(pk=video.pk).state == Video.State.READY
    Video.objects.filter(pk=video.pk).update(state=Video.State.PROCESSING, state_changed_at=long_ago, attempts=3)
    with on_commit(execute=True):
        video_uploads_sweep()
    stuck = Video.objects.get(pk=video.pk)
    assert stuck.state == Video.State.REJECTED and stuck.problems[0]["code"] == "processing_failed"


def test_the_sweeper_drops_uploads_that_never_arrived(candidate):
    """A video still waiting for its file a day later is removed."""
    with clock.frozen_at(datetime(2020, 1, 1, tzinfo=UTC)):
        video = upload_started(candidate=candidate)
    assert video_uploads_sweep()["dropped"] == 1
    assert not Video.objects.exists()
    # The sweep, not the candidate, removed it, and says so under its own name.
    assert events(Video(pk=video.pk)) == [("video.upload_started", candidate.user, {}),
                                          ("video.upload_dropped", None, {})]
    assert entry(Video(pk=video.pk), "video.upload_dropped").additional_data["state"] == "awaiting_upload"


def test_removing_a_video_deletes_its_files(candidate_client, on_commit, clips):
    """The original and the thumbnail are deleted once the removal commits."""
    video = upload(candidate_client, on_commit, clips / "good.mp4")
    paths = [video.file.path, video.thumbnail.path]
    names = [video.file.name, video.thumbnail.name]
    with on_commit(execute=True):
        candidate_client.post(reverse("media_pipeline:video_remove", kwargs={"pk": video.pk}))
    assert not any(os.path.exists(path) for path in paths)
    assert entry(Video(pk=video.pk), "video.removed").additional_data["files"] == names


def test_a_video_still_processing_is_not_served(candidate_client, candidate):
    """The file view answers 404 until the video is ready."""
    video = upload_started(candidate=candidate)
    assert candidate_client.get(reverse("media_pipeline:video_file", kwargs={"pk": video.pk})).status_code == 404
