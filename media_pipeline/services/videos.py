"""Removing a video, link or upload, with its stored files."""
from django.db import transaction

from ..models import MediaEvent, Video
from .shared import (
    SUBMISSIONS_CLOSED_FOR_REMOVING,
    media_event_record,
    require_submissions_open,
    stored_files_delete_on_commit,
    video_file_names,
)


def video_remove(*, video: Video, acting_user) -> None:
    """Remove a video at its owner's request; a candidate's stays once the focus groups are evaluating it."""
    require_submissions_open(video.candidate if video.candidate_id else None, SUBMISSIONS_CLOSED_FOR_REMOVING)
    video_discard(video=video, acting_user=acting_user)


def video_discard(*, video: Video, acting_user) -> None:
    """Remove a video whatever the phase and, after commit, its stored files; for the pipeline's own clean-up."""
    names = video_file_names(video)
    with transaction.atomic():
        media_event_record(action=MediaEvent.Action.REMOVED, actor=acting_user, video=None, video_id=video.pk,
                           title=video.title)
        video.delete()
        stored_files_delete_on_commit(names)
