"""Media pipeline benchmarks. Run: .venv/bin/python bench/media.py [--upload-mb 500] [--clip-seconds 60]

1. The web process's memory growth while a 500 MB video is uploaded to S3 (moto_server on loopback): the web
   process presigns the multipart upload and finishes it; a separate "browser" process sends the bytes straight
   to the bucket, as the page's script does. Target: under 20 MB.
2. ffprobe + completeness check (decoding the last 2 s) + thumbnail time for a 60 s 1080p H.264 clip, through
   media_pipeline.integrations.ffprobe.
   Target: under 2 s.
Needs ffmpeg and moto[server]; uses a throwaway SQLite database and bucket.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="surveyplace-bench-media-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ.pop("REDIS_URL", None)
os.environ["MEDIA_ROOT"] = str(WORK / "media")

# The "browser": reads part URLs on stdin, PUTs each part, prints the ETags. Its memory is not the web process's.
BROWSER = r"""
import json, sys, requests
ticket = json.load(sys.stdin)
size, part_bytes, etags = ticket["size"], ticket["part_bytes"], []
for number, url in enumerate(ticket["part_urls"]):
    length = min(part_bytes, size - number * part_bytes)
    response = requests.put(url, data=b"\0" * length, timeout=600)
    response.raise_for_status()
    etags.append(response.headers["ETag"])
print(json.dumps(etags))
"""


def rss_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


class PeakSampler(threading.Thread):
    """Sample this process's resident memory every few milliseconds and keep the highest value."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = rss_bytes()
        self.running = True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_bytes())
            time.sleep(0.005)

    def stop(self) -> int:
        self.running = False
        self.join()
        return max(self.peak, rss_bytes())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_moto() -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _attempt in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("moto_server did not start")


def _one_upload(client, size: int) -> tuple[float, float, int, str]:
    """Presign, let the browser process send the parts, finish; return (MB growth, seconds, parts, state)."""
    before = rss_bytes()
    sampler = PeakSampler()
    sampler.start()
    started = time.perf_counter()
    ticket = client.post("/videos/mine/upload/", {"title": "bench", "file_name": "big.mp4", "size": size,
                                                  "content_type": "video/mp4"}).json()
    upload = ticket["upload"]
    browser = subprocess.run([sys.executable, "-c", BROWSER], check=True, capture_output=True, text=True,
                             input=json.dumps({"size": size, "part_bytes": upload["part_bytes"],
                                               "part_urls": upload["part_urls"]}))
    finish = client.post(ticket["finish_url"], {"parts": json.loads(browser.stdout), "upload_id": upload["url"]},
                         content_type="application/json")
    elapsed = time.perf_counter() - started
    peak = sampler.stop()
    assert finish.status_code == 200, finish.content
    return (peak - before) / 1024 / 1024, elapsed, len(upload["part_urls"]), finish.json()["state"]


def bench_upload(upload_mb: int) -> None:
    import boto3
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    django.setup()
    call_command("migrate", verbosity=0)
    from accounts.roles import Role
    from tests.factories import CandidateFactory, ExamCycleFactory, make_user

    moto, endpoint = start_moto()
    try:
        bucket = "surveyplace-bench"
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="bench",
                     aws_secret_access_key="bench").create_bucket(Bucket=bucket)
        s3_settings = {
            "AWS_STORAGE_BUCKET_NAME": bucket, "AWS_S3_ENDPOINT_URL": endpoint, "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_ACL": None,
            "AWS_QUERYSTRING_AUTH": True, "AWS_QUERYSTRING_EXPIRE": 300, "AWS_S3_FILE_OVERWRITE": False,
            "ALLOWED_HOSTS": ["testserver"], "MEDIA_MULTIPART_THRESHOLD_BYTES": 5 * 1024 * 1024,
            "STORAGES": {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}},
        }
        from config.celery import app

        # Processing belongs to the workers; here the task is only queued (in memory) so the web process is measured.
        app.conf.task_always_eager = False
        app.conf.broker_url = "memory://"
        with override_settings(**s3_settings):
            candidate = CandidateFactory(cycle=ExamCycleFactory(is_current=True), user=make_user(Role.CANDIDATE))
            client = Client()
            client.force_login(candidate.user)
            # A first small upload pays the one-time costs (botocore models for the storage backend, connection
            # pools); the 500 MB upload after it shows what an upload itself costs the web process.
            growth, elapsed, parts, state = _one_upload(client, 6 * 1024 * 1024)
            print(f"first upload in a fresh process (6 MB, one-time setup included): {growth:.1f} MB growth")
            growth, elapsed, parts, state = _one_upload(client, upload_mb * 1024 * 1024)
            print(f"upload: {upload_mb} MB to S3 (moto_server) in {parts} presigned parts, {elapsed:.1f} s; "
                  f"state after finish: {state}")
            verdict = "OK" if growth < 20 else "OVER TARGET"
            print(f"web process memory growth during the {upload_mb} MB upload: {growth:.1f} MB (target < 20 MB) "
                  f"{verdict}")
    finally:
        moto.terminate()
        moto.wait(timeout=10)


def bench_probe(seconds: int) -> None:
    from media_pipeline.integrations import ffprobe
    from media_pipeline.validation import VideoLimits, parse_probe, tail_check_seconds, tail_problems, video_problems

    clip = WORK / "clip-1080p.mp4"
    made = time.perf_counter()
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"testsrc2=size=1920x1080:rate=30:duration={seconds}", "-f", "lavfi", "-i",
                    f"sine=frequency=440:duration={seconds}", "-c:v", "libx264", "-preset", "ultrafast",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(clip)], check=True)
    print(f"made a {seconds} s 1080p clip ({clip.stat().st_size / 1024 / 1024:.0f} MB) in "
          f"{time.perf_counter() - made:.1f} s")
    timings = []
    for _run in range(3):
        started = time.perf_counter()
        probe = parse_probe(ffprobe.probe(str(clip)))
        assert video_problems(probe, VideoLimits(max_bytes=10**10, max_duration=3600)) == []
        # The completeness check decodes the last two seconds, as the pipeline does before the thumbnail.
        expected = tail_check_seconds(probe)
        decoded = ffprobe.decoded_tail_seconds(str(clip), expected)
        assert tail_problems(expected_seconds=expected, decoded_seconds=decoded) == []
        ffprobe.thumbnail(source=str(clip), target=str(WORK / "thumb.jpg"), at_seconds=1.0)
        timings.append(time.perf_counter() - started)
    best, worst = min(timings), max(timings)
    verdict = "OK" if worst < 2 else "OVER TARGET"
    print(f"ffprobe + completeness check + thumbnail for a {seconds} s 1080p clip: {best:.2f} s best, "
          f"{worst:.2f} s worst of 3 (target < 2 s) {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upload-mb", type=int, default=500)
    parser.add_argument("--clip-seconds", type=int, default=60)
    args = parser.parse_args()
    try:
        bench_upload(args.upload_mb)
        bench_probe(args.clip_seconds)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
