"""What the media pipeline holds about a candidate, for the privacy app: their videos and evidence files.

Erasing removes the rows and returns every stored file (upload, playback copy, thumbnail, evidence) for the privacy
app to delete once the erasure commits. A copy the candidate published to their own YouTube channel is theirs, on
their channel, and stays there; the platform only forgets its id.
"""
import posixpath

from core.registry import PersonalData, StoredFile

from .models import EvidenceFile, Video
from .services.shared import video_file_names


def _archive_name(prefix: str, pk: int, label: str, name: str) -> str:
    extension = posixpath.splitext(name)[1]
    return f"{prefix}/{pk}-{label}{extension}"


def candidate_export(candidate) -> PersonalData:
    """Return the metadata of the candidate's videos and evidence files, and the files themselves."""
    files: list[StoredFile] = []
    videos = []
    for video in Video.objects.filter(candidate=candidate).order_by("pk"):
        videos.append({
            "id": video.pk, "kind": video.kind, "state": video.state, "title": video.title,
            "description": video.description, "youtube_id": video.youtube_id,
            "youtube_title": video.youtube_title, "youtube_channel": video.youtube_channel,
            "published_youtube_id": video.published_youtube_id, "original_name": video.original_name,
            "content_type": video.content_type, "size_bytes": video.size_bytes,
            "duration_seconds": video.duration_seconds, "width": video.width, "height": video.height,
            "created_at": video.created_at,
        })
        for label, field in (("original", video.file), ("playback", video.playback_file),
                             ("thumbnail", video.thumbnail)):
            if field and field.name:
                files.append(StoredFile(field.name, _archive_name("videos", video.pk, label, field.name)))
    evidence = []
    for item in EvidenceFile.objects.filter(candidate=candidate).order_by("pk"):
        evidence.append({
            "id": item.pk, "title": item.title, "video": item.video_id, "original_name": item.original_name,
            "content_type": item.content_type, "size_bytes": item.size_bytes, "created_at": item.created_at,
        })
        files.append(StoredFile(item.file.name, _archive_name("evidence", item.pk, "file", item.file.name)))
    return PersonalData(data={"videos": videos, "evidence_files": evidence}, files=tuple(files))


def candidate_erase(candidate) -> list[str]:
    """Delete the candidate's videos and evidence files and return their stored files' names."""
    names = []
    videos = Video.objects.filter(candidate=candidate)
    for video in videos:
        names.extend(video_file_names(video))
    evidence = EvidenceFile.objects.filter(candidate=candidate)
    names.extend(evidence.exclude(file="").values_list("file", flat=True))
    # Deleted as querysets, not through the services that remove one item: those write the title and file names
    # into the history, and an erasure must leave no personal data behind in it.
    evidence.delete()
    videos.delete()
    return names
