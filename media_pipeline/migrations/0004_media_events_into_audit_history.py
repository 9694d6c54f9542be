"""Copy the media pipeline's own audit rows (MediaEvent) into the platform's one history (core.audit).

Each row becomes a named entry in auditlog's LogEntry, as the services now write them: the same time, actor,
subject and details, under the event name the services use today for what the row recorded. A row whose video or
evidence file was deleted lost its link to it (the foreign key was SET_NULL); a removal's own row kept the id in its
details, so it gets it back. Rows with no subject left keep an empty object id. The next migration drops the table,
apart from this one so the rows are written before any table changes; going back recreates it empty, and the entries
stay in the history.
"""
from django.conf import settings
from django.db import migrations

UPDATE = 1  # auditlog's LogEntry.Action.UPDATE, which every named event uses.
BATCH = 1000


def _event_name(row, kind: str | None) -> str:
    detail = row.detail or {}
    if row.action == "added":
        # A video's row said which kind was added; an evidence file's row said nothing.
        if row.evidence_id or "kind" not in detail:
            return "evidence_file.added"
        return "video.link_added" if detail["kind"] == "youtube" else "video.upload_started"
    if row.action == "removed":
        return "evidence_file.removed" if "evidence_id" in detail else "video.removed"
    simple = {"uploaded": "video.file_uploaded", "files_deleted": "video.files_deleted",
              "became_unavailable": "video.link_became_unavailable"}
    if row.action in simple:
        return simple[row.action]
    if detail.get("reason") == "recheck":
        return "video.link_recheck_requested"
    publication = {"queued": "video.publication_requested", "published": "video.published_to_youtube",
                   "failed": "video.publication_failed"}
    if detail.get("publication") in publication:
        return publication[detail["publication"]]
    state = detail.get("state")
    if state == "verified":
        return "video.link_verified"
    if state == "ready" or (state == "rejected" and kind == "upload"):
        return "video.processing_finished"
    if state == "rejected" and kind == "youtube":
        return "video.link_rejected"
    return "video.state_changed"  # The video is gone and its row does not say what changed it.


def _changes(event: str, detail: dict) -> dict:
    state = detail.get("state")
    if event == "video.file_uploaded" and state:
        return {"state": ["awaiting_upload", state]}
    if event == "video.link_recheck_requested":
        return {"state": ["rejected", "pending"]}
    if event == "video.processing_finished" and state:
        return {"state": ["processing", state]}
    if event in {"video.published_to_youtube", "video.publication_failed"}:
        return {"publication": ["publishing", detail["publication"]]}
    if event == "video.publication_requested":
        return {"publication": [None, "queued"]}
    if event in {"video.link_verified", "video.link_rejected"} and state:
        return {"state": [None, state]}  # The row did not keep the state before the check.
    return {}


def media_events_copy(apps, schema_editor):
    MediaEvent = apps.get_model("media_pipeline", "MediaEvent")
    if not MediaEvent.objects.exists():
        return
    LogEntry = apps.get_model("auditlog", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Video = apps.get_model("media_pipeline", "Video")
    EvidenceFile = apps.get_model("media_pipeline", "EvidenceFile")
    video_type, _ = ContentType.objects.get_or_create(app_label="media_pipeline", model="video")
    evidence_type, _ = ContentType.objects.get_or_create(app_label="media_pipeline", model="evidencefile")
    videos = {pk: (title, kind) for pk, title, kind in Video.objects.values_list("pk", "title", "kind")}
    evidence_titles = dict(EvidenceFile.objects.values_list("pk", "title"))
    emails = dict(User.objects.filter(pk__in=MediaEvent.objects.values("actor_id")).values_list("pk", "email"))
    entries = []
    for row in MediaEvent.objects.order_by("pk").iterator(chunk_size=BATCH):
        detail = dict(row.detail or {})
        video_id = row.video_id or detail.get("video_id")
        title, kind = videos.get(video_id, (None, None))
        event = _event_name(row, kind)
        if event.startswith("evidence_file."):
            content_type, subject_id = evidence_type, row.evidence_id or detail.get("evidence_id")
            title = evidence_titles.get(subject_id)
        else:
            content_type, subject_id = video_type, video_id
        entries.append(LogEntry(
            content_type=content_type, object_pk=str(subject_id) if subject_id else "", object_id=subject_id,
            object_repr=title or detail.get("title") or (f"#{subject_id}" if subject_id else "–"),
            action=UPDATE, changes=_changes(event, detail),
            additional_data={"event": event, **detail, "media_event": row.pk},
            actor_id=row.actor_id, actor_email=emails.get(row.actor_id), timestamp=row.created_at,
        ))
        if len(entries) >= BATCH:
            LogEntry.objects.bulk_create(entries)
            entries = []
    LogEntry.objects.bulk_create(entries)


class Migration(migrations.Migration):

    dependencies = [
        ('auditlog', '0017_add_actor_email'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('media_pipeline', '0003_alter_mediaevent_action'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(media_events_copy, migrations.RunPython.noop),
    ]
