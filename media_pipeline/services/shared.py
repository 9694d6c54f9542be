"""What the media services share: their error, the limits, the owner rule, what the history keeps, stored files."""
import logging
import os

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from accounts.models import RoleGrant
from accounts.roles import Role
from placement.models import Candidate, ExamCycle, LandOffice

from ..integrations import s3
from ..models import MediaLimits, Video
from ..selectors import submissions_open_for_owner
from ..validation import Problem, VideoLimits

logger = logging.getLogger(__name__)

SUBMISSIONS_CLOSED_FOR_ADDING = gettext_lazy(
    "Your submissions are closed: the focus groups are evaluating what you submitted, so nothing more can be added."
)
SUBMISSIONS_CLOSED_FOR_REMOVING = gettext_lazy(
    "Your submissions are closed: the focus groups are evaluating what you submitted, so it can no longer be removed."
)

SUBMISSIONS_CLOSED_FOR_CHANGING = gettext_lazy(
    "Your submissions are closed: the focus groups are evaluating what you submitted, so it can no longer be changed."
)


class MediaError(Exception):
    """A request the user has to change; the message says how."""


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
    """Return the limits that apply to a video's owner."""
    return limits_for_owner(candidate=video.candidate if video.candidate_id else None, office=video.office)


# ---- Owners ----------------------------------------------------------------------------------------------------

def owner_fields(candidate: Candidate | None, office: LandOffice | None) -> dict:
    """Return the owner fields of a new video, refusing anything but exactly one owner."""
    if (candidate is None) == (office is None):
        raise ValueError("A video belongs to exactly one candidate or one land office.")
    return {"candidate": candidate} if candidate else {"office": office}


def require_submissions_open(candidate: Candidate | None, message) -> None:
    """Refuse a change to what a candidate submitted once their submissions are closed; offices are never refused."""
    if not submissions_open_for_owner(candidate=candidate):
        raise MediaError(str(message))


def video_owner_emails(video: Video) -> list[str]:
    """Return the addresses of a video's owner: the candidate, or every office staff member of the office."""
    if video.candidate_id:
        user = video.candidate.user
        return [user.email if user else video.candidate.email]
    return list(RoleGrant.objects.filter(office_id=video.office_id, role=Role.OFFICE_STAFF)
                .values_list("user__email", flat=True).distinct())


def video_owner_email(video: Video, subject, body) -> None:
    """Email a video's owner in the site's language; the body may use title, name, reason and url."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(body) % {
            "title": video.title, "name": video.original_name, "reason": " ".join(video.problem_messages),
            "url": settings.SITE_URL.rstrip("/") + video.get_absolute_url(),
        }
        subject = str(subject)
    recipients = [email for email in video_owner_emails(video) if email]
    if recipients:
        send_mail(subject, text, None, recipients)


# ---- History --------------------------------------------------------------------------------------------------

def video_owner_data(video: Video) -> dict:
    """Return who owns a video, as the context of a history entry: it outlives the video row."""
    return {"candidate": video.candidate_id} if video.candidate_id else {"office": video.office_id}


def problems_json(problems: list[Problem]) -> list[dict]:
    """Return problems as the JSON a video row keeps."""
    return [{"code": problem.code, "params": problem.params} for problem in problems]


# ---- Stored files ----------------------------------------------------------------------------------------------

def video_storage():
    """Return the storage that keeps video files (the same one keeps thumbnails and playback copies)."""
    return Video._meta.get_field("file").storage


def local_copy(storage, name: str, workdir: str) -> str:
    """Return a local path of a stored file: the file itself on local storage, a streamed copy from S3."""
    try:
        return storage.path(name)
    except NotImplementedError:
        path = os.path.join(workdir, "original")
        s3.download(key=name, path=path)
        return path


def stored_files_delete_on_commit(names: list[str]) -> None:
    """Delete stored files once the current transaction commits, so a rollback keeps them."""
    storage = video_storage()

    def delete():
        for name in names:
            try:
                storage.delete(name)
            except Exception:  # A file left behind costs storage, not correctness; the row is already gone.
                logger.exception("Could not delete stored file %s", name)

    transaction.on_commit(delete)


def video_file_names(video: Video) -> list[str]:
    """Return the names of every file a video has stored."""
    return [f.name for f in (video.file, video.playback_file, video.thumbnail) if f and f.name]


def stored_file_read_url(*, name: str, content_type: str, attachment: bool) -> str | None:
    """Return a short-lived URL that reads a stored file straight from S3, or None when files are stored locally."""
    if not s3.is_configured():
        return None
    return s3.presigned_get(key=name, expires=settings.AWS_QUERYSTRING_EXPIRE, content_type=content_type,
                            attachment=attachment)
