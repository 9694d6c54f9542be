"""Removing a video, link or upload, with its stored files."""
from django.db import transaction

from core.audit import audit_event

from ..models import Video
from .shared import (
    SUBMISSIONS_CLOSED_FOR_REMOVING,
    require_submissions_open,
    stored_files_delete_on_commit,
    video_file_names,
    video_owner_data,
)


def video_remove(*, video: Video, acting_user) -> None:
    """Remove a video at its owner's request; a candidate's stays once the focus groups are evaluating it."""
    require_submissions_open(video.candidate if video.candidate_id else None, SUBMISSIONS_CLOSED_FOR_REMOVING)
    video_discard(video=video, acting_user=acting_user)


def video_discard(*, video: Video, acting_user, event: str = "video.removed") -> None:
    """Remove a video whatever the phase and, after commit, its stored files; for the pipeline's own clean-up.

    `event` names the removal in the history: "video.removed" when a person removes it, another name when the
    pipeline does (acting_user None).
    """
    names = video_file_names(video)
    with transaction.atomic():
        # Written before the row goes, while the video has its id: an entry keeps the id and title as text, with no
        # foreign key to the row, so it and the video's earlier entries outlive the video.
        audit_event(video, event, actor=acting_user, title=video.title, kind=video.kind, state=video.state,
                    files=names, **video_owner_data(video))
        video.delete()
        stored_files_delete_on_commit(names)
