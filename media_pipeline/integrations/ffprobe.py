"""FFmpeg's ffprobe and ffmpeg programs; the only module that runs them.

Every call passes an argument list (never a shell), allows only the `file` protocol (a crafted playlist cannot
make ffmpeg fetch URLs or read other files), and has a timeout.
"""
import json
import subprocess

from django.conf import settings

PROTOCOLS = "file"


class ProbeFailed(Exception):
    """ffprobe could not read the file as media."""


class ProbeTimeout(Exception):
    """ffprobe or ffmpeg ran past its timeout and was killed."""


class FFmpegFailed(Exception):
    """ffmpeg exited with an error."""


def _input(path: str) -> str:
    # The explicit protocol keeps a path from being read as an option or another protocol.
    return f"file:{path}"


def probe(path: str) -> dict:
    """Return ffprobe's JSON description (format and streams) of a local file."""
    args = [
        settings.FFPROBE_PATH, "-v", "error", "-protocol_whitelist", PROTOCOLS,
        "-print_format", "json", "-show_format", "-show_streams", _input(path),
    ]
    try:
        result = subprocess.run(args, capture_output=True, timeout=settings.MEDIA_PROBE_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as error:
        raise ProbeTimeout(path) from error
    if result.returncode != 0:
        raise ProbeFailed(result.stderr.decode("utf-8", "replace")[-500:])
    try:
        return json.loads(result.stdout)
    except ValueError as error:
        raise ProbeFailed("ffprobe printed no JSON") from error


def _run_ffmpeg(args: list[str], timeout: float) -> None:
    command = [settings.FFMPEG_PATH, "-nostdin", "-hide_banner", "-v", "error", "-y", *args]
    try:
        result = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as error:
        raise ProbeTimeout(command[0]) from error
    if result.returncode != 0:
        raise FFmpegFailed(result.stderr.decode("utf-8", "replace")[-500:])


def thumbnail(*, source: str, target: str, at_seconds: float, width: int = 640) -> None:
    """Write one JPEG frame from `at_seconds` into the video, scaled to `width` pixels wide."""
    _run_ffmpeg([
        "-protocol_whitelist", PROTOCOLS,
        # Seeking before -i jumps to the nearest keyframe instead of decoding everything up to that point.
        "-ss", f"{at_seconds:.3f}", "-i", _input(source),
        "-frames:v", "1", "-vf", f"scale={width}:-2", "-f", "image2", "-c:v", "mjpeg", "-q:v", "4",
        _input(target),
    ], timeout=settings.MEDIA_PROBE_TIMEOUT_SECONDS)


def transcode(*, source: str, target: str) -> None:
    """Write an H.264/AAC MP4 with the index at the front (faststart), which every browser plays while loading."""
    _run_ffmpeg([
        "-protocol_whitelist", PROTOCOLS, "-i", _input(source),
        "-map", "0:v:0", "-map", "0:a:0?",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-f", "mp4", _input(target),
    ], timeout=settings.MEDIA_TRANSCODE_TIMEOUT_SECONDS)
