"""Fixtures for the media pipeline: real clips made by ffmpeg, a loopback YouTube API, and moto_server for S3."""
import copy
import datetime as dt
import ipaddress
import json
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from accounts.roles import Role
from tests.conftest import require_service
from tests.factories import CandidateFactory, make_user

PAYLOADS = Path(__file__).parent / "payloads"


def payload(name: str) -> dict:
    return json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep each test's stored files in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run `transaction.on_commit` work at the end of a block, as a real commit would."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def candidate(cycle):
    """A candidate of the current cycle with a signed-up account."""
    return CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE))


@pytest.fixture
def candidate_client(client, candidate):
    client.force_login(candidate.user)
    return client


@pytest.fixture
def staff_user(office):
    return make_user(Role.OFFICE_STAFF, office=office)


# ---- Clips -----------------------------------------------------------------------------------------------------

def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True, timeout=60)


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """Real clips and a bad corpus, made once per run with ffmpeg's test sources."""
    if not shutil.which("ffmpeg") or not shutil.which("ffprobe"):
        require_service("ffmpeg and ffprobe (apt-get install ffmpeg)")
    folder = tmp_path_factory.mktemp("clips")
    video = ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=3"]
    audio = ["-f", "lavfi", "-i", "sine=frequency=440:duration=3"]
    ffmpeg(*video, *audio, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
           str(folder / "good.mp4"))
    # MPEG-4 Part 2 in AVI is accepted but no browser plays it, so it is transcoded.
    ffmpeg(*video, *audio, "-c:v", "mpeg4", "-c:a", "mp3", "-shortest", str(folder / "needs_transcode.avi"))
    # Noise does not compress, so one second of it makes a file of several resumable-upload chunks.
    ffmpeg("-f", "lavfi", "-i", "nullsrc=size=320x240:rate=25:duration=1,geq=random(1)*255:128:128", *audio,
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
           str(folder / "noise.mp4"))
    ffmpeg(*audio, "-c:a", "aac", str(folder / "audio_only.m4a"))
    ffmpeg(*video, "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=3", "-map", "0:v", "-map", "1:v",
           "-c:v", "libx264", "-pix_fmt", "yuv420p", str(folder / "two_video_streams.mkv"))
    good = (folder / "good.mp4").read_bytes()
    (folder / "truncated.mp4").write_bytes(good[: len(good) // 2])
    # With the index at the front (faststart, as phones and editors write for the web), a file cut in half still
    # has a header that describes the whole video: ffprobe reports 5 s, and only the media data is missing.
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=5", "-f", "lavfi", "-i",
           "sine=frequency=440:duration=5", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
           "-movflags", "+faststart", str(folder / "faststart.mp4"))
    whole = (folder / "faststart.mp4").read_bytes()
    (folder / "faststart_half.mp4").write_bytes(whole[: len(whole) // 2])
    (folder / "faststart_most.mp4").write_bytes(whole[: len(whole) * 9 // 10])
    # Camcorders write MPEG-TS, which states no duration up front; a whole one must pass the completeness check.
    ffmpeg(*video, *audio, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-f", "mpegts",
           str(folder / "camcorder.ts"))
    (folder / "text.mp4").write_text("This is a text file with a video name.\n" * 50, encoding="utf-8")
    return folder


# ---- A loopback YouTube Data API -------------------------------------------------------------------------------

class FakeYouTube:
    """Answers videos.list like the real API, from recorded payloads; scripted failures come first."""

    def __init__(self):
        self.videos: dict[str, dict] = {}
        self.script: list[tuple[int, dict]] = []
        self.calls: list[list[str]] = []
        self.lock = threading.Lock()

    def add(self, video_id: str, recorded: str = "verified") -> None:
        item = copy.deepcopy(payload(recorded)["items"][0])
        item["id"] = video_id
        self.videos[video_id] = item

    def fail_next(self, status: int, recorded: str, times: int = 1) -> None:
        self.script.extend([(status, payload(recorded))] * times)

    def answer(self, path: str, query: dict) -> tuple[int, dict]:
        with self.lock:
            ids = ",".join(query.get("id", [""])).split(",")
            self.calls.append(ids)
            if self.script:
                return self.script.pop(0)
        if path != "/youtube/v3/videos" or not query.get("key"):
            return 400, {"error": {"code": 400, "message": "bad request", "errors": [{"reason": "badRequest"}]}}
        items = [self.videos[video_id] for video_id in ids if video_id in self.videos]
        return 200, {"kind": "youtube#videoListResponse", "items": items,
                     "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)}}


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """Write a self-signed certificate for 127.0.0.1 and its key; return both paths."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def serve_over_tls(server: ThreadingHTTPServer, folder: Path) -> Path:
    """Make a loopback server answer HTTPS with a fresh self-signed certificate; return the certificate's path."""
    cert, key = self_signed_certificate(folder)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    return cert


def fake_youtube_server(fake: FakeYouTube) -> ThreadingHTTPServer:
    """Return a loopback HTTP server (not yet serving) that answers the YouTube Data API from `fake`."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name BaseHTTPRequestHandler calls.
            parts = urlsplit(self.path)
            status, body = fake.answer(parts.path, parse_qs(parts.query))
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


@pytest.fixture(params=["http", "https"])
def youtube_api(request, settings, tmp_path):
    """Point the real API client at a loopback server and give it a key, over HTTP and over HTTPS.

    The HTTPS server has a self-signed certificate that only YOUTUBE_API_CA_CERTS makes trusted.
    """
    fake = FakeYouTube()
    server = fake_youtube_server(fake)
    if request.param == "https":
        settings.YOUTUBE_API_CA_CERTS = str(serve_over_tls(server, tmp_path))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.YOUTUBE_API_KEY = "test-key"
    settings.YOUTUBE_API_ENDPOINT = f"{request.param}://127.0.0.1:{server.server_address[1]}/"
    settings.YOUTUBE_RETRY_BASE_SECONDS = 0.01
    yield fake
    server.shutdown()
    server.server_close()


# ---- moto_server standing in for S3 ----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def moto_endpoint():
    """Start moto_server on a free loopback port for the whole run."""
    binary = Path(sys.executable).with_name("moto_server")
    if not binary.exists():
        require_service("moto_server (pip install 'moto[server]')")
    port = free_port()
    process = subprocess.Popen([str(binary), "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("moto_server did not start")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def s3_storage(settings, moto_endpoint):
    """Store files in a fresh private bucket on moto_server, as production does on S3."""
    bucket = f"surveyplace-test-{uuid.uuid4().hex[:12]}"
    settings.AWS_STORAGE_BUCKET_NAME = bucket
    settings.AWS_S3_ENDPOINT_URL = moto_endpoint
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_ACCESS_KEY_ID = "testing"
    settings.AWS_SECRET_ACCESS_KEY = "testing"
    settings.AWS_DEFAULT_ACL = None
    settings.AWS_QUERYSTRING_AUTH = True
    settings.AWS_QUERYSTRING_EXPIRE = 300
    settings.AWS_S3_FILE_OVERWRITE = False
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}}
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    client.create_bucket(Bucket=bucket)
    return client
