"""The YouTube Data API v3, through google-api-python-client; the only module that talks to YouTube.

`YOUTUBE_API_ENDPOINT` points the real client at another server (tests run a loopback one). The bundled
discovery document is used, so building the client never touches the network.
"""
import logging
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import google_auth_httplib2
import httplib2
from django.conf import settings
from google.auth.exceptions import RefreshError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaFileUpload

logger = logging.getLogger(__name__)

BATCH_SIZE = 50  # videos.list accepts at most 50 ids a call.
PACIFIC = ZoneInfo("America/Los_Angeles")
# 403 reasons that mean "slow down" (retry) versus "no more calls today" (defer until the quota resets).
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded"})


class YouTubeUnavailable(Exception):
    """The API kept failing after every retry; the check should run again later."""


class QuotaExceeded(Exception):
    """The project's daily quota is spent; checks wait until it resets."""


def is_configured() -> bool:
    return bool(settings.YOUTUBE_API_KEY)


def quota_reset_after(moment: datetime) -> datetime:
    """Return the next midnight Pacific time after a moment, when Google resets the daily quota."""
    local = moment.astimezone(PACIFIC)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=PACIFIC)
    return midnight


def _http(timeout: float):
    """Return the HTTP object for every call to the API, trusting YOUTUBE_API_CA_CERTS when it is set."""
    # A CA bundle of our own is for an endpoint with a private certificate (tests: a self-signed loopback server).
    http = httplib2.Http(ca_certs=settings.YOUTUBE_API_CA_CERTS or None, timeout=timeout)
    # A resumable upload answers 308 "Resume Incomplete" between chunks; httplib2 would take it for a redirect
    # (googleapiclient's own build_http makes the same exception).
    http.redirect_codes = http.redirect_codes - {308}
    return http


def _client():
    options = {"api_endpoint": settings.YOUTUBE_API_ENDPOINT} if settings.YOUTUBE_API_ENDPOINT else None
    # With an explicit HTTP object the key still rides on every request as developerKey.
    return build("youtube", "v3", developerKey=settings.YOUTUBE_API_KEY, http=_http(timeout=60),
                 static_discovery=True, cache_discovery=False, client_options=options)


def _error_reason(error: HttpError) -> str:
    details = getattr(error, "error_details", None) or []
    for detail in details if isinstance(details, list) else []:
        if isinstance(detail, dict) and detail.get("reason"):
            return detail["reason"]
    return ""


def _retryable(error: HttpError) -> bool:
    status = error.resp.status
    return status >= 500 or status == 429 or (status == 403 and _error_reason(error) in RATE_LIMIT_REASONS)


def videos_list(video_ids: list[str]) -> dict[str, dict]:
    """Return the videos.list items for up to 50 ids, keyed by id; ids YouTube does not know are absent.

    Retries 5xx, 429 and rate-limit 403 answers with exponential backoff and jitter; raises QuotaExceeded on a
    daily-quota 403 and YouTubeUnavailable when the retries run out.
    """
    if len(video_ids) > BATCH_SIZE:
        raise ValueError(f"videos.list takes at most {BATCH_SIZE} ids, got {len(video_ids)}.")
    request = _client().videos().list(
        part="status,contentDetails,snippet", id=",".join(video_ids), maxResults=BATCH_SIZE
    )
    attempts = settings.YOUTUBE_MAX_ATTEMPTS
    for attempt in range(attempts):
        try:
            response = request.execute(num_retries=0)
            return {item["id"]: item for item in response.get("items", [])}
        except HttpError as error:
            if error.resp.status == 403 and _error_reason(error) in QUOTA_REASONS:
                raise QuotaExceeded(_error_reason(error)) from error
            if not _retryable(error) or attempt == attempts - 1:
                raise YouTubeUnavailable(f"HTTP {error.resp.status} {_error_reason(error)}") from error
            logger.info("YouTube answered %s; retrying (attempt %d).", error.resp.status, attempt + 1)
        except OSError as error:  # Connection failures and timeouts.
            if attempt == attempts - 1:
                raise YouTubeUnavailable(str(error)) from error
        # Full jitter keeps many workers from retrying in lockstep.
        # Jitter is not a secret, so the standard generator is right here (bandit B311).
        time.sleep(random.uniform(0, settings.YOUTUBE_RETRY_BASE_SECONDS * 2 ** attempt))  # nosec B311
    raise YouTubeUnavailable("no attempts")


# ---- Uploading to a person's own channel (OAuth) ---------------------------------------------------------------

UPLOAD_SCOPE = "https://www.googleapis.com/auth/youtube.upload"


class UploadNotAllowed(Exception):
    """Google refused the person's tokens (revoked, or the upload permission was not granted)."""


@dataclass(frozen=True)
class OAuthTokens:
    access_token: str
    refresh_token: str
    expires_at: datetime | None


def _authorized_http(credentials):
    return google_auth_httplib2.AuthorizedHttp(credentials, http=_http(timeout=120))


def upload_to_channel(*, tokens: OAuthTokens, path: str, content_type: str, title: str,
                      description: str) -> tuple[str, OAuthTokens]:
    """Upload a file to the token owner's channel as unlisted with a resumable upload.

    Return the new video id and the tokens as they are now (the access token is refreshed when it has expired).
    """
    google = settings.SOCIALACCOUNT_PROVIDERS.get("google", {})
    credentials = Credentials(
        token=tokens.access_token, refresh_token=tokens.refresh_token or None,
        token_uri=google.get("ACCESS_TOKEN_URL", "https://oauth2.googleapis.com/token"),
        client_id=settings.GOOGLE_CLIENT_ID, client_secret=settings.GOOGLE_CLIENT_SECRET, scopes=[UPLOAD_SCOPE],
        # google-auth compares expiry with a naive UTC clock.
        expiry=tokens.expires_at.astimezone(UTC).replace(tzinfo=None) if tokens.expires_at else None,
    )
    options = {"api_endpoint": settings.YOUTUBE_API_ENDPOINT} if settings.YOUTUBE_API_ENDPOINT else None
    service = build("youtube", "v3", http=_authorized_http(credentials), static_discovery=True,
                    cache_discovery=False, client_options=options)
    body = {
        "snippet": {"title": title[:100], "description": description[:5000], "categoryId": "27"},  # Education
        "status": {"privacyStatus": "unlisted", "embeddable": True, "selfDeclaredMadeForKids": False},
    }
    media = MediaFileUpload(path, mimetype=content_type, chunksize=settings.YOUTUBE_UPLOAD_CHUNK_BYTES, resumable=True)
    request = service.videos().insert(part="snippet,status", body=body, media_body=media)
    response = None
    try:
        while response is None:
            # next_chunk resumes from the last byte Google confirmed, retrying 5xx and network errors.
            _status, response = request.next_chunk(num_retries=settings.YOUTUBE_MAX_ATTEMPTS)
    except RefreshError as error:
        raise UploadNotAllowed(str(error)) from error
    except HttpError as error:
        if error.resp.status in {401, 403}:
            raise UploadNotAllowed(f"HTTP {error.resp.status} {_error_reason(error)}") from error
        raise YouTubeUnavailable(f"HTTP {error.resp.status} {_error_reason(error)}") from error
    expiry = credentials.expiry.replace(tzinfo=UTC) if credentials.expiry else None
    return response["id"], OAuthTokens(credentials.token, credentials.refresh_token or "", expiry)
