"""With files on S3 (moto_server), the archive streams them from the bucket and erasure deletes them there."""
import io
import json
import urllib.request
import zipfile

import pytest
from django.urls import reverse

from privacy.models import DataExport
from tests.media_pipeline.conftest import moto_endpoint, s3_storage  # noqa: F401 - fixtures.

pytestmark = pytest.mark.django_db


def _keys(client, settings) -> set[str]:
    listing = client.list_objects_v2(Bucket=settings.AWS_STORAGE_BUCKET_NAME)
    return {item["Key"] for item in listing.get("Contents", [])}


def test_the_archive_is_built_from_the_bucket_and_erasure_empties_it(s3_storage, settings, published, client,  # noqa: F811
                                                                     django_capture_on_commit_callbacks):
    """The download redirects to a short-lived bucket link to the archive holding the stored files; after the
    cycle closes, erasure deletes the candidate's objects and their archive from the bucket, not the other's."""
    first = published.first
    client.force_login(first.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:export_request", kwargs={"pk": first.pk}))
    export = DataExport.objects.get(candidate=first)
    assert export.state == DataExport.State.READY, export.error
    response = client.get(reverse("privacy:export_download", kwargs={"pk": export.pk}))
    assert response.status_code == 302 and response["Location"].startswith(settings.AWS_S3_ENDPOINT_URL)
    with urllib.request.urlopen(response["Location"]) as download:  # noqa: S310 - the loopback moto_server.
        archive = zipfile.ZipFile(io.BytesIO(download.read()))
    assert json.loads(archive.read("data.json"))["exam_number"] == first.exam_number
    assert len([name for name in archive.namelist() if name.startswith("files/")]) == 3
    published.close()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:erase", kwargs={"pk": first.pk}))
    keys = _keys(s3_storage, settings)
    assert not keys & {*published.first_files.values(), export.file.name}
    assert set(published.second_files.values()) <= keys
