"""Times in a video as people type them: seconds ("95") or minutes and seconds ("1:35", "1:02:05").

Pure Python: no Django imports, so the rules are tested without a database.
"""
import re

TIMECODE = re.compile(r"^(?:(?:(?P<hours>\d+):)?(?P<minutes>\d+):)?(?P<seconds>\d+)$")


class TimecodeError(ValueError):
    """Text that is not a time in a video."""


def parse_timecode(text: str) -> int:
    """Return the number of seconds a time such as "95", "1:35" or "1:02:05" stands for."""
    match = TIMECODE.match((text or "").strip())
    if match is None:
        raise TimecodeError(text)
    hours = int(match.group("hours") or 0)
    minutes = int(match.group("minutes") or 0)
    seconds = int(match.group("seconds"))
    # After a colon, minutes and seconds count up to 59; a bare number of seconds may be as large as it likes.
    if match.group("minutes") is not None and seconds > 59:
        raise TimecodeError(text)
    if match.group("hours") is not None and minutes > 59:
        raise TimecodeError(text)
    return hours * 3600 + minutes * 60 + seconds


def format_timecode(seconds: int) -> str:
    """Return seconds as "m:ss", or "h:mm:ss" from an hour on."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


def within_duration(seconds: int, duration_seconds: float | None) -> bool:
    """Say whether a time falls inside a video; a video whose duration is unknown takes any time."""
    return duration_seconds is None or seconds <= duration_seconds
