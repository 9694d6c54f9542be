"""A checked upload stays the file that is served, and no upload is read past its announced or allowed size."""
import io

import pytest
import requests
from django.core import mail
from django.template.defaultfilters import filesizeformat
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils import translation

from media_pipeline.models import EvidenceFile, Video
from tests.media_pipeline.factories import PNG

pytestmark = pytest.mark.django_db

OCTETS = "application/octet-stream"


def start(client, *, size, name="clip.mp4"):
    response = client.post(reverse("media_pipeline:my_video_upload_start"),
                           {"title": "實作影片", "file_name": name, "size": size, "content_type": "video/mp4"})
    assert response.status_code == 200, response.content
    return response.json()


def stored_files(media_root):
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def played(client, video) -> bytes:
    response = client.get(reverse("media_pipeline:video_file", kwargs={"pk": video.pk}))
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


class Body:
    """A request body read in small pieces, counting what the server read; `during` runs after the first piece.

    Running `during` there stands for a second request that overlaps this slow one.
    """

    def __init__(self, data: bytes, *, during=None, piece: int = 4096):
        self.data, self.during, self.piece, self.read_bytes = data, during, piece, 0

    def read(self, size: int = -1) -> bytes:
        if self.read_bytes and self.during is not None:
            during, self.during = self.during, None
            during()
        size = len(self.data) if size is None or size < 0 else size
        chunk = self.data[self.read_bytes:self.read_bytes + min(size, self.piece)]
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, size: int = -1) -> bytes:  # The WSGI input interface; the server never calls it here.
        return self.read(size)


def put_body(client, url, body: Body, length: int):
    return client.generic("PUT", url, **{"wsgi.input": body, "CONTENT_LENGTH": str(length), "CONTENT_TYPE": OCTETS})


# ---- Local storage: one claim per upload, and exactly the announced bytes ------------------------------------

def test_a_second_put_while_the_first_is_arriving_is_refused(candidate_client, on_commit, clips, media_root):
    """Of two overlapping uploads to one video, the later gets 409; the video plays the bytes that were checked."""
    good, other = (clips / "good.mp4").read_bytes(), (clips / "text.mp4").read_bytes()
    ticket = start(candidate_client, size=len(good))
    url = ticket["upload"]["url"]
    answers = {}

    def second():
        answers["second"] = candidate_client.put(url, other, content_type=OCTETS)

    with on_commit(execute=True):
        answers["first"] = put_body(candidate_client, url, Body(good, during=second), len(good))
    assert answers["second"].status_code == 409
    candidate_client.cookies["django_language"] = "en"
    refused = candidate_client.put(url, other, content_type=OCTETS)
    assert refused.status_code == 409 and refused.json()["error"] == "This video already has its file."
    assert answers["first"].status_code == 200, answers["first"].content
    video = Video.objects.get(pk=ticket["video"])
    assert video.state == Video.State.READY, video.problems
    assert played(candidate_client, video) == good
    # Only the checked original and its thumbnail are stored: the refused bytes were never written.
    assert stored_files(media_root) == sorted([media_root / video.file.name, media_root / video.thumbnail.name])


def test_a_put_after_the_video_is_ready_changes_nothing(candidate_client, on_commit, clips):
    """A late upload to a ready video is refused with 409, and the video keeps playing its checked file."""
    good = (clips / "good.mp4").read_bytes()
    ticket = start(candidate_client, size=len(good))
    with on_commit(execute=True):
        assert candidate_client.put(ticket["upload"]["url"], good, content_type=OCTETS).status_code == 200
    video = Video.objects.get(pk=ticket["video"])
    assert video.state == Video.State.READY
    late = candidate_client.put(ticket["upload"]["url"], good[:100] + b"\0" * (len(good) - 100),
                                content_type=OCTETS)
    assert late.status_code == 409
    video.refresh_from_db()
    assert video.state == Video.State.READY and played(candidate_client, video) == good


def test_a_body_larger_than_announced_is_refused_before_it_is_read(candidate_client, clips, media_root):
    """An upload announced as 10 bytes that sends a 50 kB clip is refused, nothing is kept, and it may be sent again."""
    good = (clips / "good.mp4").read_bytes()
    ticket = start(candidate_client, size=10)
    candidate_client.cookies["django_language"] = "en"
    body = Body(good)
    response = put_body(candidate_client, ticket["upload"]["url"], body, len(good))
    assert response.status_code == 400
    assert "does not have the size announced when the upload started (10\xa0bytes)" in response.json()["error"]
    assert body.read_bytes == 0
    assert Video.objects.get().state == Video.State.AWAITING_UPLOAD
    assert stored_files(media_root) == []


def test_a_body_cut_short_is_refused_and_nothing_is_kept(candidate_client, clips, media_root):
    """A body that ends before the announced size (a dropped connection) keeps nothing; the video waits again."""
    good = (clips / "good.mp4").read_bytes()
    ticket = start(candidate_client, size=len(good))
    response = put_body(candidate_client, ticket["upload"]["url"], Body(good[: len(good) // 2]), len(good))
    assert response.status_code == 400
    assert Video.objects.get().state == Video.State.AWAITING_UPLOAD
    assert stored_files(media_root) == []


# ---- S3: the object checked is the object served --------------------------------------------------------------

def post_to_bucket(ticket, data: bytes):
    upload = ticket["upload"]
    response = requests.post(upload["url"], data=upload["fields"], files={"file": ("clip.mp4", data, "video/mp4")},
                             timeout=30)
    assert response.status_code in {200, 204}, response.content
    return response


def test_reposting_the_presigned_post_after_the_video_is_ready_is_never_served(
    candidate_client, candidate, on_commit, clips, s3_storage, settings
):
    """The presigned POST outlives the upload; an object put with it later is refused, not served as the video."""
    good = (clips / "good.mp4").read_bytes()
    ticket = start(candidate_client, size=len(good))
    post_to_bucket(ticket, good)
    with on_commit(execute=True):
        candidate_client.post(ticket["finish_url"], "{}", content_type="application/json")
    video = Video.objects.get(pk=ticket["video"])
    assert video.state == Video.State.READY, video.problems
    url = reverse("media_pipeline:video_file", kwargs={"pk": video.pk})
    assert requests.get(candidate_client.get(url)["Location"], timeout=30).content == good

    post_to_bucket(ticket, b"<html>unchecked</html>".ljust(len(good), b" "))
    candidate_client.cookies["django_language"] = "en"
    with on_commit(execute=True):
        response = candidate_client.get(url)
    assert response.status_code == 409
    assert "replaced after it was checked" in response.content.decode()
    video.refresh_from_db()
    assert video.state == Video.State.REJECTED and [p["code"] for p in video.problems] == ["replaced"]
    # The owner is told, and the replaced object and the thumbnail are deleted.
    assert [message.to for message in mail.outbox] == [[candidate.user.email]]
    assert s3_storage.list_objects_v2(Bucket=settings.AWS_STORAGE_BUCKET_NAME).get("KeyCount") == 0
    assert candidate_client.get(url).status_code == 404


def test_an_object_replaced_before_processing_is_rejected(candidate_client, on_commit, clips, s3_storage):
    """Processing checks the object that arrived: one replaced after the finish call, same size or not, is refused."""
    good = (clips / "good.mp4").read_bytes()
    changed = good[:-200] + bytes(200)  # Same size, other bytes: only the ETag tells.
    ticket = start(candidate_client, size=len(good))
    post_to_bucket(ticket, good)
    with on_commit(execute=False) as queued:
        candidate_client.post(ticket["finish_url"], "{}", content_type="application/json")
    post_to_bucket(ticket, changed)
    with on_commit(execute=True):
        for callback in queued:
            callback()
    video = Video.objects.get(pk=ticket["video"])
    assert video.state == Video.State.REJECTED and [p["code"] for p in video.problems] == ["replaced"]


def test_an_object_of_another_size_than_announced_is_rejected(candidate_client, on_commit, clips, s3_storage,
                                                             settings):
    """The policy pins the announced size; an object of another size that still reaches the bucket is refused."""
    good = (clips / "good.mp4").read_bytes()
    ticket = start(candidate_client, size=len(good) + 100)
    post_to_bucket(ticket, good)  # moto_server does not check policies; real S3 refuses this at the bucket.
    with on_commit(execute=True):
        candidate_client.post(ticket["finish_url"], "{}", content_type="application/json")
    video = Video.objects.get(pk=ticket["video"])
    assert video.state == Video.State.REJECTED and [p["code"] for p in video.problems] == ["size_mismatch"]
    assert s3_storage.list_objects_v2(Bucket=settings.AWS_STORAGE_BUCKET_NAME).get("KeyCount") == 0


# ---- Multipart uploads: reading stops at the cap --------------------------------------------------------------

def post_multipart(client, url, fields: dict, **extra):
    data = encode_multipart(BOUNDARY, fields)
    body = Body(data, piece=64 * 1024)
    response = client.generic("POST", url, data=data, content_type=MULTIPART_CONTENT, **{"wsgi.input": body},
                              **extra)
    return response, body, len(data)


@pytest.fixture
def upload_temp(settings, tmp_path):
    """Send every uploaded file to a temporary folder of the test's own, as large files are."""
    folder = tmp_path / "upload-temp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    return folder


def test_an_evidence_file_over_the_cap_stops_being_read_and_says_why(candidate_client, settings, upload_temp):
    """A file past the cap is refused while arriving: the rest is not read, nothing is kept, the page says why."""
    settings.MEDIA_UPLOAD_FILE_MAX_BYTES = settings.MEDIA_EVIDENCE_MAX_BYTES = 100 * 1024
    candidate_client.cookies["django_language"] = "en"
    big = io.BytesIO(PNG + b"\0" * (3 * 1024 * 1024))
    big.name = "scan.png"
    response, body, total = post_multipart(candidate_client, reverse("media_pipeline:my_evidence"),
                                           {"title": "測站照片", "file": big})
    assert response.status_code == 413
    page = response.content.decode()
    assert "A file is larger than 100.0\xa0KB, the largest accepted, so nothing was kept." in page
    assert 'value="測站照片"' in page  # The title typed before the file survives.
    assert body.read_bytes < 300 * 1024 < total
    assert not EvidenceFile.objects.exists() and list(upload_temp.iterdir()) == []


def test_a_request_announced_over_the_cap_is_refused_before_its_files(candidate_client, candidate, settings,
                                                                     upload_temp):
    """On another app's form, a body longer than the request cap is refused up front, with the reason shown."""
    settings.MEDIA_UPLOAD_REQUEST_MAX_BYTES = 200 * 1024
    candidate_client.cookies["django_language"] = "en"
    back = reverse("portfolios:mine")
    files = []
    for number in range(3):  # Each file is under the file cap; together they pass the request cap.
        item = io.BytesIO(PNG + b"\0" * (100 * 1024))
        item.name = f"{number}.png"
        files.append(item)
    response, body, total = post_multipart(candidate_client, reverse("portfolios:evidence_add"),
                                           {"title": "測站照片", "file": files}, HTTP_REFERER=f"http://testserver{back}")
    assert response.status_code == 302 and response["Location"] == f"http://testserver{back}"
    assert body.read_bytes < 100 * 1024 < total
    assert not EvidenceFile.objects.exists() and list(upload_temp.iterdir()) == []
    page = candidate_client.get(back).content.decode()
    with translation.override("en"):
        size = filesizeformat(total)
    assert f"The files sent together are {size}; at most 200.0\xa0KB can be sent at once" in page


def test_without_a_page_to_go_back_to_the_refusal_has_its_own_page(candidate_client, settings, upload_temp):
    """A refused upload with no same-site page to return to answers 413 with the reason, never a 500."""
    settings.MEDIA_UPLOAD_FILE_MAX_BYTES = 1024
    candidate_client.cookies["django_language"] = "en"
    item = io.BytesIO(PNG + b"\0" * (200 * 1024))
    item.name = "scan.png"
    response, _body, _total = post_multipart(candidate_client, reverse("portfolios:evidence_add"),
                                             {"title": "測站照片", "file": item},
                                             HTTP_REFERER="https://elsewhere.example/form")
    assert response.status_code == 413
    assert "A file is larger than 1.0\xa0KB, the largest accepted, so nothing was kept." in response.content.decode()
    assert not EvidenceFile.objects.exists()
