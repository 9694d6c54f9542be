"""A candidate's copy of their data and the erasure of it, built from what every app contributes.

The privacy app reads and erases nothing itself: each app that holds candidate data lists a
PersonalDataContributor in its site module (core/registry.py), and these services call them all.

Why the archive is built by a Celery task, not streamed in the request: it holds the candidate's own video files,
and an upload may be as large as MEDIA_MAX_UPLOAD_BYTES (2 GiB by default) with a playback copy beside it, so
building it can outlast any request timeout. The task writes the ZIP to a temporary file, copying each stored file
in chunks (never a whole video in memory), saves it to the default storage, and the page shows its progress.
"""
import json
import logging
import shutil
import tempfile
import uuid
import zipfile
from contextlib import closing
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import clock, queue, registry
from core.audit import as_system, audit_event
from placement.models import Candidate

from .models import DataExport, Erasure
from .rules import erasure_allowed

logger = logging.getLogger(__name__)

# An archive still unfinished this long after it was asked for lost its task; a new request may replace it.
STALE_AFTER = timedelta(hours=6)
COPY_CHUNK = 1024 * 1024
ARCHIVE_FORMAT = 1


class PrivacyError(Exception):
    """A request the platform refuses; the message says why."""


# ---- Export ----------------------------------------------------------------------------------------------------

def personal_data_collect(candidate: Candidate) -> tuple[dict, list[registry.StoredFile]]:
    """Return every app's data about the candidate, by contributor key, and the stored files that go with it."""
    sections, files = {}, []
    for contributor in registry.personal_data_contributors():
        part = contributor.export(candidate)
        sections[contributor.key] = part.data
        files.extend(part.files)
    return sections, files


def data_export_request(*, candidate: Candidate, acting_user) -> DataExport:
    """Ask for a new archive of the candidate's data, replacing the previous one; a request under way is kept."""
    now = clock.now()
    with transaction.atomic():
        # The candidate's row is the lock: two clicks at once queue one archive.
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if Erasure.objects.filter(candidate=candidate).exists():
            raise PrivacyError(_("Your personal data was erased; there is nothing left to download."))
        under_way = DataExport.objects.filter(candidate=candidate, requested_at__gt=now - STALE_AFTER,
                                              state__in=[DataExport.State.QUEUED, DataExport.State.BUILDING])
        if (export := under_way.first()) is not None:
            return export
        previous = DataExport.objects.filter(candidate=candidate)
        names = [name for name in previous.values_list("file", flat=True) if name]
        previous.delete()
        export = DataExport.objects.create(candidate=candidate, requested_at=now)
        audit_event(export, "data_export.requested", actor=acting_user, candidate=candidate.pk)
        stored_files_delete_on_commit(names)
        queue.enqueue("privacy.tasks.data_export_build", export.pk)
    return export


def data_export_build(*, export_id: int) -> None:
    """Build a queued archive: data.json and the candidate's files, zipped into a temporary file, then stored."""
    # The claim makes the task idempotent: a second run (or a retried message) finds the export no longer queued.
    claimed = DataExport.objects.filter(pk=export_id, state=DataExport.State.QUEUED).update(
        state=DataExport.State.BUILDING, started_at=clock.now(), progress=0)
    if not claimed:
        return
    export = DataExport.objects.select_related("candidate__cycle").get(pk=export_id)
    try:
        name, size = _archive_write(export)
    except Exception as error:
        logger.exception("Could not build data export %s", export_id)
        DataExport.objects.filter(pk=export_id).update(state=DataExport.State.FAILED, error=str(error)[:2000],
                                                       finished_at=clock.now())
        return
    finished = DataExport.objects.filter(pk=export_id, state=DataExport.State.BUILDING).update(
        state=DataExport.State.READY, file=name, size_bytes=size, progress=100, finished_at=clock.now())
    if not finished:
        # The export was replaced or erased while it was being built: its archive must not outlive it.
        default_storage.delete(name)


def stored_file_stream(name: str):
    """Open a file of the default storage to read in chunks: the local file itself, or S3's streaming body.

    django-storages' own S3 file object reads the whole object into memory first (AWS_S3_MAX_MEMORY_SIZE is 0, so
    its buffer never spills to disk), which a video of a few GiB must never do.
    """
    try:
        return open(default_storage.path(name), "rb")  # noqa: SIM115 - the caller closes it.
    except NotImplementedError:
        return default_storage.bucket.Object(default_storage._normalize_name(name)).get()["Body"]


def _archive_write(export: DataExport) -> tuple[str, int]:
    candidate = export.candidate
    sections, files = personal_data_collect(candidate)
    missing = []
    with tempfile.TemporaryFile() as handle:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            for index, stored in enumerate(files, start=1):
                if not default_storage.exists(stored.name):
                    missing.append(stored.archive_path)
                    continue
                # Videos and images are compressed already; storing them saves the worker's time.
                info = zipfile.ZipInfo(f"files/{stored.archive_path}", date_time=clock.now().timetuple()[:6])
                info.compress_type = zipfile.ZIP_STORED
                with closing(stored_file_stream(stored.name)) as source, \
                        archive.open(info, "w", force_zip64=True) as target:
                    shutil.copyfileobj(source, target, COPY_CHUNK)
                DataExport.objects.filter(pk=export.pk).update(progress=min(95, 95 * index // len(files)))
            document = {
                "format": ARCHIVE_FORMAT, "generated_at": clock.now(), "exam_number": candidate.exam_number,
                "cycle": candidate.cycle.name, "files_not_found": missing, "data": sections,
            }
            archive.writestr("data.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        size = handle.tell()
        handle.seek(0)
        name = default_storage.save(f"privacy/exports/{uuid.uuid4().hex}.zip", File(handle))
    return name, size


def data_exports_sweep() -> dict[str, int]:
    """Delete archives kept past PRIVACY_EXPORT_KEEP_DAYS, and fail those whose task was lost, so they can be redone.

    An archive is a full copy of someone's personal data; it stays only as long as its owner needs to fetch it.
    """
    now = clock.now()
    with transaction.atomic():
        expired = DataExport.objects.filter(
            state=DataExport.State.READY, finished_at__lt=now - timedelta(days=settings.PRIVACY_EXPORT_KEEP_DAYS))
        names = [name for name in expired.values_list("file", flat=True) if name]
        deleted, _by_model = expired.delete()
        stored_files_delete_on_commit(names)
    lost = DataExport.objects.filter(state__in=[DataExport.State.QUEUED, DataExport.State.BUILDING],
                                     requested_at__lt=now - STALE_AFTER).update(
        state=DataExport.State.FAILED, error="The task building the archive was lost.", finished_at=now)
    return {"expired": deleted, "lost": lost}


# ---- Erasure ---------------------------------------------------------------------------------------------------

def candidate_erase(*, candidate: Candidate) -> Erasure:
    """Erase the candidate's personal data at their request, once their cycle is closed (privacy/rules.py).

    Every app's eraser runs in one transaction, the apps that build on others first; the stored files are deleted
    once it commits, so a failure keeps both the rows and the files. What is kept, and why:

    - the published placement (Assignment, Publication, the run and its snapshot) with the exam number and name
      copied into it: the law requires the published result to stay as published, the database's triggers
      refuse any change to it, and `manage.py placement_verify` checks its hashes;
    - the Candidate row those rows point at, with exam number, score and rank, but with the email and residence
      cleared and the name masked (王○明);
    - the answer to a published place (state and decision, without its free text), the suitability scores and
      the focus groups' scores and outcomes, which are the record of how the published result was reached;
    - this erasure's own record, and the audit history, to which it adds one entry without personal data.
    """
    if not erasure_allowed(candidate.cycle):
        raise PrivacyError(_("Your data can be erased only after the cycle has closed."))
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().select_related("cycle").get(pk=candidate.pk)
        if Erasure.objects.filter(candidate=candidate).exists():
            raise PrivacyError(_("Your personal data was erased already."))
        names, sections = [], []
        for contributor in reversed(registry.personal_data_contributors()):
            names.extend(contributor.erase(candidate))
            sections.append(contributor.key)
        candidate.refresh_from_db()
        erasure = Erasure.objects.create(candidate=candidate, cycle=candidate.cycle, exam_number=candidate.exam_number,
                                         masked_name=candidate.name, erased_at=clock.now(), files_deleted=len(names))
        # Recorded as the system's: the candidate's account goes with the erasure, and an entry naming it as the
        # actor would keep its email address.
        with as_system():
            audit_event(erasure, "personal_data.erased", requested_by="candidate", candidate=candidate.pk,
                        cycle=candidate.cycle_id, sections=sections, files_deleted=len(names))
        stored_files_delete_on_commit(names)
    return erasure


def stored_files_delete_on_commit(names: list[str]) -> None:
    """Delete files from the default storage once the current transaction commits, so a rollback keeps them."""
    def delete():
        for name in names:
            try:
                default_storage.delete(name)
            except Exception:  # A file left behind is logged for the operators; the rows are already gone.
                logger.exception("Could not delete stored file %s", name)

    if names:
        transaction.on_commit(delete)
