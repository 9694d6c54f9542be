"""Validation rules for media. Pure Python: plain dataclasses in, a list of problems out; no Django imports.

The rules judge content (what ffprobe, the YouTube API or the file's first bytes say), never file names.
"""
import re
from dataclasses import dataclass, field

# ffprobe reports a demuxer's aliases joined by commas, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm".
ALLOWED_CONTAINERS = frozenset({"mov", "mp4", "matroska", "webm", "avi", "mpegts"})
ALLOWED_VIDEO_CODECS = frozenset({"h264", "hevc", "vp8", "vp9", "av1", "mpeg4"})
ALLOWED_AUDIO_CODECS = frozenset({"aac", "mp3", "opus", "vorbis", "ac3", "eac3", "flac", "pcm_s16le", "alac"})
# What every current browser plays without help; anything else is transcoded to it.
BROWSER_CONTAINERS = frozenset({"mp4", "mov"})
BROWSER_VIDEO_CODECS = frozenset({"h264"})
BROWSER_AUDIO_CODECS = frozenset({"aac", "mp3"})
BROWSER_PIXEL_FORMATS = frozenset({"yuv420p", "yuvj420p"})


@dataclass(frozen=True)
class Problem:
    """One reason a file or link is refused: a stable code plus the numbers its message needs."""

    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Stream:
    kind: str  # "video", "audio", "subtitle", "data"
    codec: str
    width: int = 0
    height: int = 0
    pixel_format: str = ""
    attached_picture: bool = False  # Cover art inside an audio file is a "video" stream that is not a video.


@dataclass(frozen=True)
class Probe:
    containers: frozenset[str]
    duration: float | None
    streams: tuple[Stream, ...]

    @property
    def video_streams(self) -> list[Stream]:
        return [s for s in self.streams if s.kind == "video" and not s.attached_picture]

    @property
    def audio_streams(self) -> list[Stream]:
        return [s for s in self.streams if s.kind == "audio"]


@dataclass(frozen=True)
class VideoLimits:
    max_bytes: int
    max_duration: float
    min_duration: float = 1.0
    max_long_side: int = 3840
    max_short_side: int = 2160
    min_short_side: int = 240


def _number(value, default=None):
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def parse_probe(data: dict) -> Probe:
    """Return a Probe from ffprobe's JSON (-show_format -show_streams)."""
    fmt = data.get("format") or {}
    streams = []
    for raw in data.get("streams") or []:
        disposition = raw.get("disposition") or {}
        streams.append(Stream(
            kind=raw.get("codec_type") or "",
            codec=raw.get("codec_name") or "",
            width=int(raw.get("width") or 0),
            height=int(raw.get("height") or 0),
            pixel_format=raw.get("pix_fmt") or "",
            attached_picture=bool(disposition.get("attached_pic")),
        ))
    duration = _number(fmt.get("duration"))
    if duration is None:
        # Some containers (Matroska from screen recorders) carry the duration only on the streams.
        durations = [_number(raw.get("duration")) for raw in data.get("streams") or []]
        duration = max((d for d in durations if d is not None), default=None)
    containers = frozenset(name for name in (fmt.get("format_name") or "").split(",") if name)
    return Probe(containers=containers, duration=duration, streams=tuple(streams))


def size_problems(size: int, limits: VideoLimits, *, declared: int | None = None) -> list[Problem]:
    """Return the problems with a stored file's size; a file must have the size announced when its upload started."""
    if size <= 0:
        return [Problem("empty")]
    if size > limits.max_bytes:
        return [Problem("too_large", {"size": size, "limit": limits.max_bytes})]
    if declared is not None and size != declared:
        return [Problem("size_mismatch", {"size": size, "declared": declared})]
    return []


def video_problems(probe: Probe, limits: VideoLimits) -> list[Problem]:
    """Return every reason the probed file cannot be accepted as a video; empty when it can."""
    problems = []
    if not probe.containers & ALLOWED_CONTAINERS:
        problems.append(Problem("container", {"container": ",".join(sorted(probe.containers))}))
    videos = probe.video_streams
    if not videos:
        problems.append(Problem("no_video_stream"))
    elif len(videos) > 1:
        problems.append(Problem("several_video_streams", {"count": len(videos)}))
    for stream in videos[:1]:
        if stream.codec not in ALLOWED_VIDEO_CODECS:
            problems.append(Problem("video_codec", {"codec": stream.codec}))
        long_side, short_side = max(stream.width, stream.height), min(stream.width, stream.height)
        if long_side > limits.max_long_side or short_side > limits.max_short_side:
            problems.append(Problem("resolution_too_high", {"width": stream.width, "height": stream.height}))
        elif short_side < limits.min_short_side:
            problems.append(Problem("resolution_too_low", {"width": stream.width, "height": stream.height}))
    for stream in probe.audio_streams:
        if stream.codec not in ALLOWED_AUDIO_CODECS:
            problems.append(Problem("audio_codec", {"codec": stream.codec}))
            break
    if probe.duration is None:
        problems.append(Problem("no_duration"))
    elif probe.duration > limits.max_duration:
        problems.append(Problem("too_long", {"duration": round(probe.duration), "limit": round(limits.max_duration)}))
    elif probe.duration < limits.min_duration:
        problems.append(Problem("too_short", {"duration": round(probe.duration, 1)}))
    return problems


# How much of the end of a file is decoded to prove that its media data is all there (see tail_problems), and how
# much less than that still counts as whole (the last frame or audio packet may end a little early).
TAIL_CHECK_SECONDS = 2.0
TAIL_TOLERANCE_SECONDS = 0.25
# Containers whose header states the duration, so a file cut short still claims its full length. MPEG-TS has no
# such header: ffprobe measures a cut file as shorter, and seeking near its end finds no keyframe to decode from.
TAIL_CHECK_CONTAINERS = frozenset({"mov", "mp4", "matroska", "webm", "avi"})


def tail_check_seconds(probe: Probe) -> float | None:
    """Return how many seconds at the end of a probed video are decoded to prove it is complete, or None."""
    if probe.duration is None or not probe.containers & TAIL_CHECK_CONTAINERS:
        return None
    return min(TAIL_CHECK_SECONDS, probe.duration / 2)


def tail_problems(*, expected_seconds: float, decoded_seconds: float | None) -> list[Problem]:
    """Return "incomplete" when decoding the last seconds of a file gave less than asked for.

    A file cut short (an interrupted copy or upload) can keep its header: ffprobe then reports the full
    duration from the index at the front, and a thumbnail from the first second works, though the media data
    after the cut is missing. Decoding the end is what tells.
    """
    if decoded_seconds is None or decoded_seconds < expected_seconds - TAIL_TOLERANCE_SECONDS:
        return [Problem("incomplete")]
    return []


def needs_transcode(probe: Probe) -> bool:
    """Say whether browsers need an H.264/AAC MP4 copy to play this file."""
    video = probe.video_streams[0]
    return not (
        probe.containers & BROWSER_CONTAINERS
        and video.codec in BROWSER_VIDEO_CODECS
        and video.pixel_format in BROWSER_PIXEL_FORMATS
        and all(stream.codec in BROWSER_AUDIO_CODECS for stream in probe.audio_streams)
    )


# ---- YouTube ---------------------------------------------------------------------------------------------------

ISO_DURATION = re.compile(
    r"^P(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def parse_iso_duration(text: str) -> float | None:
    """Return the seconds of an ISO 8601 duration as YouTube writes it ("PT1M30S"), or None."""
    match = ISO_DURATION.match(text or "")
    if not match or text in {"P", "PT"}:
        return None
    parts = {key: float(value) for key, value in match.groupdict().items() if value}
    return (parts.get("days", 0) * 86400 + parts.get("hours", 0) * 3600 + parts.get("minutes", 0) * 60
            + parts.get("seconds", 0))


@dataclass(frozen=True)
class YouTubeFacts:
    title: str
    channel: str
    duration: float | None
    thumbnail_url: str


def youtube_facts(item: dict) -> YouTubeFacts:
    """Return what is kept about a video from its videos.list item."""
    snippet = item.get("snippet") or {}
    thumbnails = snippet.get("thumbnails") or {}
    best = next((thumbnails[size] for size in ("high", "medium", "default") if size in thumbnails), {})
    return YouTubeFacts(
        title=snippet.get("title") or "",
        channel=snippet.get("channelTitle") or "",
        duration=parse_iso_duration((item.get("contentDetails") or {}).get("duration") or ""),
        thumbnail_url=best.get("url") or "",
    )


def youtube_problems(item: dict | None, *, max_duration: float) -> list[Problem]:
    """Return why a videos.list item cannot be used (None: the API did not return the video)."""
    if item is None:
        return [Problem("youtube_missing")]
    status = item.get("status") or {}
    upload_status = status.get("uploadStatus") or ""
    # YouTube's own verdicts on the upload are final; whether it is private or embeddable no longer matters.
    if upload_status == "rejected":
        return [Problem("youtube_rejected", {"reason": status.get("rejectionReason") or ""})]
    if upload_status == "failed":
        return [Problem("youtube_failed", {"reason": status.get("failureReason") or ""})]
    if upload_status == "deleted":
        return [Problem("youtube_missing")]
    problems = []
    if upload_status != "processed":
        problems.append(Problem("youtube_not_processed", {"status": upload_status}))
    if status.get("privacyStatus") not in {"public", "unlisted"}:
        problems.append(Problem("youtube_private"))
    if not status.get("embeddable", False):
        problems.append(Problem("youtube_not_embeddable"))
    duration = youtube_facts(item).duration
    if duration is not None and duration > max_duration:
        problems.append(Problem("too_long", {"duration": round(duration), "limit": round(max_duration)}))
    return problems


# Problems the owner can fix on YouTube (or that fix themselves), and how long to wait before looking again.
YOUTUBE_RECHECK_SECONDS = {
    "youtube_not_processed": 30 * 60,
    "youtube_private": 6 * 3600,
    "youtube_not_embeddable": 6 * 3600,
}


def youtube_recheck_after(codes: list[str]) -> float | None:
    """Return the seconds until a rejected link is checked again, or None when it is rejected for good."""
    if not codes or any(code not in YOUTUBE_RECHECK_SECONDS for code in codes):
        return None
    return min(YOUTUBE_RECHECK_SECONDS[code] for code in codes)


# ---- Evidence files --------------------------------------------------------------------------------------------

EVIDENCE_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


def sniff_evidence(head: bytes) -> tuple[str, str] | None:
    """Return (content type, extension) from a file's first bytes, or None when it is not PDF, JPEG or PNG."""
    for signature, content_type, extension in EVIDENCE_SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None
