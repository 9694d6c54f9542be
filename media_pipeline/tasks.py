"""Celery tasks: each takes ids, loads rows and calls one service, so running one twice does no harm."""
from datetime import timedelta

from celery import shared_task
from django.db.models import Q

from core import clock

from .models import Video
from .services import uploads, youtube_links

PERIODIC_BATCH = 5000


@shared_task(ignore_result=True)
def youtube_check(video_ids: list[int]) -> None:
    youtube_links.youtube_videos_check(video_ids=video_ids)


@shared_task(ignore_result=True)
def youtube_check_due() -> None:
    """Check links whose check was lost or postponed, kept unverified before a key was set, or due a second look."""
    if not youtube_links.youtube_checks_configured():
        return
    now = clock.now()
    due = (
        Q(state=Video.State.PENDING, state_changed_at__lt=now - timedelta(minutes=10))
        | Q(state=Video.State.DEFERRED, next_check_at__lte=now)
        | Q(state=Video.State.NOT_VERIFIED)
        # Rejected for a reason that can change (still processing, private, not embeddable): look again.
        | Q(state=Video.State.REJECTED, next_check_at__lte=now)
    )
    ids = list(Video.objects.filter(due, kind=Video.Kind.YOUTUBE).order_by("pk").values_list("pk", flat=True)[
        :PERIODIC_BATCH])
    if ids:
        youtube_links.youtube_videos_check(video_ids=ids)


@shared_task(ignore_result=True)
def youtube_recheck_verified() -> None:
    """Re-check verified links once a day to find videos later deleted or made private."""
    if not youtube_links.youtube_checks_configured():
        return
    now = clock.now()
    stale = Q(checked_at__lt=now - timedelta(days=1)) | Q(checked_at__isnull=True)
    ids = list(
        Video.objects.filter(stale, kind=Video.Kind.YOUTUBE, state=Video.State.VERIFIED)
        .exclude(next_check_at__gt=now).order_by("checked_at", "pk").values_list("pk", flat=True)[:PERIODIC_BATCH]
    )
    if ids:
        youtube_links.youtube_videos_check(video_ids=ids)


@shared_task(ignore_result=True, acks_late=True)
def video_process(video_id: int) -> None:
    uploads.video_process(video_id=video_id)


@shared_task(ignore_result=True)
def media_sweep() -> None:
    uploads.video_uploads_sweep()


@shared_task(ignore_result=True, acks_late=True)
def video_youtube_publish(video_id: int) -> None:
    youtube_links.video_youtube_publish(video_id=video_id)
