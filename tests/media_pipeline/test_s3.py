"""Uploads straight to S3 (moto_server on loopback): presigned POST, multipart, limits, thumbnails, playback."""
import base64
import json

import pytest
import requests
from django.urls import reverse

from media_pipeline.models import Video

pytestmark = pytest.mark.django_db


def start(client, *, size, name="clip.mp4", content_type="video/mp4"):
    response = client.post(reverse("media_pipeline:my_video_upload_start"),
                           {"title": "S3", "file_name": name, "size": size, "content_type": content_type})
    assert response.status_code == 200, response.content
    return response.json()


def post_to_bucket(ticket, data: bytes, content_type="video/mp4"):
    upload = ticket["upload"]
    return requests.post(upload["url"], data=upload["fields"], files={"file": ("clip.mp4", data, content_type)},
                         timeout=30)


def test_the_browser_posts_straight_to_the_bucket_and_the_video_is_processed(
    candidate_client, on_commit, clips, s3_storage, settings
):
    """A presigned POST stores the file under the server's key; processing stores a thumbnail beside it."""
    data = (clips / "good.mp4").read_bytes()
    ticket = start(candidate_client, size=len(data))
    assert ticket["upload"]["mode"] == "s3_post"
    assert post_to_bucket(ticket, data).status_code in {200, 204}
    with on_commit(execute=True):
        finish = candidate_client.post(ticket["finish_url"], "{}", content_type="application/json")
    assert finish.status_code == 200
    video = Video.objects.get(pk=ticket["video"])
    assert video.state == Video.State.READY, video.problems
    bucket = settings.AWS_STORAGE_BUCKET_NAME
    keys = sorted(obj["Key"] for obj in s3_storage.list_objects_v2(Bucket=bucket)["Contents"])
    assert keys == [video.file.name, video.thumbnail.name]
    assert video.file.name.startswith("videos/") and "clip" not in video.file.name  # The server chose the key.

    played = candidate_client.get(reverse("media_pipeline:video_file", kwargs={"pk": video.pk}))
    assert played.status_code == 302 and "X-Amz-Signature" in played["Location"]
    assert requests.get(played["Location"], timeout=30).content == data


def test_the_presigned_post_binds_the_size_range_and_content_type(candidate_client, s3_storage, settings):
    """The signed policy allows exactly the size announced at the start, and only the content type the server chose."""
    settings.MEDIA_MAX_UPLOAD_BYTES = 1000
    policy = json.loads(base64.b64decode(start(candidate_client, size=900)["upload"]["fields"]["policy"]))
    assert ["content-length-range", 900, 900] in policy["conditions"]
    assert {"Content-Type": "video/mp4"} in policy["conditions"]


def test_a_file_over_the_limit_that_reaches_the_bucket_is_rejected_and_deleted(
    candidate_client, on_commit, s3_storage, settings
):
    """Real S3 refuses it at the bucket (moto_server does not check policies); finishing refuses it again."""
    settings.MEDIA_MAX_UPLOAD_BYTES = 1000
    ticket = start(candidate_client, size=900)
    post_to_bucket(ticket, b"\0" * 5000)
    with on_commit(execute=True):
        candidate_client.post(ticket["finish_url"], "{}", content_type="application/json")
    video = Video.objects.get()
    assert video.state == Video.State.REJECTED and video.problems[0]["code"] == "too_large"
    assert s3_storage.list_objects_v2(Bucket=settings.AWS_STORAGE_BUCKET_NAME).get("KeyCount") == 0


def test_finishing_before_the_file_arrived_is_refused(candidate_client, s3_storage):
    """The finish call answers 400 while the bucket has no object, and the video keeps waiting."""
    ticket = start(candidate_client, size=900)
    assert candidate_client.post(ticket["finish_url"], "{}", content_type="application/json").status_code == 400
    assert Video.objects.get().state == Video.State.AWAITING_UPLOAD


def test_large_files_upload_in_presigned_parts(candidate_client, on_commit, clips, s3_storage, settings):
    """Above the threshold the browser gets one URL per part, the finish call joins them, and the clip is ready."""
    settings.MEDIA_MULTIPART_THRESHOLD_BYTES = 1024
    settings.MEDIA_MULTIPART_PART_BYTES = 5 * 1024 * 1024
    # A real clip followed by zero padding: big enough for two parts, and still a whole, readable MP4 (ffprobe
    # ignores what follows the last box), so once its parts are joined in order it must become ready.
    data = (clips / "good.mp4").read_bytes()
    data += b"\0" * (6 * 1024 * 1024 - len(data))
    ticket = start(candidate_client, size=len(data))
    upload = ticket["upload"]
    assert upload["mode"] == "s3_multipart" and len(upload["part_urls"]) == 2
    etags = []
    for number, url in enumerate(upload["part_urls"]):
        part = data[number * upload["part_bytes"]:(number + 1) * upload["part_bytes"]]
        response = requests.put(url, data=part, timeout=30)
        assert response.status_code == 200
        etags.append(response.headers["ETag"])
    with on_commit(execute=True):
        finish = candidate_client.post(ticket["finish_url"], {"parts": etags, "upload_id": upload["url"]},
                                       content_type="application/json")
    assert finish.status_code == 200, finish.content
    video = Video.objects.get(pk=ticket["video"])
    head = s3_storage.head_object(Bucket=settings.AWS_STORAGE_BUCKET_NAME, Key=video.file.name)
    assert head["ContentLength"] == len(data)
    assert video.size_bytes == len(data) and video.state == Video.State.READY, video.problems
