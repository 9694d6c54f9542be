"""Evidence files: PDF, JPEG and PNG recognised by content, stored privately, seen by the candidate and evaluators."""
import os
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from core import clock
from core.audit import history_list
from media_pipeline.models import EvidenceFile
from media_pipeline.services.evidence import evidence_attach
from media_pipeline.services.shared import MediaError
from tests.factories import CandidateFactory, make_user
from tests.media_pipeline.factories import PDF, PNG, youtube_link
from tests.media_pipeline.history import entry, events

pytestmark = pytest.mark.django_db


def _post(client, name, content, title="測站照片"):
    return client.post(reverse("media_pipeline:my_evidence"),
                       {"title": title, "file": SimpleUploadedFile(name, content, content_type="application/pdf")})


def test_a_candidate_adds_a_png_named_anything(candidate_client, candidate):
    """A PNG is stored as image/png under a server-chosen name, whatever it was called."""
    assert _post(candidate_client, "photo.pdf", PNG).status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.content_type == "image/png" and evidence.file.name.endswith(".png")
    assert "photo" not in evidence.file.name
    assert events(evidence) == [("evidence_file.added", candidate.user, {})]
    assert entry(evidence, "evidence_file.added").additional_data == {
        "event": "evidence_file.added", "candidate": candidate.pk, "video": None, "file_name": "photo.pdf",
        "content_type": "image/png", "size_bytes": len(PNG)}
    response = candidate_client.get(reverse("media_pipeline:evidence_file", kwargs={"pk": evidence.pk}))
    assert b"".join(response.streaming_content) == PNG and response["Content-Type"] == "image/png"


def test_a_pdf_downloads_as_an_attachment(candidate_client):
    """PDFs are served as downloads, never inline in the site's origin."""
    _post(candidate_client, "report.pdf", PDF)
    evidence = EvidenceFile.objects.get()
    response = candidate_client.get(reverse("media_pipeline:evidence_file", kwargs={"pk": evidence.pk}))
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(("name", "content"), [
    ("photo.jpg", b"<html><script>alert(1)</script></html>"),
    ("report.pdf", b"GIF89a\x01\x00\x01\x00"),
    ("empty.png", b""),
])
def test_files_that_are_not_pdf_jpeg_or_png_are_refused(candidate_client, name, content):
    """HTML named .jpg, a GIF named .pdf and an empty file are refused, whatever their names say."""
    assert _post(candidate_client, name, content).status_code == 400
    assert not EvidenceFile.objects.exists()


def test_a_file_over_the_limit_is_refused(candidate_client, settings):
    """Evidence larger than MEDIA_EVIDENCE_MAX_BYTES is refused."""
    settings.MEDIA_EVIDENCE_MAX_BYTES = 50
    response = _post(candidate_client, "big.png", PNG + b"\0" * 100)
    assert response.status_code == 400
    # The advice fits a document or a photo, not a video.
    error = re.search(r'class="errorlist"[^>]*>([^<]*)<', response.content.decode()).group(1)
    assert "上限為 50" in error and "掃描" in error and "影片" not in error


def test_evaluators_see_evidence_and_other_candidates_get_404(client, candidate_client, cycle):
    """Examination staff open a candidate's evidence; another candidate gets 404 and cannot remove it."""
    _post(candidate_client, "a.png", PNG)
    evidence = EvidenceFile.objects.get()
    url = reverse("media_pipeline:evidence_file", kwargs={"pk": evidence.pk})
    client.force_login(make_user(Role.EXAM_STAFF))
    assert client.get(url).status_code == 200
    client.force_login(CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE)).user)
    assert client.get(url).status_code == 404
    assert client.post(reverse("media_pipeline:evidence_remove", kwargs={"pk": evidence.pk})).status_code == 404


def test_a_candidate_removes_their_evidence(candidate_client, candidate, on_commit):
    """Remove deletes the row and, after commit, the stored file; its history, the removal last, outlives it."""
    _post(candidate_client, "a.png", PNG)
    evidence = EvidenceFile.objects.get()
    path, name = evidence.file.path, evidence.file.name
    with on_commit(execute=True):
        candidate_client.post(reverse("media_pipeline:evidence_remove", kwargs={"pk": evidence.pk}))
    assert not EvidenceFile.objects.exists() and not os.path.exists(path)
    removed = EvidenceFile(pk=evidence.pk)
    assert events(removed) == [("evidence_file.added", candidate.user, {}),
                               ("evidence_file.removed", candidate.user, {})]
    assert entry(removed, "evidence_file.removed").additional_data == {
        "event": "evidence_file.removed", "title": "測站照片", "candidate": candidate.pk, "video": None,
        "file_name": "a.png", "file": name}


def test_evidence_on_s3_is_read_through_a_presigned_url(candidate_client, s3_storage):
    """With S3 the file goes to the private bucket and is read through a short-lived signed URL."""
    _post(candidate_client, "a.png", PNG)
    evidence = EvidenceFile.objects.get()
    response = candidate_client.get(reverse("media_pipeline:evidence_file", kwargs={"pk": evidence.pk}))
    assert response.status_code == 302 and "X-Amz-Signature" in response["Location"]


def test_the_evidence_list_keeps_a_constant_number_of_queries(candidate_client, page_queries):
    """The evidence page costs the same with one file or six."""
    url = reverse("media_pipeline:my_evidence")
    _post(candidate_client, "a.png", PNG, title="第1張")
    few = page_queries(candidate_client, url).count
    for number in range(2, 7):
        _post(candidate_client, f"{number}.png", PNG, title=f"第{number}張")
    assert EvidenceFile.objects.count() == 6
    assert (few, page_queries(candidate_client, url).count) == (7, 7)


def test_a_candidate_moves_a_file_onto_a_video_and_back(candidate_client, candidate):
    """A file added on its own can be attached to one of the candidate's videos and back; each move is recorded."""
    video = youtube_link(candidate=candidate, title="導線測量")
    _post(candidate_client, "a.png", PNG)
    evidence = EvidenceFile.objects.get()
    url = reverse("media_pipeline:evidence_attach", kwargs={"pk": evidence.pk})
    page = candidate_client.get(reverse("media_pipeline:my_evidence")).content.decode()
    assert f'action="{url}"' in page and "導線測量" in page
    assert candidate_client.post(url, {"video": video.pk}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.video == video
    assert candidate_client.post(url, {"video": ""}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.video is None
    assert [e.changes["video"] for e in history_list(event_prefix="evidence_file.attached")
            .order_by("timestamp", "pk")] == [[None, video.pk], [video.pk, None]]


def test_a_file_cannot_be_moved_onto_another_candidates_video(candidate_client, candidate, cycle):
    """Another candidate's video is not a choice, and another candidate cannot move the file at all."""
    other = CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE))
    foreign_video = youtube_link(candidate=other)
    _post(candidate_client, "a.png", PNG)
    evidence = EvidenceFile.objects.get()
    url = reverse("media_pipeline:evidence_attach", kwargs={"pk": evidence.pk})
    assert candidate_client.post(url, {"video": foreign_video.pk}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.video is None and not history_list(event_prefix="evidence_file.attached").exists()
    candidate_client.force_login(other.user)
    assert candidate_client.post(url, {"video": foreign_video.pk}).status_code == 404


def test_a_file_stays_where_it_is_after_the_submissions_deadline(candidate_client, candidate):
    """Once the focus groups are evaluating, moving a file is refused with the reason."""
    video = youtube_link(candidate=candidate)
    _post(candidate_client, "a.png", PNG)
    evidence = EvidenceFile.objects.get()
    candidate.cycle.submissions_until = clock.now() - timedelta(hours=1)
    candidate.cycle.save(update_fields=["submissions_until"])
    with translation.override("en"), pytest.raises(MediaError, match="it can no longer be changed"):
        evidence_attach(evidence=evidence, video=video, acting_user=candidate.user)
    evidence.refresh_from_db()
    assert evidence.video is None
