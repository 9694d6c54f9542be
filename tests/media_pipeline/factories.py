"""Videos and evidence files made through the services, so each row is what a real owner's action leaves."""
from django.core.files.uploadedfile import SimpleUploadedFile

from media_pipeline.models import EvidenceFile, Video
from media_pipeline.services import evidence, uploads, youtube_links

YOUTUBE_ID = "dQw4w9WgXcQ"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _acting_user(candidate):
    return candidate.user if candidate is not None else None


def _state_set(video: Video, state: str | None) -> Video:
    if state is not None and state != video.state:
        Video.objects.filter(pk=video.pk).update(state=state)
        video.refresh_from_db()
    return video


def youtube_link(*, candidate=None, office=None, youtube_id: str = YOUTUBE_ID, title: str = "示範影片",
                 state: str | None = None) -> Video:
    """Add a YouTube link for a candidate or an office; `state` then sets a state only the API check reaches."""
    video = youtube_links.video_youtube_add(url=f"https://youtu.be/{youtube_id}", title=title,
                                            acting_user=_acting_user(candidate), candidate=candidate, office=office)
    # Verified and rejected come from YouTube's answer; the tests that ask for them are not about that answer.
    return _state_set(video, state)


def upload_started(*, candidate=None, office=None, title: str = "實作影片", file_name: str = "clip.mp4",
                   size: int = 10, state: str | None = None) -> Video:
    """Start an upload that waits for its file; `state` then sets a state only processing reaches."""
    video, _ticket = uploads.video_upload_start(title=title, file_name=file_name, size=size,
                                                content_type="video/mp4", acting_user=_acting_user(candidate),
                                                candidate=candidate, office=office)
    # Processing needs the file and ffmpeg; the tests that ask for its states are not about processing.
    return _state_set(video, state)


def evidence_file(*, candidate, content: bytes = PNG, name: str = "photo.png", title: str = "測站照片") -> EvidenceFile:
    """Add an evidence file for a candidate, as their evidence page does."""
    return evidence.evidence_add(candidate=candidate, uploaded_file=SimpleUploadedFile(name, content),
                                 title=title, acting_user=candidate.user)
