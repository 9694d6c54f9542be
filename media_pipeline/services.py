"""Writes for videos and evidence files. Views, tasks, commands and the admin call these; nothing else writes."""
import logging
import os
import re
import tempfile
import uuid
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from accounts.models import RoleGrant
from accounts.roles import Role
from placement.models import Candidate, ExamCycle, LandOffice

from . import signals
from .integrations import ffprobe, s3, youtube
from .models import EvidenceFile, MediaEvent, MediaLimits, Video
from .validation import (
    Problem,
    VideoLimits,
    needs_transcode,
    parse_probe,
    size_problems,
    sniff_evidence,
    tail_check_seconds,
    tail_problems,
    video_problems,
    youtube_facts,
    youtube_problems,
    youtube_recheck_after,
)
from .youtube_urls import YouTubeURLError, parse_video_id

logger = logging.getLogger(__name__)

MAX_PROCESSING_ATTEMPTS = 3
CHUNK_BYTES = 1024 * 1024
CONTENT_TYPE = re.compile(r"^video/[A-Za-z0-9.+-]{1,60}$")


class MediaError(Exception):
    """A request the user has to change; the message says how."""


class AlreadyListed(MediaError):
    """The owner already has this YouTube link; `rechecking` says whether it is now being checked again."""

    def __init__(self, message: str, *, rechecking: bool):
        super().__init__(message)
        self.rechecking = rechecking


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


# ---- Limits ----------------------------------------------------------------------------------------------------

def limits_for_cycle(cycle: ExamCycle | None) -> VideoLimits:
    """Return the video limits of a cycle: its own MediaLimits row, else the settings' defaults."""
    row = MediaLimits.objects.filter(cycle=cycle).first() if cycle else None
    return VideoLimits(
        max_bytes=row.max_upload_bytes if row else settings.MEDIA_MAX_UPLOAD_BYTES,
        max_duration=float(row.max_duration_seconds if row else settings.MEDIA_MAX_DURATION_SECONDS),
    )


def limits_for_owner(*, candidate: Candidate | None = None, office: LandOffice | None = None) -> VideoLimits:
    """Return the limits for a candidate's videos (their cycle's) or an office's (the current cycle's)."""
    # Office videos follow the cycle candidates are currently choosing in.
    cycle = candidate.cycle if candidate else ExamCycle.objects.filter(is_current=True).first()
    return limits_for_cycle(cycle)


def limits_for_video(video: Video) -> VideoLimits:
    return limits_for_owner(candidate=video.candidate if video.candidate_id else None, office=video.office)


def _owner(candidate: Candidate | None, office: LandOffice | None) -> dict:
    if (candidate is None) == (office is None):
        raise ValueError("A video belongs to exactly one candidate or one land office.")
    return {"candidate": candidate} if candidate else {"office": office}


def _event(*, action: str, actor=None, video: Video | None = None, evidence: EvidenceFile | None = None,
           **detail) -> None:
    MediaEvent.objects.create(action=action, actor=actor, video=video, evidence=evidence, detail=detail)


def _storage():
    return Video._meta.get_field("file").storage


def _problems_json(problems: list[Problem]) -> list[dict]:
    return [{"code": problem.code, "params": problem.params} for problem in problems]


# ---- YouTube links ---------------------------------------------------------------------------------------------

def video_youtube_add(*, url: str, title: str, acting_user, candidate: Candidate | None = None,
                      office: LandOffice | None = None) -> Video:
    """Keep a YouTube link for its owner and queue its check; without an API key it stays "not verified"."""
    try:
        youtube_id = parse_video_id(url)
    except YouTubeURLError as error:
        raise MediaError(_(
            "That is not a YouTube video link. Paste the address of the video page, such as "
            "https://www.youtube.com/watch?v=… or https://youtu.be/…"
        )) from error
    owner = _owner(candidate, office)
    existing = Video.objects.filter(**owner, kind=Video.Kind.YOUTUBE, youtube_id=youtube_id).first()
    if existing is not None:
        # Pasting a link again is how many people say "look again"; do that when looking again can help.
        if existing.may_recheck and youtube.is_configured():
            video_youtube_recheck(video=existing, acting_user=acting_user)
            raise AlreadyListed(_("This video is already in the list; it is being checked again."), rechecking=True)
        raise AlreadyListed(_("This video is already in the list."), rechecking=False)
    state = Video.State.PENDING if youtube.is_configured() else Video.State.NOT_VERIFIED
    with transaction.atomic():
        video = Video.objects.create(
            **owner, kind=Video.Kind.YOUTUBE, state=state, title=title.strip() or youtube_id,
            youtube_id=youtube_id, state_changed_at=clock.now(), created_by=acting_user,
        )
        _event(action=MediaEvent.Action.ADDED, actor=acting_user, video=video, kind=video.kind)
        if state == Video.State.PENDING:
            from .tasks import youtube_check

            transaction.on_commit(lambda: youtube_check.delay([video.pk]))
    return video


YOUTUBE_CHECKABLE = [Video.State.PENDING, Video.State.DEFERRED, Video.State.NOT_VERIFIED, Video.State.VERIFIED,
                     Video.State.REJECTED]
# Links rejected for a reason that can change are looked at again automatically for this long after being added;
# after that only their owner's "Check again" does it.
YOUTUBE_RECHECK_WINDOW = timedelta(days=14)
# The owner's "Check again" waits this long after the last check, so repeated clicks do not spend the API quota.
YOUTUBE_RECHECK_PAUSE = timedelta(seconds=60)


def video_youtube_recheck(*, video: Video, acting_user) -> Video:
    """Check a link rejected for a reason that can change again now, at its owner's request."""
    if not youtube.is_configured():
        raise MediaError(_("YouTube checks are not set up, so the link cannot be checked."))
    if not video.may_recheck:
        raise MediaError(_("Checking again would not change the answer for this video."))
    now = clock.now()
    if video.checked_at and now - video.checked_at < YOUTUBE_RECHECK_PAUSE:
        raise MediaError(_("The video was checked less than a minute ago. Wait a moment, then check again."))
    with transaction.atomic():
        if not Video.objects.filter(pk=video.pk, state=Video.State.REJECTED).update(
            state=Video.State.PENDING, state_changed_at=now, next_check_at=None
        ):
            return video
        _event(action=MediaEvent.Action.STATE_CHANGED, actor=acting_user, video=video, state=Video.State.PENDING,
               reason="recheck")
        from .tasks import youtube_check

        transaction.on_commit(lambda: youtube_check.delay([video.pk]))
    video.refresh_from_db()
    return video


def youtube_videos_check(*, video_ids: list[int]) -> None:
    """Check YouTube links with the API, 50 ids a call, and record each verdict.

    A daily-quota answer postpones this and every later batch until the quota resets, so no check is lost;
    an API that keeps failing leaves the links as they are for the periodic check to retry.
    """
    if not youtube.is_configured():
        return
    videos = list(
        Video.objects.filter(pk__in=video_ids, kind=Video.Kind.YOUTUBE, state__in=YOUTUBE_CHECKABLE)
        .select_related("candidate__cycle", "office").order_by("pk")
    )
    batches: dict[str, list[Video]] = {}
    for video in videos:
        batches.setdefault(video.youtube_id, []).append(video)
    youtube_ids = list(batches)
    for start in range(0, len(youtube_ids), youtube.BATCH_SIZE):
        chunk = youtube_ids[start:start + youtube.BATCH_SIZE]
        try:
            items = youtube.videos_list(chunk)
        except youtube.QuotaExceeded:
            resume_at = youtube.quota_reset_after(clock.now())
            waiting = [video.pk for yid in youtube_ids[start:] for video in batches[yid]]
            # Verified links keep their state while they wait; only unverified ones show "postponed".
            Video.objects.filter(pk__in=waiting).exclude(state=Video.State.VERIFIED).update(
                state=Video.State.DEFERRED, state_changed_at=clock.now())
            Video.objects.filter(pk__in=waiting).update(next_check_at=resume_at)
            logger.warning("YouTube quota spent; %d checks wait until %s.", len(waiting), resume_at)
            return
        except youtube.YouTubeUnavailable as error:
            logger.warning("YouTube API unavailable (%s); the periodic check will retry.", error)
            return
        for yid in chunk:
            for video in batches[yid]:
                _youtube_record(video, items.get(yid))


def _youtube_record(video: Video, item: dict | None) -> None:
    limits = limits_for_video(video)
    problems = youtube_problems(item, max_duration=limits.max_duration)
    now = clock.now()
    fields = {"checked_at": now, "next_check_at": None, "problems": _problems_json(problems)}
    if item is not None:
        facts = youtube_facts(item)
        fields.update(youtube_title=facts.title[:300], youtube_channel=facts.channel[:300],
                      youtube_thumbnail_url=facts.thumbnail_url[:500], duration_seconds=facts.duration)
    state = Video.State.REJECTED if problems else Video.State.VERIFIED
    if state != video.state:
        fields.update(state=state, state_changed_at=now)
    recheck_after = youtube_recheck_after([problem.code for problem in problems]) if problems else None
    if recheck_after is not None and video.created_at > now - YOUTUBE_RECHECK_WINDOW:
        fields["next_check_at"] = now + timedelta(seconds=recheck_after)
    with transaction.atomic():
        # Update by id: the owner may have removed the video while the API answered.
        if not Video.objects.filter(pk=video.pk).update(**fields):
            return
        if state != video.state:
            _event(action=MediaEvent.Action.STATE_CHANGED, video=video, state=state, problems=fields["problems"])
        if video.state == Video.State.VERIFIED and state == Video.State.REJECTED:
            _event(action=MediaEvent.Action.BECAME_UNAVAILABLE, video=video)
            transaction.on_commit(lambda: _tell_unavailable(video.pk))


def _owner_emails(video: Video) -> list[str]:
    if video.candidate_id:
        user = video.candidate.user
        return [user.email if user else video.candidate.email]
    return list(RoleGrant.objects.filter(office_id=video.office_id, role=Role.OFFICE_STAFF)
                .values_list("user__email", flat=True).distinct())


def _email_owner(video: Video, subject, body) -> None:
    """Email a video's owner in the site's language; the body may use title, name, reason and url."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(body) % {
            "title": video.title, "name": video.original_name, "reason": " ".join(video.problem_messages),
            "url": settings.SITE_URL.rstrip("/") + video.get_absolute_url(),
        }
        subject = str(subject)
    recipients = [email for email in _owner_emails(video) if email]
    if recipients:
        send_mail(subject, text, None, recipients)


def _tell_unavailable(video_id: int) -> None:
    """Email the owner that a verified link stopped working, and signal the focus groups that rely on it."""
    video = Video.objects.select_related("candidate__user", "office").filter(pk=video_id).first()
    if video is None:
        return
    _email_owner(video, gettext_lazy("[SurveyPlace] A YouTube video is no longer available"), gettext_lazy(
        "The YouTube video “%(title)s” can no longer be shown: %(reason)s\n\n"
        "Fix it on YouTube or replace it: %(url)s"
    ))
    signals.video_unavailable.send(sender=Video, video=video)


# ---- Uploads ---------------------------------------------------------------------------------------------------

def video_upload_start(*, title: str, file_name: str, size: int, content_type: str, acting_user,
                       candidate: Candidate | None = None,
                       office: LandOffice | None = None) -> tuple[Video, UploadTicket]:
    """Create a video waiting for its file and return where the browser sends the bytes.

    With S3 the browser posts straight to the bucket, so video bytes never pass through the web process.
    """
    owner = _owner(candidate, office)
    limits = limits_for_owner(candidate=candidate, office=office)
    if size <= 0:
        raise MediaError(_("The file is empty."))
    if size > limits.max_bytes:
        raise MediaError(problem_text("too_large", {"size": size, "limit": limits.max_bytes}))
    content_type = content_type.strip().lower()
    if not content_type or content_type == "application/octet-stream":
        content_type = "application/octet-stream"
    elif not CONTENT_TYPE.match(content_type):
        raise MediaError(_("Choose a video file."))
    key = f"videos/{uuid.uuid4().hex}/original"
    with transaction.atomic():
        video = Video.objects.create(
            **owner, kind=Video.Kind.UPLOAD, state=Video.State.AWAITING_UPLOAD, title=title.strip() or file_name,
            file=key, original_name=file_name[:255], content_type=content_type, size_bytes=size,
            state_changed_at=clock.now(), created_by=acting_user,
        )
        _event(action=MediaEvent.Action.ADDED, actor=acting_user, video=video, kind=video.kind)
    expires = settings.MEDIA_UPLOAD_URL_EXPIRE_SECONDS
    if not s3.is_configured():
        from django.urls import reverse

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
    post = s3.presigned_post(key=key, content_type=content_type, max_bytes=limits.max_bytes, expires=expires)
    return video, UploadTicket(mode="s3_post", url=post["url"], fields=post["fields"])


def problem_text(code: str, params: dict) -> str:
    from .messages import problem_message

    return problem_message(code, params)


class _CappedReader:
    """Read a request body in chunks and refuse it once it passes the limit, before it fills the disk."""

    def __init__(self, stream, limit: int):
        self.stream, self.limit, self.count = stream, limit, 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(CHUNK_BYTES if size is None or size < 0 else min(size, CHUNK_BYTES))
        self.count += len(data)
        if self.count > self.limit:
            raise MediaError(problem_text("too_large", {"size": self.count, "limit": self.limit}))
        return data


def video_upload_receive(*, video: Video, stream, acting_user) -> Video:
    """Store a file sent to the web process (local storage only), streaming it to disk in chunks."""
    if s3.is_configured():
        raise MediaError(_("Files go straight to the storage service; reload the page and try again."))
    if video.state != Video.State.AWAITING_UPLOAD:
        raise MediaError(_("This video already has its file."))
    storage = _storage()
    limit = limits_for_video(video).max_bytes
    try:
        name = storage.save(video.file.name, File(_CappedReader(stream, limit), name=video.file.name))
    except MediaError:
        # The storage leaves what it wrote so far; a refused upload must not keep its first gigabytes.
        if storage.exists(video.file.name):
            storage.delete(video.file.name)
        raise
    if name != video.file.name:
        Video.objects.filter(pk=video.pk).update(file=name)
        video.file.name = name
    return video_upload_finish(video=video, acting_user=acting_user)


def video_upload_finish(*, video: Video, acting_user, parts: list[str] | None = None,
                        upload_id: str = "") -> Video:
    """Mark the file as uploaded and queue its processing; a repeated call changes nothing."""
    if video.state != Video.State.AWAITING_UPLOAD:
        return video
    if parts and upload_id and s3.is_configured():
        s3.multipart_complete(key=video.file.name, upload_id=upload_id, etags=parts)
    storage = _storage()
    if not storage.exists(video.file.name):
        raise MediaError(problem_text("upload_missing", {}))
    # S3 enforces the policy's size range; checking again here also covers stores that do not.
    problems = size_problems(storage.size(video.file.name), limits_for_video(video))
    state = Video.State.REJECTED if problems else Video.State.UPLOADED
    with transaction.atomic():
        if not Video.objects.filter(pk=video.pk, state=Video.State.AWAITING_UPLOAD).update(
            state=state, problems=_problems_json(problems), state_changed_at=clock.now()
        ):
            return Video.objects.get(pk=video.pk)
        _event(action=MediaEvent.Action.UPLOADED, actor=acting_user, video=video, state=state)
        if problems:
            _delete_files_on_commit([video.file.name])
        else:
            from .tasks import video_process

            transaction.on_commit(lambda: video_process.delay(video.pk))
    video.refresh_from_db()
    return video


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
    storage = _storage()
    limits = limits_for_video(video)
    fields: dict = {}
    with tempfile.TemporaryDirectory(prefix="surveyplace-media-") as workdir:
        size = storage.size(video.file.name) if storage.exists(video.file.name) else 0
        fields["size_bytes"] = size
        problems = size_problems(size, limits)
        if not problems:
            source = _local_copy(storage, video.file.name, workdir)
            problems = _probe_and_derive(video, source, workdir, limits, fields)
    _processing_finish(video, problems=problems, fields=fields)


def _local_copy(storage, name: str, workdir: str) -> str:
    """Return a local path of a stored file: the file itself on local storage, a streamed copy from S3."""
    try:
        return storage.path(name)
    except NotImplementedError:
        path = os.path.join(workdir, "original")
        s3.download(key=name, path=path)
        return path


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
    storage = _storage()
    # A rerun replaces what an earlier attempt stored instead of leaving a copy beside it.
    if storage.exists(key):
        storage.delete(key)
    with open(path, "rb") as handle:
        return storage.save(key, File(handle, name=key))


def _processing_finish(video: Video, *, problems: list[Problem], fields: dict) -> None:
    state = Video.State.REJECTED if problems else Video.State.READY
    with transaction.atomic():
        updated = Video.objects.filter(pk=video.pk, state=Video.State.PROCESSING, attempts=video.attempts).update(
            state=state, problems=_problems_json(problems), state_changed_at=clock.now(), **fields
        )
        if updated:
            _event(action=MediaEvent.Action.STATE_CHANGED, video=video, state=state,
                   problems=_problems_json(problems))
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
    _email_owner(video, gettext_lazy("[SurveyPlace] Your video could not be used"), gettext_lazy(
        "The video “%(title)s” (%(name)s) could not be used: %(reason)s\n\n"
        "The file has been deleted. Upload a corrected file here: %(url)s"
    ))
    names = [f.name for f in (video.file, video.playback_file, video.thumbnail) if f and f.name]
    with transaction.atomic():
        Video.objects.filter(pk=video.pk, state=Video.State.REJECTED).update(file="", playback_file="", thumbnail="")
        _event(action=MediaEvent.Action.FILES_DELETED, video=video, files=len(names))
        _delete_files_on_commit(names)


def media_sweep() -> dict[str, int]:
    """Requeue uploads whose processing was lost or died, and drop uploads that never arrived."""
    from .tasks import video_process

    now = clock.now()
    stuck = list(Video.objects.filter(
        Q(state=Video.State.UPLOADED, state_changed_at__lt=now - timedelta(minutes=5))
        | Q(state=Video.State.PROCESSING, state_changed_at__lt=_stale_before())
    ).values_list("pk", flat=True)[:500])
    for pk in stuck:
        transaction.on_commit(lambda pk=pk: video_process.delay(pk))
    abandoned = Video.objects.filter(state=Video.State.AWAITING_UPLOAD, state_changed_at__lt=now - timedelta(days=1))
    dropped = 0
    for video in abandoned[:500]:
        video_remove(video=video, acting_user=None)
        dropped += 1
    return {"requeued": len(stuck), "dropped": dropped}


# ---- Publishing an upload to the candidate's own YouTube channel ----------------------------------------------

PUBLICATION_STALE = timedelta(hours=6)


def google_upload_configured() -> bool:
    return bool(settings.GOOGLE_CLIENT_ID and settings.GOOGLE_CLIENT_SECRET)


def google_token_for(user):
    """Return the Google OAuth token allauth stored for a user, or None."""
    from allauth.socialaccount.models import SocialToken

    if user is None:
        return None
    return SocialToken.objects.filter(account__user=user, account__provider="google").order_by("-pk").first()


def video_youtube_publish_request(*, video: Video, acting_user) -> Video:
    """Queue publishing a ready upload to its candidate's own channel as unlisted; a repeat changes nothing."""
    if not google_upload_configured():
        raise MediaError(_("Publishing to YouTube needs Google sign-in, which is not set up."))
    if not video.candidate_id or video.kind != Video.Kind.UPLOAD or video.state != Video.State.READY:
        raise MediaError(_("Only your own videos that are ready can be published."))
    if google_token_for(video.candidate.user) is None:
        raise MediaError(_("Connect your Google account first, allowing uploads to YouTube."))
    now = clock.now()
    with transaction.atomic():
        claimable = Q(publication__in=[Video.Publication.NONE, Video.Publication.FAILED]) | Q(
            publication__in=[Video.Publication.QUEUED, Video.Publication.PUBLISHING],
            publication_changed_at__lt=now - PUBLICATION_STALE,
        )
        if Video.objects.filter(claimable, pk=video.pk).update(publication=Video.Publication.QUEUED,
                                                              publication_changed_at=now):
            _event(action=MediaEvent.Action.STATE_CHANGED, actor=acting_user, video=video, publication="queued")
            from .tasks import video_youtube_publish

            transaction.on_commit(lambda: video_youtube_publish.delay(video.pk))
    video.refresh_from_db()
    return video


def video_youtube_publish(*, video_id: int) -> None:
    """Upload a queued video to its candidate's channel through their stored, refreshed OAuth tokens."""
    now = clock.now()
    if not Video.objects.filter(pk=video_id, publication=Video.Publication.QUEUED).update(
        publication=Video.Publication.PUBLISHING, publication_changed_at=now
    ):
        return
    video = Video.objects.select_related("candidate__user").get(pk=video_id)
    token = google_token_for(video.candidate.user if video.candidate_id else None)
    outcome, youtube_id = Video.Publication.FAILED, ""
    if token is not None:
        name = video.playback_file.name or video.file.name
        content_type = "video/mp4" if video.playback_file else (video.content_type or "video/mp4")
        with tempfile.TemporaryDirectory(prefix="surveyplace-publish-") as workdir:
            source = _local_copy(_storage(), name, workdir)
            try:
                youtube_id, fresh = youtube.upload_to_channel(
                    tokens=youtube.OAuthTokens(token.token, token.token_secret, token.expires_at), path=source,
                    content_type=content_type, title=video.title, description=video.description,
                )
            except (youtube.UploadNotAllowed, youtube.YouTubeUnavailable) as error:
                logger.warning("Publishing video %s to YouTube failed: %s", video.pk, error)
            else:
                outcome = Video.Publication.PUBLISHED
                token.token, token.expires_at = fresh.access_token, fresh.expires_at
                token.token_secret = fresh.refresh_token or token.token_secret
                token.save(update_fields=["token", "token_secret", "expires_at"])
    with transaction.atomic():
        Video.objects.filter(pk=video.pk, publication=Video.Publication.PUBLISHING).update(
            publication=outcome, published_youtube_id=youtube_id, publication_changed_at=clock.now())
        _event(action=MediaEvent.Action.STATE_CHANGED, video=video, publication=outcome, youtube_id=youtube_id)


# ---- Removal ---------------------------------------------------------------------------------------------------

def _delete_files_on_commit(names: list[str]) -> None:
    storage = _storage()

    def delete():
        for name in names:
            try:
                storage.delete(name)
            except Exception:  # A file left behind costs storage, not correctness; the row is already gone.
                logger.exception("Could not delete stored file %s", name)

    transaction.on_commit(delete)


def video_remove(*, video: Video, acting_user) -> None:
    """Remove a video and, after commit, its stored files."""
    names = [f.name for f in (video.file, video.playback_file, video.thumbnail) if f and f.name]
    with transaction.atomic():
        _event(action=MediaEvent.Action.REMOVED, actor=acting_user, video=None, video_id=video.pk, title=video.title)
        video.delete()
        _delete_files_on_commit(names)


# ---- Evidence files --------------------------------------------------------------------------------------------

def evidence_add(*, candidate: Candidate, uploaded_file, title: str, acting_user,
                 video: Video | None = None) -> EvidenceFile:
    """Store a PDF, JPEG or PNG for a candidate after checking its first bytes, whatever its name says."""
    if uploaded_file.size > settings.MEDIA_EVIDENCE_MAX_BYTES:
        raise MediaError(problem_text("evidence_too_large", {"size": uploaded_file.size,
                                                             "limit": settings.MEDIA_EVIDENCE_MAX_BYTES}))
    if uploaded_file.size == 0:
        raise MediaError(_("The file is empty."))
    uploaded_file.seek(0)
    sniffed = sniff_evidence(uploaded_file.read(16))
    uploaded_file.seek(0)
    if sniffed is None:
        raise MediaError(_("Only PDF, JPEG and PNG files are accepted; this file is none of them."))
    if video is not None and video.candidate_id != candidate.pk:
        raise MediaError(_("Choose one of your own videos."))
    content_type, extension = sniffed
    storage = EvidenceFile._meta.get_field("file").storage
    with transaction.atomic():
        name = storage.save(f"evidence/{uuid.uuid4().hex}.{extension}", File(uploaded_file))
        evidence = EvidenceFile.objects.create(
            candidate=candidate, video=video, title=title.strip() or uploaded_file.name, file=name,
            original_name=(uploaded_file.name or "")[:255], content_type=content_type,
            size_bytes=uploaded_file.size, created_by=acting_user,
        )
        _event(action=MediaEvent.Action.ADDED, actor=acting_user, evidence=evidence)
    return evidence


def evidence_remove(*, evidence: EvidenceFile, acting_user) -> None:
    with transaction.atomic():
        _event(action=MediaEvent.Action.REMOVED, actor=acting_user, evidence_id=evidence.pk, title=evidence.title)
        name = evidence.file.name
        evidence.delete()
        _delete_files_on_commit([name])
