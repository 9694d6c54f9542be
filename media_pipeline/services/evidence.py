"""Evidence files: a candidate's PDFs and photos supporting their videos."""
import uuid

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from placement.models import Candidate

from ..messages import problem_message
from ..models import EvidenceFile, MediaEvent, Video
from ..validation import sniff_evidence
from .shared import (
    SUBMISSIONS_CLOSED_FOR_ADDING,
    SUBMISSIONS_CLOSED_FOR_REMOVING,
    MediaError,
    media_event_record,
    require_submissions_open,
    stored_files_delete_on_commit,
)


def evidence_add(*, candidate: Candidate, uploaded_file, title: str, acting_user,
                 video: Video | None = None) -> EvidenceFile:
    """Store a PDF, JPEG or PNG for a candidate after checking its first bytes, whatever its name says."""
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
        media_event_record(action=MediaEvent.Action.ADDED, actor=acting_user, evidence=evidence)
    return evidence


def evidence_remove(*, evidence: EvidenceFile, acting_user) -> None:
    """Remove an evidence file and, after commit, its stored file; it stays once the focus groups are evaluating it."""
    require_submissions_open(evidence.candidate, SUBMISSIONS_CLOSED_FOR_REMOVING)
    with transaction.atomic():
        media_event_record(action=MediaEvent.Action.REMOVED, actor=acting_user, evidence_id=evidence.pk,
                           title=evidence.title)
        name = evidence.file.name
        evidence.delete()
        stored_files_delete_on_commit([name])
