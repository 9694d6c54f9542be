"""FFmpeg's ffprobe and ffmpeg programs; the only module that runs them.

Every call passes an argument list (never a shell), allows only the `file` protocol (a crafted playlist cannot
make ffmpeg fetch URLs or read other files), and has a timeout; so bandit's subprocess warnings (B404, B603) are
accepted here, marked nosec.
"""
import json
import os
import subprocess  # nosec B404

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
        result = subprocess.run(  # nosec B603
            args, capture_output=True, timeout=settings.MEDIA_PROBE_TIMEOUT_SECONDS, check=False)
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
        result = subprocess.run(command, capture_output=True, timeout=timeout, check=False)  # nosec B603
    except subprocess.TimeoutExpired as error:
        raise ProbeTimeout(command[0]) from error
    if result.returncode != 0:
        raise FFmpegFailed(result.stderr.decode("utf-8", "replace")[-500:])


def decoded_tail_seconds(path: str, seconds: float) -> float | None:
    """Decode the last `seconds` of a file (first video and audio track) and return how many seconds came out.

    Return None when nothing could be decoded. ffmpeg exits 0 on a file cut short ("partial file" errors only),
    so its own progress report says how far decoding really got.
    """
    command = [
        settings.FFMPEG_PATH, "-nostdin", "-hide_banner", "-v", "error", "-protocol_whitelist", PROTOCOLS,
        "-sseof", f"-{seconds:.3f}", "-i", _input(path), "-map", "0:v:0", "-map", "0:a:0?",
        "-progress", "pipe:1", "-nostats", "-f", "null", "-",
    ]
    try:
        result = subprocess.run(  # nosec B603
            command, capture_output=True, timeout=settings.MEDIA_PROBE_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as error:
        raise ProbeTimeout(command[0]) from error
    if result.returncode != 0:
        return None
    decoded = None
    for line in result.stdout.decode("ascii", "replace").splitlines():
        key, _sep, value = line.partition("=")
        if key == "out_time_us" and value.strip().lstrip("-").isdigit():
            decoded = max(int(value), 0) / 1_000_000
    return decoded or None


def thumbnail(*, source: str, target: str, at_seconds: float, width: int = 640) -> None:
    """Write one JPEG frame from `at_seconds` into the video, scaled to `width` pixels wide."""
    output = ["-frames:v", "1", "-vf", f"scale={width}:-2", "-f", "image2", "-c:v", "mjpeg", "-q:v", "4",
              _input(target)]
    seek = ["-ss", f"{at_seconds:.3f}"]
    # Seeking before -i jumps to the nearest keyframe instead of decoding everything up to that point.
    _run_ffmpeg(["-protocol_whitelist", PROTOCOLS, *seek, "-i", _input(source), *output],
                timeout=settings.MEDIA_PROBE_TIMEOUT_SECONDS)
    if not os.path.exists(target):
        # A stream without an index (MPEG-TS) is sought by byte position and can land past its only keyframe,
        # so nothing is written; seeking after -i decodes from the start and always finds the frame.
        _run_ffmpeg(["-protocol_whitelist", PROTOCOLS, "-i", _input(source), *seek, *output],
                    timeout=settings.MEDIA_PROBE_TIMEOUT_SECONDS)
    if not os.path.exists(target):
        raise FFmpegFailed("ffmpeg wrote no thumbnail frame")


def transcode(*, source: str, target: str) -> None:
    """Write an H.264/AAC MP4 with the index at the front (faststart), which every browser plays while loading."""
    _run_ffmpeg([
        "-protocol_whitelist", PROTOCOLS, "-i", _input(source),
        "-map", "0:v:0", "-map", "0:a:0?",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-f", "mp4", _input(target),
    ], timeout=settings.MEDIA_TRANSCODE_TIMEOUT_SECONDS)
