"""Uploaded video files: starting an upload, receiving or finishing it, processing it, and sweeping lost ones."""
import logging
import os
import re
import tempfile
import uuid
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from core.audit import audit_event
from core.queue import QueueUnavailable, broker_check, enqueue
from placement.models import Candidate, LandOffice

from ..integrations import ffprobe, s3
from ..messages import problem_message
from ..models import Video
from ..validation import (
    Problem,
    VideoLimits,
    needs_transcode,
    parse_probe,
    size_problems,
    tail_check_seconds,
    tail_problems,
    video_problems,
)
from .shared import (
    SUBMISSIONS_CLOSED_FOR_ADDING,
    MediaError,
    limits_for_owner,
    limits_for_video,
    local_copy,
    owner_fields,
    problems_json,
    require_submissions_open,
    stored_files_delete_on_commit,
    video_file_names,
    video_owner_data,
    video_owner_email,
    video_storage,
)
from .videos import video_discard

logger = logging.getLogger(__name__)

MAX_PROCESSING_ATTEMPTS = 3
CHUNK_BYTES = 1024 * 1024
CONTENT_TYPE = re.compile(r"^video/[A-Za-z0-9.+-]{1,60}$")
# An upload without a title is named after its file, cut to what the title column holds.
TITLE_MAX = Video._meta.get_field("title").max_length


@dataclass(frozen=True)
class UploadTicket:
    """What a browser needs to send a file: where, how, and which fields or part URLs to use."""

    mode: str  # "local", "s3_post" or "s3_multipart"
    url: str = ""
    fields: dict | None = None
    part_urls: list | None = None
    part_bytes: int = 0

    def as_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value not in (None, "", 0)}


# ---- Receiving the file ----------------------------------------------------------------------------------------

def video_upload_start(*, title: str, file_name: str, size: int, content_type: str, acting_user,
                       candidate: Candidate | None = None,
                       office: LandOffice | None = None) -> tuple[Video, UploadTicket]:
    """Create a video waiting for its file and return where the browser sends the bytes.

    With S3 the browser posts straight to the bucket, so video bytes never pass through the web process.
    """
    owner = owner_fields(candidate, office)
    require_submissions_open(candidate, SUBMISSIONS_CLOSED_FOR_ADDING)
    limits = limits_for_owner(candidate=candidate, office=office)
    if size <= 0:
        raise MediaError(_("The file is empty."))
    if size > limits.max_bytes:
        raise MediaError(problem_message("too_large", {"size": size, "limit": limits.max_bytes}))
    content_type = content_type.strip().lower()
    if not content_type or content_type == "application/octet-stream":
        content_type = "application/octet-stream"
    elif not CONTENT_TYPE.match(content_type):
        raise MediaError(_("Choose a video file."))
    key = f"videos/{uuid.uuid4().hex}/original"
    with transaction.atomic():
        video = Video.objects.create(
            **owner, kind=Video.Kind.UPLOAD, state=Video.State.AWAITING_UPLOAD,
            title=title.strip() or file_name[:TITLE_MAX],
            file=key, original_name=file_name[:255], content_type=content_type, size_bytes=size,
            state_changed_at=clock.now(), created_by=acting_user,
        )
        audit_event(video, "video.upload_started", actor=acting_user, file_name=video.original_name,
                    size_bytes=size, content_type=content_type, **video_owner_data(video))
    expires = settings.MEDIA_UPLOAD_URL_EXPIRE_SECONDS
    if not s3.is_configured():
        return video, UploadTicket(mode="local", url=reverse("media_pipeline:video_upload_local",
                                                               kwargs={"pk": video.pk}))
    if size > settings.MEDIA_MULTIPART_THRESHOLD_BYTES:
        part_bytes = settings.MEDIA_MULTIPART_PART_BYTES
        parts = -(-size // part_bytes)
        upload_id = s3.multipart_start(key=key, content_type=content_type)
        return video, UploadTicket(
            mode="s3_multipart", url=upload_id, part_bytes=part_bytes,
            part_urls=s3.multipart_part_urls(key=key, upload_id=upload_id, parts=parts, expires=expires),
        )
    post = s3.presigned_post(key=key, content_type=content_type, size=size, expires=expires)
    return video, UploadTicket(mode="s3_post", url=post["url"], fields=post["fields"])


class UploadConflict(MediaError):
    """The video is not waiting for its file: another request is sending it, or it has arrived."""


class _CappedReader:
    """Read a request body in chunks and refuse it once it passes the announced size, before it fills the disk."""

    def __init__(self, stream, limit: int):
        self.stream, self.limit, self.count = stream, limit, 0

    def read(self, size: int = -1) -> bytes:
        # Never ask for more than one byte past the limit: that byte is enough to know the body is too long.
        wanted = CHUNK_BYTES if size is None or size < 0 else min(size, CHUNK_BYTES)
        data = self.stream.read(min(wanted, self.limit - self.count + 1))
        self.count += len(data)
        if self.count > self.limit:
            raise MediaError(problem_message("size_mismatch", {"declared": self.limit}))
        return data


def _fresh_key() -> str:
    return f"videos/{uuid.uuid4().hex}/original"


def video_upload_receive(*, video: Video, stream, content_length: int | None, acting_user) -> Video:
    """Store a file sent to the web process (local storage only), streaming it to disk in chunks.

    The request first claims the waiting video with one conditional UPDATE, so of two overlapping requests only one
    writes, and a request arriving after the file is refused without touching it. Each claim writes under a key of
    its own, so no late writer can overwrite bytes that were checked. Nothing past the announced size is read.
    """
    if s3.is_configured():
        raise MediaError(_("Files go straight to the storage service; reload the page and try again."))
    if video.state == Video.State.RECEIVING:
        raise UploadConflict(_("This video's file is already being sent. Wait for that upload to finish."))
    if video.state != Video.State.AWAITING_UPLOAD:
        raise UploadConflict(_("This video already has its file."))
    declared = video.size_bytes or 0
    if content_length is not None and content_length != declared:
        raise MediaError(problem_message("size_mismatch", {"size": content_length, "declared": declared}))
    # A file that arrives is queued for processing; with the broker down, refuse before reading the body, so the
    # upload can simply be sent again later instead of leaving the video locked as receiving.
    broker_check()
    key = _fresh_key()
    if not Video.objects.filter(pk=video.pk, state=Video.State.AWAITING_UPLOAD).update(
        state=Video.State.RECEIVING, file=key, state_changed_at=clock.now()
    ):
        raise UploadConflict(_("This video's file is already being sent. Wait for that upload to finish."))
    storage = video_storage()
    reader = _CappedReader(stream, declared)
    name = key
    try:
        name = storage.save(key, File(reader, name=key))
        if reader.count != declared:
            raise MediaError(problem_message("size_mismatch", {"size": reader.count, "declared": declared}))
    except Exception:
        # The storage leaves what it wrote so far; a refused or broken upload keeps nothing, and the video waits
        # for its file again.
        _stored_delete(storage, {key, name})
        Video.objects.filter(pk=video.pk, state=Video.State.RECEIVING, file=key).update(
            state=Video.State.AWAITING_UPLOAD, state_changed_at=clock.now())
        raise
    if name != key and not Video.objects.filter(pk=video.pk, state=Video.State.RECEIVING, file=key).update(
            file=name):
        name = ""
    video.file.name = name
    try:
        arrived = bool(name) and _arrival_record(video, from_state=Video.State.RECEIVING, size=reader.count,
                                                 etag="", acting_user=acting_user)
    except QueueUnavailable:
        # The broker went away while the file arrived: keep nothing, and let the owner send the file again.
        _stored_delete(storage, {key, name} - {""})
        Video.objects.filter(pk=video.pk, state=Video.State.RECEIVING, file=name).update(
            state=Video.State.AWAITING_UPLOAD, state_changed_at=clock.now())
        raise
    if not arrived:
        # The video was removed, or swept as abandoned, while its file arrived.
        _stored_delete(storage, {key, name} - {""})
        raise UploadConflict(_("The upload was interrupted. Reload the page and upload the file again."))
    video.refresh_from_db()
    return video


def _stored_delete(storage, names) -> None:
    for name in names:
        if storage.exists(name):
            storage.delete(name)


def video_upload_finish(*, video: Video, acting_user, parts: list[str] | None = None,
                        upload_id: str = "") -> Video:
    """Mark the file as uploaded, noting its ETag, and queue its processing; a repeated call changes nothing."""
    if video.state != Video.State.AWAITING_UPLOAD:
        return video
    if parts and upload_id and s3.is_configured():
        s3.multipart_complete(key=video.file.name, upload_id=upload_id, etags=parts)
    stored = stored_original(video)
    if stored is None:
        raise MediaError(problem_message("upload_missing", {}))
    if not _arrival_record(video, from_state=Video.State.AWAITING_UPLOAD, size=stored.size, etag=stored.etag,
                           acting_user=acting_user):
        return Video.objects.get(pk=video.pk)
    video.refresh_from_db()
    return video


def _arrival_record(video: Video, *, from_state: str, size: int, etag: str, acting_user) -> bool:
    """Move a video whose file arrived on to processing, or reject it for its size; False when it had moved on."""
    # S3 enforces the policy's size; checking again here also covers stores that do not, and the bytes sent locally.
    problems = size_problems(size, limits_for_video(video), declared=video.size_bytes)
    state = Video.State.REJECTED if problems else Video.State.UPLOADED
    with transaction.atomic():
        if not Video.objects.filter(pk=video.pk, state=from_state, file=video.file.name).update(
            state=state, problems=problems_json(problems), file_etag=etag, state_changed_at=clock.now()
        ):
            return False
        # The history shows the owner's view: the video waited for its file, then had it (receiving is a lock).
        changes = {"state": [Video.State.AWAITING_UPLOAD, state]}
        if problems:
            changes["problems"] = [video.problems, problems_json(problems)]
        audit_event(video, "video.file_uploaded", actor=acting_user, changes=changes)
        if problems:
            stored_files_delete_on_commit([video.file.name])
        else:
            enqueue("media_pipeline.tasks.video_process", video.pk)
    return True


# ---- The stored original ---------------------------------------------------------------------------------------

def stored_original(video: Video) -> s3.StoredObject | None:
    """Return the ETag (S3 only) and size of a video's stored original, or None when it is not stored."""
    name = video.file.name
    if not name:
        return None
    if s3.is_configured():
        return s3.head(key=name)
    storage = video_storage()
    return s3.StoredObject(etag="", size=storage.size(name)) if storage.exists(name) else None


def _unchanged(video: Video, stored: s3.StoredObject | None) -> bool:
    # Rows from before ETags were kept have none; their size still has to match.
    return (stored is not None and stored.size == video.size_bytes
            and (not video.file_etag or stored.etag == video.file_etag))


def video_original_check(*, video: Video) -> None:
    """Refuse an upload whose stored original is no longer the object that was checked, and reject it for good.

    With S3 the presigned POST stays valid for a while after the file arrived, so the owner could replace the object
    once it was checked; such an object is never served or published.
    """
    if video.playback_file or _unchanged(video, stored_original(video)):
        return
    problems = [Problem("replaced")]
    with transaction.atomic():
        if Video.objects.filter(pk=video.pk, state=Video.State.READY).update(
            state=Video.State.REJECTED, problems=problems_json(problems), state_changed_at=clock.now()
        ):
            audit_event(video, "video.file_replaced", actor=None, changes={
                "state": [Video.State.READY, Video.State.REJECTED],
                "problems": [video.problems, problems_json(problems)]})
            transaction.on_commit(lambda: _tell_rejected_and_discard(video.pk))
    raise MediaError(problem_message("replaced", {}))


# ---- Processing ------------------------------------------------------------------------------------------------

def _stale_before():
    return clock.now() - timedelta(seconds=settings.MEDIA_TRANSCODE_TIMEOUT_SECONDS + 300)


def video_process(*, video_id: int) -> None:
    """Check an uploaded file's size and content, make its thumbnail and, when needed, a playable MP4.

    The row is claimed with one conditional UPDATE, so a duplicate task finds nothing to do, and a run that
    died mid-way is taken over only after it is stale.
    """
    now = clock.now()
    claimed = Video.objects.filter(pk=video_id, kind=Video.Kind.UPLOAD).filter(
        Q(state=Video.State.UPLOADED) | Q(state=Video.State.PROCESSING, state_changed_at__lt=_stale_before())
    ).update(state=Video.State.PROCESSING, attempts=F("attempts") + 1, state_changed_at=now)
    if not claimed:
        return
    video = Video.objects.select_related("candidate__cycle").get(pk=video_id)
    if video.attempts > MAX_PROCESSING_ATTEMPTS:
        _processing_finish(video, problems=[Problem("processing_failed")], fields={})
        return
    storage = video_storage()
    limits = limits_for_video(video)
    fields: dict = {}
    with tempfile.TemporaryDirectory(prefix="surveyplace-media-") as workdir:
        stored = stored_original(video)
        size = stored.size if stored else 0
        problems = size_problems(size, limits)
        if not problems and not _unchanged(video, stored):
            problems = [Problem("replaced")]
        fields["size_bytes"] = size
        if not problems:
            source = local_copy(storage, video.file.name, workdir)
            problems = _probe_and_derive(video, source, workdir, limits, fields)
        # The object checked must be the one that arrived, and still be stored as it was: with S3 the owner could
        # replace it while it was being read.
        if not problems and not _unchanged(video, stored_original(video)):
            problems = [Problem("replaced")]
    _processing_finish(video, problems=problems, fields=fields)


def _probe_and_derive(video: Video, source: str, workdir: str, limits: VideoLimits, fields: dict) -> list[Problem]:
    try:
        probe = parse_probe(ffprobe.probe(source))
    except ffprobe.ProbeTimeout:
        return [Problem("probe_timeout")]
    except ffprobe.ProbeFailed:
        return [Problem("unreadable")]
    problems = video_problems(probe, limits)
    if problems:
        return problems
    expected = tail_check_seconds(probe)
    if expected is not None:
        decoded = ffprobe.decoded_tail_seconds(source, expected)
        problems = tail_problems(expected_seconds=expected, decoded_seconds=decoded)
        if problems:
            return problems
    stream = probe.video_streams[0]
    fields.update(width=stream.width, height=stream.height, duration_seconds=probe.duration)
    base = os.path.dirname(video.file.name)
    try:
        thumbnail = os.path.join(workdir, "thumbnail.jpg")
        ffprobe.thumbnail(source=source, target=thumbnail, at_seconds=min(1.0, probe.duration / 2))
        fields["thumbnail"] = _store(thumbnail, f"{base}/thumbnail.jpg")
        if needs_transcode(probe):
            playback = os.path.join(workdir, "playback.mp4")
            ffprobe.transcode(source=source, target=playback)
            fields["playback_file"] = _store(playback, f"{base}/playback.mp4")
    except (ffprobe.FFmpegFailed, ffprobe.ProbeTimeout):
        logger.exception("ffmpeg failed on video %s", video.pk)
        return [Problem("transcode_failed")]
    return []


def _store(path: str, key: str) -> str:
    storage = video_storage()
    # A rerun replaces what an earlier attempt stored instead of leaving a copy beside it.
    if storage.exists(key):
        storage.delete(key)
    with open(path, "rb") as handle:
        return storage.save(key, File(handle, name=key))


def _processing_finish(video: Video, *, problems: list[Problem], fields: dict) -> None:
    state = Video.State.REJECTED if problems else Video.State.READY
    with transaction.atomic():
        updated = Video.objects.filter(pk=video.pk, state=Video.State.PROCESSING, attempts=video.attempts).update(
            state=state, problems=problems_json(problems), state_changed_at=clock.now(), **fields
        )
        if updated:
            changes = {"state": [Video.State.PROCESSING, state]}
            if problems_json(problems) != video.problems:
                changes["problems"] = [video.problems, problems_json(problems)]
            audit_event(video, "video.processing_finished", actor=None, changes=changes, attempts=video.attempts)
            if problems:
                transaction.on_commit(lambda: _tell_rejected_and_discard(video.pk))


def _tell_rejected_and_discard(video_id: int) -> None:
    """Email the owner why an upload was refused, then delete its stored files: no later step can use them.

    The row stays, with its problems, so the owner's list keeps saying what went wrong.
    """
    video = Video.objects.select_related("candidate__user", "office").filter(
        pk=video_id, kind=Video.Kind.UPLOAD, state=Video.State.REJECTED).first()
    if video is None:
        return
    video_owner_email(video, gettext_lazy("[SurveyPlace] Your video could not be used"), gettext_lazy(
        "The video “%(title)s” (%(name)s) could not be used: %(reason)s\n\n"
        "The file has been deleted. Upload a corrected file here: %(url)s"
    ))
    names = video_file_names(video)
    with transaction.atomic():
        # Update by id and state: the owner may have removed the video meanwhile, files and all.
        if not Video.objects.filter(pk=video.pk, state=Video.State.REJECTED).update(file="", playback_file="",
                                                                                   thumbnail=""):
            return
        stored = {"file": video.file, "playback_file": video.playback_file, "thumbnail": video.thumbnail}
        audit_event(video, "video.files_deleted", actor=None, reason="rejected", files=names,
                    changes={field: [value.name, ""] for field, value in stored.items() if value and value.name})
        stored_files_delete_on_commit(names)


# ---- Sweeping --------------------------------------------------------------------------------------------------

def video_uploads_sweep() -> dict[str, int]:
    """Requeue uploads whose processing was lost or died, and drop uploads that never arrived."""
    now = clock.now()
    stuck = list(Video.objects.filter(
        Q(state=Video.State.UPLOADED, state_changed_at__lt=now - timedelta(minutes=5))
        | Q(state=Video.State.PROCESSING, state_changed_at__lt=_stale_before())
    ).values_list("pk", flat=True)[:500])
    for pk in stuck:
        enqueue("media_pipeline.tasks.video_process", pk)
    # A request that held the claim for a day died with its process; the file never arrived either.
    abandoned = Video.objects.filter(state__in=[Video.State.AWAITING_UPLOAD, Video.State.RECEIVING],
                                     state_changed_at__lt=now - timedelta(days=1))
    dropped = 0
    for video in abandoned[:500]:
        # A file that never arrived was never submitted, so the submissions deadline does not keep it.
        video_discard(video=video, acting_user=None, event="video.upload_dropped")
        dropped += 1
    return {"requeued": len(stuck), "dropped": dropped}
