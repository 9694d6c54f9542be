"""YouTube links: adding one, checking links with the API, checking one again, and publishing an upload to YouTube."""
import logging
import tempfile
from datetime import timedelta

from allauth.socialaccount.models import SocialToken
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from core.audit import audit_event
from core.queue import enqueue
from placement.models import Candidate, LandOffice

from .. import signals
from ..integrations import youtube
from ..models import Video
from ..validation import youtube_facts, youtube_problems, youtube_recheck_after
from ..youtube_urls import YouTubeURLError, parse_video_id
from .shared import (
    SUBMISSIONS_CLOSED_FOR_ADDING,
    MediaError,
    limits_for_video,
    local_copy,
    owner_fields,
    problems_json,
    require_submissions_open,
    video_owner_data,
    video_owner_email,
    video_storage,
)
from .uploads import video_original_check

logger = logging.getLogger(__name__)

YOUTUBE_CHECKABLE = [Video.State.PENDING, Video.State.DEFERRED, Video.State.NOT_VERIFIED, Video.State.VERIFIED,
                     Video.State.REJECTED]
# Links rejected for a reason that can change are looked at again automatically for this long after being added;
# after that only their owner's "Check again" does it.
YOUTUBE_RECHECK_WINDOW = timedelta(days=14)
# The owner's "Check again" waits this long after the last check, so repeated clicks do not spend the API quota.
YOUTUBE_RECHECK_PAUSE = timedelta(seconds=60)
# A publication queued or running this long is taken to have died, and may be requested again.
PUBLICATION_STALE = timedelta(hours=6)
# The permission a candidate grants so SurveyPlace may upload to their channel; the connect link asks for it.
GOOGLE_UPLOAD_SCOPE = youtube.UPLOAD_SCOPE


class AlreadyListed(MediaError):
    """The owner already has this YouTube link; `rechecking` says whether it is now being checked again."""

    def __init__(self, message: str, *, rechecking: bool):
        super().__init__(message)
        self.rechecking = rechecking


def youtube_checks_configured() -> bool:
    """Return whether links are checked with the YouTube API (an API key is set)."""
    return youtube.is_configured()


# ---- Adding and checking links ---------------------------------------------------------------------------------

def video_youtube_add(*, url: str, title: str, acting_user, candidate: Candidate | None = None,
                      office: LandOffice | None = None, for_reply: bool = False) -> Video:
    """Keep a YouTube link for its owner and queue its check; without an API key it stays "not verified"."""
    try:
        youtube_id = parse_video_id(url)
    except YouTubeURLError as error:
        raise MediaError(_(
            "That is not a YouTube video link. Paste the address of the video page, such as "
            "https://www.youtube.com/watch?v=… or https://youtu.be/…"
        )) from error
    owner = owner_fields(candidate, office)
    existing = Video.objects.filter(**owner, kind=Video.Kind.YOUTUBE, youtube_id=youtube_id).first()
    if existing is not None:
        # Pasting a link again is how many people say "look again"; do that when looking again can help.
        if existing.may_recheck and youtube.is_configured():
            video_youtube_recheck(video=existing, acting_user=acting_user)
            raise AlreadyListed(_("This video is already in the list; it is being checked again."), rechecking=True)
        raise AlreadyListed(_("This video is already in the list."), rechecking=False)
    # A focus group's question comes after the submissions deadline and may ask for a video; the focus-group reply
    # service checks its own deadline, so only the submissions gate is skipped for it.
    if not for_reply:
        require_submissions_open(candidate, SUBMISSIONS_CLOSED_FOR_ADDING)
    state = Video.State.PENDING if youtube.is_configured() else Video.State.NOT_VERIFIED
    with transaction.atomic():
        video = Video.objects.create(
            **owner, kind=Video.Kind.YOUTUBE, state=state, title=title.strip() or youtube_id,
            youtube_id=youtube_id, state_changed_at=clock.now(), created_by=acting_user,
        )
        audit_event(video, "video.link_added", actor=acting_user, youtube_id=youtube_id, state=state,
                    **video_owner_data(video))
        if state == Video.State.PENDING:
            enqueue("media_pipeline.tasks.youtube_check", [video.pk])
    return video


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
        audit_event(video, "video.link_recheck_requested", actor=acting_user,
                    changes={"state": [Video.State.REJECTED, Video.State.PENDING]}, problems=video.problems)
        enqueue("media_pipeline.tasks.youtube_check", [video.pk])
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
                _youtube_verdict_record(video, items.get(yid))


def _youtube_verdict_record(video: Video, item: dict | None) -> None:
    limits = limits_for_video(video)
    problems = youtube_problems(item, max_duration=limits.max_duration)
    now = clock.now()
    fields = {"checked_at": now, "next_check_at": None, "problems": problems_json(problems)}
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
            changes = {"state": [video.state, state]}
            if fields["problems"] != video.problems:
                changes["problems"] = [video.problems, fields["problems"]]
            audit_event(video, _youtube_verdict_event(old=video.state, new=state), actor=None, changes=changes,
                        youtube_id=video.youtube_id)
        if video.state == Video.State.VERIFIED and state == Video.State.REJECTED:
            transaction.on_commit(lambda: _tell_unavailable(video.pk))


def _youtube_verdict_event(*, old: str, new: str) -> str:
    """Name the history entry of a check that changed a link's state."""
    if new == Video.State.VERIFIED:
        return "video.link_verified"
    # A link that played and no longer does is news for the focus groups relying on it, not just a refusal.
    return "video.link_became_unavailable" if old == Video.State.VERIFIED else "video.link_rejected"


def _tell_unavailable(video_id: int) -> None:
    """Email the owner that a verified link stopped working, and signal the focus groups that rely on it."""
    video = Video.objects.select_related("candidate__user", "office").filter(pk=video_id).first()
    if video is None:
        return
    video_owner_email(video, gettext_lazy("[SurveyPlace] A YouTube video is no longer available"), gettext_lazy(
        "The YouTube video “%(title)s” can no longer be shown: %(reason)s\n\n"
        "Fix it on YouTube or replace it: %(url)s"
    ))
    signals.video_unavailable.send(sender=Video, video=video)


# ---- Publishing an upload to the candidate's own YouTube channel ----------------------------------------------

def google_upload_configured() -> bool:
    """Return whether Google sign-in is set up, which publishing to a candidate's channel needs."""
    return bool(settings.GOOGLE_CLIENT_ID and settings.GOOGLE_CLIENT_SECRET)


def google_token_for(user) -> SocialToken | None:
    """Return the Google OAuth token allauth stored for a user, or None."""
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
    video_original_check(video=video)
    now = clock.now()
    with transaction.atomic():
        claimable = Q(publication__in=[Video.Publication.NONE, Video.Publication.FAILED]) | Q(
            publication__in=[Video.Publication.QUEUED, Video.Publication.PUBLISHING],
            publication_changed_at__lt=now - PUBLICATION_STALE,
        )
        if Video.objects.filter(claimable, pk=video.pk).update(publication=Video.Publication.QUEUED,
                                                              publication_changed_at=now):
            audit_event(video, "video.publication_requested", actor=acting_user,
                        changes={"publication": [video.publication, Video.Publication.QUEUED]})
            enqueue("media_pipeline.tasks.video_youtube_publish", video.pk)
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
    failure = "no Google token" if token is None else ""
    if token is not None:
        try:
            video_original_check(video=video)
        except MediaError:
            token, failure = None, "the stored file was replaced after it was checked"
    if token is not None:
        name = video.playback_file.name or video.file.name
        content_type = "video/mp4" if video.playback_file else (video.content_type or "video/mp4")
        with tempfile.TemporaryDirectory(prefix="surveyplace-publish-") as workdir:
            source = local_copy(video_storage(), name, workdir)
            try:
                youtube_id, fresh = youtube.upload_to_channel(
                    tokens=youtube.OAuthTokens(token.token, token.token_secret, token.expires_at), path=source,
                    content_type=content_type, title=video.title, description=video.description,
                )
            except (youtube.UploadNotAllowed, youtube.YouTubeUnavailable) as error:
                logger.warning("Publishing video %s to YouTube failed: %s", video.pk, error)
                failure = str(error)[:500]
            else:
                outcome = Video.Publication.PUBLISHED
                token.token, token.expires_at = fresh.access_token, fresh.expires_at
                token.token_secret = fresh.refresh_token or token.token_secret
                token.save(update_fields=["token", "token_secret", "expires_at"])
    with transaction.atomic():
        if not Video.objects.filter(pk=video.pk, publication=Video.Publication.PUBLISHING).update(
            publication=outcome, published_youtube_id=youtube_id, publication_changed_at=clock.now()
        ):
            return
        changes = {"publication": [Video.Publication.PUBLISHING, outcome]}
        if youtube_id != video.published_youtube_id:
            changes["published_youtube_id"] = [video.published_youtube_id, youtube_id]
        if outcome == Video.Publication.PUBLISHED:
            audit_event(video, "video.published_to_youtube", actor=None, changes=changes)
        else:
            audit_event(video, "video.publication_failed", actor=None, changes=changes, reason=failure)
