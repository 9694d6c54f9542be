"""Uploads that abuse names, keys and signed policies store nothing where they should not (issue #13).

Already covered elsewhere, and not repeated here:
- oversize: tests/media_pipeline/test_upload_integrity.py (local PUT read past the announced size, evidence over the
  cap, a request announced over the cap), test_uploads.py (video over the limit before and while uploading),
  test_s3.py (an object over the limit that reached the bucket), test_evidence.py, tests/practice/test_bank_pages.py
  (task attachment) and tests/placement/test_import_limits.py (rows, unpacked size of a workbook);
- wrong type by content: test_evidence.py (HTML named .jpg, GIF named .pdf), test_uploads.py (bad video corpus),
  tests/practice/test_attachments.py and test_practice_pages.py (an executable named .pdf as an answer file);
- another user's video: tests/media_pipeline/test_pages.py (finishing another candidate's upload answers 404).
"""
import base64
import datetime as dt
import json
import re

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from media_pipeline.models import EvidenceFile, Video
from practice.models import TaskAnswerFile
from tests.factories import CandidateFactory, make_user
from tests.media_pipeline.conftest import candidate, candidate_client, moto_endpoint, on_commit, s3_storage  # noqa: F401
from tests.media_pipeline.factories import PNG
from tests.practice.conftest import make_task

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\0" * 56
PE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 56
HOSTILE_NAMES = ["../../etc/passwd.png", "..\\..\\x.png", "a\0b.png", "line\r\nX-Injected: 1.png",
                 "x" * 300 + ".png", "photo\u202egnp.exe.png", '<img src=x onerror=alert(1)>.png',
                 "/etc/cron.d/x.png"]


def _multipart(fields: dict, filename: str, content: bytes, content_type="image/png",
               file_field="file") -> tuple[bytes, str]:
    """Return a multipart body whose file part carries `filename` byte for byte, as a hostile client sends it."""
    boundary = "----abuse-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
             for key, value in fields.items()]
    quoted = filename.replace('"', "%22")
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{quoted}"\r\n'
                 f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _stored(media_root):
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_an_evidence_file_name_never_becomes_a_path(candidate_client, settings, name):  # noqa: F811
    """Whatever the name, the file is refused or stored under a generated key in MEDIA_ROOT, its name escaped."""
    media_root = settings.MEDIA_ROOT
    body, content_type = _multipart({"title": "測站照片"}, name, PNG)
    response = candidate_client.generic("POST", reverse("media_pipeline:my_evidence"), body, content_type)
    assert response.status_code in {200, 302, 400}, response.status_code
    stored = _stored(media_root)
    for evidence in EvidenceFile.objects.all():
        assert re.fullmatch(r"evidence/[0-9a-f]{32}\.png", evidence.file.name), evidence.file.name
        assert "/" not in evidence.original_name and "\\" not in evidence.original_name.replace("..\\", "")
        assert "\0" not in evidence.original_name and "\n" not in evidence.original_name
        assert len(evidence.original_name) <= 255
    for path in stored:
        assert ".." not in path.relative_to(media_root).parts
        assert path.resolve().is_relative_to(media_root.resolve())
    assert len(stored) == EvidenceFile.objects.count()
    for evidence in EvidenceFile.objects.all():
        # The removal question is the page that shows the original name.
        page = candidate_client.get(reverse("media_pipeline:evidence_remove", kwargs={"pk": evidence.pk}))
        assert page.status_code == 200
        assert "<img src=x" not in page.content.decode()
        if "onerror" in evidence.original_name:
            assert "&lt;img src=x onerror=alert(1)&gt;.png" in page.content.decode()
        download = candidate_client.get(reverse("media_pipeline:evidence_file", kwargs={"pk": evidence.pk}))
        disposition = download["Content-Disposition"]
        assert "\n" not in disposition and "\r" not in disposition and "X-Injected" not in download.headers


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_practice_answer_file_name_never_becomes_a_path(candidate_client, settings, office, name):  # noqa: F811
    """A task answer's file is refused or stored under a generated key; its name is shown escaped and downloads
    with a header that carries no line break."""
    media_root = settings.MEDIA_ROOT
    task = make_task(office)
    before = {path for path in _stored(media_root)}
    body, content_type = _multipart({"text": "答案"}, name, PNG, file_field="files")
    url = reverse("practice:task_detail", kwargs={"pk": task.pk})
    response = candidate_client.generic("POST", url, body, content_type)
    assert response.status_code in {302, 400}, response.status_code
    added = [path for path in _stored(media_root) if path not in before]
    assert len(added) == TaskAnswerFile.objects.count()
    for path in added:
        assert ".." not in path.relative_to(media_root).parts
        assert path.resolve().is_relative_to(media_root.resolve())
    for item in TaskAnswerFile.objects.all():
        assert re.fullmatch(r"practice/[\w-]+/[0-9a-f]{32}\.png", item.file.name), item.file.name
        assert "/" not in item.original_name and "\0" not in item.original_name and "\n" not in item.original_name
        page = candidate_client.get(url).content.decode()
        assert "<img src=x" not in page
        if "onerror" in item.original_name:
            assert "&lt;img src=x onerror=alert(1)&gt;.png" in page
        download = candidate_client.get(reverse("practice:answer_file", kwargs={"pk": item.pk}))
        assert download.status_code == 200
        assert "\n" not in download["Content-Disposition"] and "X-Injected" not in download.headers


@pytest.mark.parametrize(("name", "content"), [("report.pdf", ELF), ("report.pdf", PE), ("photo.png", PE),
                                               ("photo.png", b"<!doctype html><script>alert(1)</script>")])
def test_an_executable_or_a_page_named_like_evidence_is_refused(candidate_client, settings, name, content):  # noqa: F811
    """An ELF or PE program named .pdf or .png, or an HTML page named .png, is refused and nothing is kept."""
    body, content_type = _multipart({"title": "報告"}, name, content, content_type="application/pdf")
    response = candidate_client.generic("POST", reverse("media_pipeline:my_evidence"), body, content_type)
    assert response.status_code == 400
    assert not EvidenceFile.objects.exists() and _stored(settings.MEDIA_ROOT) == []


@pytest.mark.parametrize("name", ["../../etc/passwd.mp4", "..\\..\\x.mp4", "x" * 300 + ".mp4", "\u202e4pm.exe"])
def test_a_video_file_name_never_becomes_its_key(candidate_client, name):  # noqa: F811
    """The server chooses the key of an upload; the announced name is kept only as text."""
    response = candidate_client.post(reverse("media_pipeline:my_video_upload_start"),
                                     {"title": "", "file_name": name, "size": 900, "content_type": "video/mp4"})
    if response.status_code == 400:
        assert not Video.objects.exists()
        return
    assert response.status_code == 200, response.content
    video = Video.objects.get(pk=response.json()["video"])
    assert re.fullmatch(r"videos/[0-9a-f]{32}/original", video.file.name), video.file.name
    assert len(video.original_name) <= 255


def test_a_candidate_cannot_send_a_file_into_another_candidates_upload(candidate_client, candidate, settings):  # noqa: F811
    """Candidate 1's PUT to candidate 2's waiting upload answers 404, stores nothing and leaves it waiting."""
    other = CandidateFactory(cycle=candidate.cycle, user=make_user(Role.CANDIDATE))
    other_client = type(candidate_client)()
    other_client.force_login(other.user)
    ticket = other_client.post(reverse("media_pipeline:my_video_upload_start"),
                               {"title": "考生2", "file_name": "clip.mp4", "size": 900,
                                "content_type": "video/mp4"}).json()
    before = Video.objects.values().get(pk=ticket["video"])
    response = candidate_client.generic("PUT", reverse("media_pipeline:video_upload_local",
                                                       kwargs={"pk": ticket["video"]}),
                                        b"\0" * 900, content_type="application/octet-stream")
    assert response.status_code == 404
    assert Video.objects.values().get(pk=ticket["video"]) == before
    assert _stored(settings.MEDIA_ROOT) == []


def _start_s3(client, size=900):
    response = client.post(reverse("media_pipeline:my_video_upload_start"),
                           {"title": "S3", "file_name": "clip.mp4", "size": size, "content_type": "video/mp4"})
    assert response.status_code == 200, response.content
    return response.json()


def test_the_presigned_policy_binds_the_videos_own_key_and_expires_as_set(candidate_client, s3_storage, settings):  # noqa: F811
    """S3 itself refuses a form posted after the policy's expiry or for another key; the policy says both.

    moto_server checks neither the signature nor the policy, so the bucket's refusal cannot be shown here; the test
    shows the conditions S3 enforces, and (below) that the server never takes another key's object as this video's.
    """
    settings.MEDIA_UPLOAD_URL_EXPIRE_SECONDS = 60
    before = timezone.now()
    ticket = _start_s3(candidate_client)
    video = Video.objects.get(pk=ticket["video"])
    fields = ticket["upload"]["fields"]
    policy = json.loads(base64.b64decode(fields["policy"]))
    expiration = dt.datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert before < expiration <= before + dt.timedelta(seconds=62)
    assert fields["key"] == video.file.name
    assert {"key": video.file.name} in policy["conditions"] or ["eq", "$key", video.file.name] in policy["conditions"]


def test_an_object_posted_under_another_videos_key_finishes_neither_video(candidate_client, candidate,  # noqa: F811
                                                                        on_commit, s3_storage, settings):  # noqa: F811
    """Candidate 1 rewrites the key of their form to candidate 2's upload; neither video is marked as arrived."""
    other = CandidateFactory(cycle=candidate.cycle, user=make_user(Role.CANDIDATE))
    other_client = type(candidate_client)()
    other_client.force_login(other.user)
    theirs = _start_s3(other_client)
    mine = _start_s3(candidate_client)
    fields = {**mine["upload"]["fields"], "key": theirs["upload"]["fields"]["key"]}
    requests.post(mine["upload"]["url"], data=fields, files={"file": ("clip.mp4", b"\0" * 900, "video/mp4")},
                  timeout=30)
    with on_commit(execute=True):
        finish = candidate_client.post(mine["finish_url"], "{}", content_type="application/json")
        other_finish = candidate_client.post(theirs["finish_url"], "{}", content_type="application/json")
    assert finish.status_code == 400
    assert other_finish.status_code == 404
    assert Video.objects.get(pk=mine["video"]).state == Video.State.AWAITING_UPLOAD
    assert Video.objects.get(pk=theirs["video"]).state == Video.State.AWAITING_UPLOAD
