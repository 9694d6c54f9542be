"""Publishing an upload to the candidate's own channel: stored OAuth tokens, refresh, and a resumable upload.

A loopback HTTPS server (self-signed, trusted through YOUTUBE_API_CA_CERTS) stands in for Google's token
endpoint and YouTube's resumable upload endpoint; the real google-api-python-client talks to it.
"""
import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.urls import reverse

from core import clock
from media_pipeline.models import Video
from media_pipeline.services.shared import MediaError
from media_pipeline.services.youtube_links import video_youtube_publish_request
from tests.media_pipeline.conftest import serve_over_tls
from tests.media_pipeline.history import entry, events

pytestmark = pytest.mark.django_db
CHUNK = 256 * 1024


class FakeGoogle:
    def __init__(self):
        self.refreshes = 0
        self.received = bytearray()
        self.metadata = None
        self.chunks = 0
        self.revoked = False


@pytest.fixture
def google(settings, tmp_path):
    fake = FakeGoogle()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, status, body=None, headers=()):
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self):
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def do_POST(self):  # noqa: N802
            parts = urlsplit(self.path)
            if parts.path == "/token":
                form = parse_qs(self._body().decode())
                if fake.revoked or form.get("refresh_token") != ["refresh-1"]:
                    return self._reply(400, {"error": "invalid_grant", "error_description": "Token revoked."})
                fake.refreshes += 1
                return self._reply(200, {"access_token": "fresh-token", "expires_in": 3599, "token_type": "Bearer"})
            if parts.path == "/upload/youtube/v3/videos" and parse_qs(parts.query).get("uploadType") == ["resumable"]:
                if self.headers.get("Authorization") != "Bearer fresh-token":
                    return self._reply(401, {"error": {"code": 401, "message": "Invalid Credentials",
                                                       "errors": [{"reason": "authError"}]}})
                fake.metadata = json.loads(self._body())
                location = f"https://127.0.0.1:{self.server.server_address[1]}/upload/session/s1"
                return self._reply(200, {}, headers=[("Location", location)])
            return self._reply(404, {"error": {"code": 404, "message": "not found"}})

        def do_PUT(self):  # noqa: N802
            data = self._body()
            fake.chunks += 1
            fake.received.extend(data)
            total = int(self.headers["Content-Range"].rsplit("/", 1)[1])
            if len(fake.received) < total:
                return self._reply(308, None, headers=[("Range", f"bytes=0-{len(fake.received) - 1}")])
            return self._reply(200, {"id": "NEWVIDEO123", "kind": "youtube#video",
                                     "status": {"privacyStatus": "unlisted"}})

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    cert = serve_over_tls(server, tmp_path)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"https://127.0.0.1:{server.server_address[1]}"
    settings.GOOGLE_CLIENT_ID, settings.GOOGLE_CLIENT_SECRET = "client-id", "client-secret"
    settings.YOUTUBE_API_ENDPOINT = base + "/"
    settings.YOUTUBE_API_CA_CERTS = str(cert)
    settings.YOUTUBE_MAX_ATTEMPTS = 1
    settings.SOCIALACCOUNT_PROVIDERS = {"google": {**settings.SOCIALACCOUNT_PROVIDERS.get("google", {}),
                                                   "ACCESS_TOKEN_URL": base + "/token"}}
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def ready_video(candidate, candidate_client, on_commit, clips):
    data = (clips / "noise.mp4").read_bytes()
    ticket = candidate_client.post(reverse("media_pipeline:my_video_upload_start"),
                                   {"title": "經緯儀操作", "file_name": "noise.mp4", "size": len(data),
                                    "content_type": "video/mp4"}).json()
    with on_commit(execute=True):
        candidate_client.put(ticket["upload"]["url"], data, content_type="application/octet-stream")
    video = Video.objects.get(pk=ticket["video"])
    assert video.state == Video.State.READY
    return video


@pytest.fixture
def google_token(candidate):
    account = SocialAccount.objects.create(user=candidate.user, provider="google", uid="1234567890")
    # Expired an hour ago: publishing must refresh it first.
    return SocialToken.objects.create(account=account, token="stale-token", token_secret="refresh-1",
                                      expires_at=clock.now() - dt.timedelta(hours=1))


def test_a_ready_upload_is_published_unlisted_with_a_refreshed_token(
    google, ready_video, google_token, candidate, candidate_client, on_commit, clips, settings
):
    """The expired token is refreshed and stored; the file goes up in resumable chunks as an unlisted video."""
    settings.YOUTUBE_UPLOAD_CHUNK_BYTES = CHUNK  # Several chunks from a small clip.
    with on_commit(execute=True):
        response = candidate_client.post(reverse("media_pipeline:video_publish", kwargs={"pk": ready_video.pk}))
    assert response.status_code == 302
    ready_video.refresh_from_db()
    assert ready_video.publication == Video.Publication.PUBLISHED
    assert ready_video.published_youtube_id == "NEWVIDEO123"
    assert bytes(google.received) == (clips / "noise.mp4").read_bytes()
    assert google.metadata["status"]["privacyStatus"] == "unlisted"
    assert google.refreshes == 1 and google.chunks >= 2
    google_token.refresh_from_db()
    assert google_token.token == "fresh-token" and google_token.expires_at > clock.now()
    page = candidate_client.get(ready_video.get_absolute_url()).content.decode()
    assert "https://www.youtube.com/watch?v=NEWVIDEO123" in page
    assert events(ready_video)[-2:] == [
        ("video.publication_requested", candidate.user, {"publication": ["", "queued"]}),
        ("video.published_to_youtube", None,
         {"publication": ["publishing", "published"], "published_youtube_id": ["", "NEWVIDEO123"]}),
    ]


def test_a_revoked_token_fails_the_publication_and_the_page_says_so(
    google, ready_video, google_token, candidate, candidate_client, on_commit
):
    """When Google refuses the refresh token the publication fails and can be tried again."""
    google.revoked = True
    with on_commit(execute=True):
        candidate_client.post(reverse("media_pipeline:video_publish", kwargs={"pk": ready_video.pk}))
    ready_video.refresh_from_db()
    assert ready_video.publication == Video.Publication.FAILED
    failed = entry(ready_video, "video.publication_failed")
    assert (failed.actor, failed.changes) == (None, {"publication": ["publishing", "failed"]})
    assert failed.additional_data["reason"]
    with on_commit(execute=True):
        video_youtube_publish_request(video=ready_video, acting_user=None)
    assert Video.objects.get(pk=ready_video.pk).publication == Video.Publication.FAILED  # Ran again, failed again.
    assert [(name, changes) for name, _actor, changes in events(ready_video)[-3:]] == [
        ("video.publication_failed", {"publication": ["publishing", "failed"]}),
        ("video.publication_requested", {"publication": ["failed", "queued"]}),
        ("video.publication_failed", {"publication": ["publishing", "failed"]}),
    ]


def test_without_a_google_account_publishing_is_refused(google, ready_video, candidate_client):
    """A candidate who has not connected Google is told to connect first; nothing is queued."""
    candidate_client.post(reverse("media_pipeline:video_publish", kwargs={"pk": ready_video.pk}))
    assert Video.objects.get(pk=ready_video.pk).publication == Video.Publication.NONE


def test_publishing_is_offered_only_when_google_sign_in_is_set_up(ready_video, candidate_client, settings):
    """Without Google credentials the watch page offers no publishing, and the service refuses."""
    settings.GOOGLE_CLIENT_ID = ""
    page = candidate_client.get(ready_video.get_absolute_url()).content.decode()
    assert reverse("media_pipeline:video_publish", kwargs={"pk": ready_video.pk}) not in page
    with pytest.raises(MediaError):
        video_youtube_publish_request(video=ready_video, acting_user=None)
