"""Times in a video as candidates type them; pure Python, no database."""
import pytest

from portfolios.timecodes import TimecodeError, format_timecode, parse_timecode, within_duration


@pytest.mark.parametrize(("text", "seconds"), [
    ("0", 0), ("95", 95), (" 1:35 ", 95), ("01:05", 65), ("12:00", 720), ("1:02:05", 3725), ("200", 200),
])
def test_seconds_and_minutes_seconds_are_read(text, seconds):
    assert parse_timecode(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "-3", "1:75", "1:60:00", "1.5", "1:2:3:4", "1::2", ":30"])
def test_anything_else_is_refused(text):
    with pytest.raises(TimecodeError):
        parse_timecode(text)


@pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (95, "1:35"), (3725, "1:02:05"), (599, "9:59")])
def test_times_are_written_as_minutes_and_seconds(seconds, text):
    assert format_timecode(seconds) == text
    assert parse_timecode(text) == seconds


def test_a_time_must_fall_inside_a_video_of_known_duration():
    assert within_duration(120, 120.4)
    assert not within_duration(121, 120.4)
    assert within_duration(10_000, None)
