"""Evidence files: a candidate's PDFs and photos supporting their videos."""
import uuid

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_event
from placement.models import Candidate

from ..messages import problem_message
from ..models import EvidenceFile, Video
from ..validation import sniff_evidence
from .shared import (
    SUBMISSIONS_CLOSED_FOR_ADDING,
    SUBMISSIONS_CLOSED_FOR_CHANGING,
    SUBMISSIONS_CLOSED_FOR_REMOVING,
    MediaError,
    require_submissions_open,
    stored_files_delete_on_commit,
)


def evidence_add(*, candidate: Candidate, uploaded_file, title: str, acting_user,
                 video: Video | None = None, for_reply: bool = False) -> EvidenceFile:
    """Store a PDF, JPEG or PNG for a candidate after checking its first bytes, whatever its name says."""
    # A focus group asks its questions after the submissions deadline, and the candidate's answer may need a file;
    # the focus-group reply service checks its own deadline, so only the submissions gate is skipped for it.
    if not for_reply:
        require_submissions_open(candidate, SUBMISSIONS_CLOSED_FOR_ADDING)
    if uploaded_file.size > settings.MEDIA_EVIDENCE_MAX_BYTES:
        raise MediaError(problem_message("evidence_too_large", {"size": uploaded_file.size,
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
        audit_event(evidence, "evidence_file.added", actor=acting_user, candidate=candidate.pk, video=evidence.video_id,
                    file_name=evidence.original_name, content_type=content_type, size_bytes=evidence.size_bytes)
    return evidence


def evidence_remove(*, evidence: EvidenceFile, acting_user) -> None:
    """Remove an evidence file and, after commit, its stored file; it stays once the focus groups are evaluating it."""
    require_submissions_open(evidence.candidate, SUBMISSIONS_CLOSED_FOR_REMOVING)
    with transaction.atomic():
        name = evidence.file.name
        # Written before the row goes, while it has its id; the entry has no foreign key to the row and outlives it.
        audit_event(evidence, "evidence_file.removed", actor=acting_user, title=evidence.title,
                    candidate=evidence.candidate_id, video=evidence.video_id, file_name=evidence.original_name,
                    file=name)
        evidence.delete()
        stored_files_delete_on_commit([name])


def evidence_attach(*, evidence: EvidenceFile, video: Video | None, acting_user) -> EvidenceFile:
    """Attach an evidence file to one of its owner's videos, or (with no video) to the portfolio as a whole."""
    require_submissions_open(evidence.candidate, SUBMISSIONS_CLOSED_FOR_CHANGING)
    if video is not None and video.candidate_id != evidence.candidate_id:
        raise MediaError(_("Choose one of your own videos."))
    new_video_id = video.pk if video is not None else None
    if evidence.video_id == new_video_id:
        return evidence
    with transaction.atomic():
        old_video_id = evidence.video_id
        evidence.video = video
        evidence.save(update_fields=["video"])
        audit_event(evidence, "evidence_file.attached", actor=acting_user, changes={"video": [old_video_id,
                                                                                              new_video_id]},
                    candidate=evidence.candidate_id)
    return evidence
