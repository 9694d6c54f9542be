"""The S3-compatible object store, through boto3; the only module that talks to S3 directly.

django-storages stores and names the files (FileField); this module adds what it lacks: presigned POSTs and
multipart uploads for browsers, streamed downloads to a worker's disk, and presigned reads with a file name.
"""
import functools
from dataclasses import dataclass

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from django.conf import settings


def is_configured() -> bool:
    return bool(getattr(settings, "AWS_STORAGE_BUCKET_NAME", ""))


def _bucket() -> str:
    return settings.AWS_STORAGE_BUCKET_NAME


def client():
    """Return an S3 client for the configured endpoint, built once per process (clients are thread-safe)."""
    return _client(
        getattr(settings, "AWS_S3_ENDPOINT_URL", None),
        getattr(settings, "AWS_S3_REGION_NAME", None) or "us-east-1",
        getattr(settings, "AWS_ACCESS_KEY_ID", None),
        getattr(settings, "AWS_SECRET_ACCESS_KEY", None),
    )


@functools.lru_cache(maxsize=4)
def _client(endpoint_url, region_name, access_key, secret_key):
    # Building a client loads botocore's service model (several MB), so it is not done per request.
    return boto3.client(
        "s3", endpoint_url=endpoint_url, region_name=region_name, aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=Config(signature_version="s3v4", retries={"max_attempts": 3, "mode": "standard"}),
    )


def presigned_post(*, key: str, content_type: str, size: int, expires: int) -> dict:
    """Return the URL and form fields a browser posts one file with; S3 refuses any other size and content type."""
    return client().generate_presigned_post(
        Bucket=_bucket(), Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", size, size]],
        ExpiresIn=expires,
    )


@dataclass(frozen=True)
class StoredObject:
    etag: str
    size: int


def head(*, key: str) -> StoredObject | None:
    """Return an object's ETag and size, or None when the bucket has no such object."""
    try:
        answer = client().head_object(Bucket=_bucket(), Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise
    return StoredObject(etag=answer["ETag"].strip('"'), size=answer["ContentLength"])


def multipart_start(*, key: str, content_type: str) -> str:
    """Start a multipart upload and return its id."""
    return client().create_multipart_upload(Bucket=_bucket(), Key=key, ContentType=content_type)["UploadId"]


def multipart_part_urls(*, key: str, upload_id: str, parts: int, expires: int) -> list[str]:
    """Return one presigned PUT URL per part number, 1 to `parts`."""
    s3 = client()
    return [
        s3.generate_presigned_url(
            "upload_part", Params={"Bucket": _bucket(), "Key": key, "UploadId": upload_id, "PartNumber": number},
            ExpiresIn=expires,
        )
        for number in range(1, parts + 1)
    ]


def multipart_complete(*, key: str, upload_id: str, etags: list[str]) -> None:
    """Join the uploaded parts (ETags in part order) into the object."""
    client().complete_multipart_upload(
        Bucket=_bucket(), Key=key, UploadId=upload_id,
        MultipartUpload={"Parts": [{"ETag": etag, "PartNumber": n} for n, etag in enumerate(etags, start=1)]},
    )


def download(*, key: str, path: str) -> None:
    """Stream an object to a local file in chunks, never holding it in memory."""
    client().download_file(_bucket(), key, path)


def presigned_get(*, key: str, expires: int, content_type: str | None = None, attachment: bool = False) -> str:
    """Return a short-lived URL to read one object."""
    params = {"Bucket": _bucket(), "Key": key}
    if content_type:
        params["ResponseContentType"] = content_type
    if attachment:
        params["ResponseContentDisposition"] = "attachment"
    return client().generate_presigned_url("get_object", Params=params, ExpiresIn=expires)
