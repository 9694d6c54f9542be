"""Reduce a YouTube link to its video id. Pure Python: no Django imports, no network.

Only the shapes listed here are accepted; anything else is refused rather than fetched, so a pasted link can
never make the server request an arbitrary URL.
"""
import re
from urllib.parse import parse_qs, urlsplit

VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")

# Hosts that serve the full site (paths like /watch, /shorts/<id>); youtu.be is handled on its own.
SITE_HOSTS = frozenset({
    "youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
    "youtube-nocookie.com", "www.youtube-nocookie.com",
})
SHORT_HOSTS = frozenset({"youtu.be", "www.youtu.be"})
# Path prefixes followed by the id as the next segment.
ID_PATH_PREFIXES = ("shorts", "embed", "live", "v", "e")


class YouTubeURLError(ValueError):
    """A link that is not a YouTube video link."""


def parse_video_id(text: str) -> str:
    """Return the 11-character video id of a YouTube link, or raise YouTubeURLError."""
    text = (text or "").strip()
    if not text:
        raise YouTubeURLError("empty")
    if "://" not in text:
        # People paste links without the scheme ("youtu.be/abc…"); the scheme does not change the video.
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise YouTubeURLError("unparsable") from error
    if parts.scheme.lower() not in {"http", "https"}:
        raise YouTubeURLError("scheme")
    if parts.username or parts.password or port not in (None, 80, 443):
        raise YouTubeURLError("host")
    host = (parts.hostname or "").lower().rstrip(".")
    segments = [segment for segment in parts.path.split("/") if segment]
    candidate = None
    if host in SHORT_HOSTS:
        candidate = segments[0] if len(segments) == 1 else None
    elif host in SITE_HOSTS:
        if segments == ["watch"]:
            candidate = (parse_qs(parts.query).get("v") or [None])[0]
        elif len(segments) == 2 and segments[0] in ID_PATH_PREFIXES:
            candidate = segments[1]
    else:
        raise YouTubeURLError("host")
    if not candidate or not VIDEO_ID.match(candidate):
        raise YouTubeURLError("path")
    return candidate


def watch_url(video_id: str) -> str:
    """Return the canonical watch link for a video id."""
    return f"https://www.youtube.com/watch?v={video_id}"


# The privacy-enhanced player, which sets no cookies until the viewer presses play.
EMBED_BASE = "https://www.youtube-nocookie.com/embed/"


def embed_url(video_id: str, base: str = EMBED_BASE) -> str:
    """Return the embed address of a video; `base` is another player's address (tests serve one on loopback)."""
    return f"{base}{video_id}"
