"""The pure cores: YouTube link parsing and the validation rules, tested without Django or a database."""
import ast
from pathlib import Path

import pytest

from media_pipeline.validation import (
    Probe,
    Problem,
    Stream,
    VideoLimits,
    needs_transcode,
    parse_iso_duration,
    parse_probe,
    size_problems,
    sniff_evidence,
    tail_check_seconds,
    tail_problems,
    video_problems,
    youtube_problems,
    youtube_recheck_after,
)
from media_pipeline.youtube_urls import YouTubeURLError, embed_url, parse_video_id

ID = "dQw4w9WgXcQ"
LIMITS = VideoLimits(max_bytes=1000, max_duration=600)


@pytest.mark.parametrize("url", [
    f"https://www.youtube.com/watch?v={ID}",
    f"https://youtube.com/watch?v={ID}&t=42s&list=PL123",
    f"http://www.youtube.com/watch?feature=share&v={ID}",
    f"https://m.youtube.com/watch?v={ID}",
    f"https://music.youtube.com/watch?v={ID}&si=abc",
    f"https://youtu.be/{ID}",
    f"https://youtu.be/{ID}?t=10&si=xyz",
    f"youtu.be/{ID}",
    f"www.youtube.com/watch?v={ID}",
    f"https://www.youtube.com/shorts/{ID}",
    f"https://youtube.com/shorts/{ID}?feature=share",
    f"https://www.youtube.com/embed/{ID}?start=5",
    f"https://www.youtube-nocookie.com/embed/{ID}",
    f"https://www.youtube.com/live/{ID}?si=abc",
    f"https://www.youtube.com/v/{ID}",
    f"  https://www.youtube.com/watch?v={ID}#t=30  ",
    f"HTTPS://WWW.YOUTUBE.COM/watch?v={ID}",
])
def test_every_common_youtube_link_form_gives_the_video_id(url):
    """Watch, short, shorts, embed and live links on every YouTube host reduce to the same id."""
    assert parse_video_id(url) == ID


@pytest.mark.parametrize("url", [
    "", "not a link", f"https://vimeo.com/{ID}", f"https://evil.example/watch?v={ID}",
    f"https://youtube.com.evil.example/watch?v={ID}", f"https://www.youtube.com/watch?v={ID[:10]}",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ!", "https://www.youtube.com/channel/UC38IQsAvIsxxjztdMZQtwHA",
    "https://www.youtube.com/playlist?list=PL1234567890", f"ftp://youtube.com/watch?v={ID}",
    f"javascript:alert(1)//youtube.com/watch?v={ID}", f"https://user@www.youtube.com/watch?v={ID}",
    f"https://www.youtube.com:8443/watch?v={ID}", f"https://youtu.be/{ID}/extra",
    f"https://www.youtube.com/shorts/{ID}/x",
])
def test_anything_else_is_refused(url):
    """Other hosts, paths, ids of the wrong shape and odd schemes are refused, never fetched."""
    with pytest.raises(YouTubeURLError):
        parse_video_id(url)


def test_embeds_use_the_privacy_enhanced_host():
    """Embedded players come from youtube-nocookie.com."""
    assert embed_url(ID) == f"https://www.youtube-nocookie.com/embed/{ID}"


def _probe(*streams, containers=("mov", "mp4"), duration=30.0):
    return Probe(containers=frozenset(containers), duration=duration, streams=tuple(streams))


H264 = Stream("video", "h264", 1920, 1080, "yuv420p")
AAC = Stream("audio", "aac")


def test_a_plain_mp4_is_accepted_and_plays_as_it_is():
    """H.264 with AAC in MP4 passes every rule and needs no transcoding."""
    probe = _probe(H264, AAC)
    assert video_problems(probe, LIMITS) == []
    assert not needs_transcode(probe)


def test_other_accepted_codecs_are_transcoded_for_browsers():
    """VP9 in Matroska is accepted, but browsers get an H.264 copy."""
    probe = _probe(Stream("video", "vp9", 1280, 720, "yuv420p"), Stream("audio", "opus"),
                   containers=("matroska", "webm"))
    assert video_problems(probe, LIMITS) == []
    assert needs_transcode(probe)


@pytest.mark.parametrize(("probe", "codes"), [
    (_probe(AAC), ["no_video_stream"]),
    (_probe(H264, H264, AAC), ["several_video_streams"]),
    (_probe(H264, duration=601), ["too_long"]),
    (_probe(H264, duration=0.2), ["too_short"]),
    (_probe(H264, duration=None), ["no_duration"]),
    (_probe(H264, containers=("image2",)), ["container"]),
    (_probe(Stream("video", "gif", 640, 480)), ["video_codec"]),
    (_probe(Stream("video", "h264", 7680, 4320, "yuv420p")), ["resolution_too_high"]),
    (_probe(Stream("video", "h264", 160, 120, "yuv420p")), ["resolution_too_low"]),
    (_probe(H264, Stream("audio", "wmav2")), ["audio_codec"]),
])
def test_each_rule_names_its_problem(probe, codes):
    """Each broken rule produces its own problem code."""
    assert [problem.code for problem in video_problems(probe, LIMITS)] == codes


def test_cover_art_is_not_counted_as_a_video_stream():
    """An audio file with an embedded picture still has no video."""
    cover = Stream("video", "mjpeg", 600, 600, attached_picture=True)
    assert [p.code for p in video_problems(_probe(cover, AAC), LIMITS)] == ["no_video_stream"]


def test_sizes_outside_the_limit_are_refused():
    """Empty files and files over the limit are refused before probing."""
    assert size_problems(0, LIMITS) == [Problem("empty")]
    assert size_problems(1001, LIMITS) == [Problem("too_large", {"size": 1001, "limit": 1000})]
    assert size_problems(1000, LIMITS) == []


def test_a_file_must_have_the_size_announced_when_its_upload_started():
    """A stored file of another size than announced is refused, larger or smaller; the limit is named first."""
    assert size_problems(900, LIMITS, declared=900) == []
    assert size_problems(901, LIMITS, declared=900) == [Problem("size_mismatch", {"size": 901, "declared": 900})]
    assert size_problems(10, LIMITS, declared=900) == [Problem("size_mismatch", {"size": 10, "declared": 900})]
    assert size_problems(1001, LIMITS, declared=900)[0].code == "too_large"


def test_ffprobe_json_becomes_a_probe():
    """Format names, streams, pictures and durations are read from ffprobe's JSON."""
    probe = parse_probe({
        "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "12.5"},
        "streams": [
            {"codec_type": "video", "codec_name": "h264", "width": 1920, "height": 1080, "pix_fmt": "yuv420p"},
            {"codec_type": "audio", "codec_name": "aac"},
            {"codec_type": "video", "codec_name": "mjpeg", "disposition": {"attached_pic": 1}},
        ],
    })
    assert probe.containers >= {"mp4", "mov"} and probe.duration == 12.5
    assert len(probe.video_streams) == 1 and probe.audio_streams[0].codec == "aac"


@pytest.mark.parametrize(("text", "seconds"), [
    ("PT4M13S", 253), ("PT1H", 3600), ("P1DT1S", 86401), ("PT0S", 0), ("", None), ("P", None), ("4:13", None),
])
def test_youtube_durations_are_read(text, seconds):
    """ISO 8601 durations as YouTube writes them turn into seconds."""
    assert parse_iso_duration(text) == seconds


def _item(**status):
    return {"status": {"uploadStatus": "processed", "privacyStatus": "public", "embeddable": True, **status},
            "contentDetails": {"duration": "PT2M"}, "snippet": {}}


def test_youtube_rules():
    """Missing, private, unprocessed, not embeddable and too long videos are refused; unlisted ones pass."""
    assert youtube_problems(_item(privacyStatus="unlisted"), max_duration=600) == []
    assert [p.code for p in youtube_problems(None, max_duration=600)] == ["youtube_missing"]
    assert [p.code for p in youtube_problems(_item(privacyStatus="private"), max_duration=600)] == [
        "youtube_private"]
    assert [p.code for p in youtube_problems(_item(uploadStatus="uploaded"), max_duration=600)] == [
        "youtube_not_processed"]
    assert [p.code for p in youtube_problems(_item(embeddable=False), max_duration=600)] == [
        "youtube_not_embeddable"]
    assert [p.code for p in youtube_problems(_item(), max_duration=60)] == ["too_long"]


@pytest.mark.parametrize(("head", "expected"), [
    (b"%PDF-1.7\n", ("application/pdf", "pdf")),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", ("image/jpeg", "jpg")),
    (b"\x89PNG\r\n\x1a\n\x00\x00", ("image/png", "png")),
    (b"GIF89a", None), (b"<html>", None), (b"PK\x03\x04", None), (b"", None),
])
def test_evidence_is_recognised_by_its_first_bytes(head, expected):
    """PDF, JPEG and PNG are told apart by their signatures; anything else is refused."""
    assert sniff_evidence(head) == expected


@pytest.mark.parametrize("module", ["validation.py", "youtube_urls.py"])
def test_the_pure_modules_do_not_import_django(module):
    """The rules stay plain Python, so they run anywhere and test without a database."""
    source = (Path(__file__).parents[2] / "media_pipeline" / module).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert "django" not in imported and "media_pipeline" not in imported


# ---- Completeness, YouTube verdicts and second looks ----------------------------------------------------------

def test_decoding_less_than_the_end_asked_for_means_the_file_is_incomplete():
    """A quarter second short is still whole; more missing, or nothing decoded at all, is incomplete."""
    assert tail_problems(expected_seconds=2.0, decoded_seconds=2.015) == []
    assert tail_problems(expected_seconds=2.0, decoded_seconds=1.8) == []
    assert [p.code for p in tail_problems(expected_seconds=2.0, decoded_seconds=1.5)] == ["incomplete"]
    assert [p.code for p in tail_problems(expected_seconds=2.0, decoded_seconds=None)] == ["incomplete"]


def test_the_end_is_checked_where_a_header_states_the_duration():
    """MP4, Matroska and AVI are checked over their last two seconds (half of a short clip); MPEG-TS is not."""
    def probe(containers, duration):
        return Probe(containers=frozenset(containers), duration=duration, streams=())

    assert tail_check_seconds(probe({"mov", "mp4", "m4a"}, 300.0)) == 2.0
    assert tail_check_seconds(probe({"matroska", "webm"}, 1.0)) == 0.5
    assert tail_check_seconds(probe({"mpegts"}, 300.0)) is None
    assert tail_check_seconds(probe({"mp4"}, None)) is None


def _status_item(**status):
    return {"id": "x", "status": {"uploadStatus": "processed", "privacyStatus": "public", "embeddable": True, **status}}


def test_youtubes_verdicts_on_an_upload_are_told_apart():
    """Rejected and failed uploads carry YouTube's reason; "uploaded" is still processing; deleted is missing."""
    assert youtube_problems(_status_item(), max_duration=900) == []
    assert youtube_problems(_status_item(uploadStatus="rejected", rejectionReason="copyright", privacyStatus="private"),
                            max_duration=900) == [Problem("youtube_rejected", {"reason": "copyright"})]
    assert youtube_problems(_status_item(uploadStatus="failed", failureReason="codec"),
                            max_duration=900) == [Problem("youtube_failed", {"reason": "codec"})]
    assert youtube_problems(_status_item(uploadStatus="deleted"), max_duration=900) == [Problem("youtube_missing")]
    assert [p.code for p in youtube_problems(_status_item(uploadStatus="uploaded"), max_duration=900)] == [
        "youtube_not_processed"]


def test_only_problems_the_owner_can_fix_are_checked_again():
    """Still processing comes back in 30 minutes, private or not embeddable in 6 hours, the rest never."""
    assert youtube_recheck_after(["youtube_not_processed"]) == 1800
    assert youtube_recheck_after(["youtube_private", "youtube_not_embeddable"]) == 6 * 3600
    assert youtube_recheck_after(["youtube_not_processed", "youtube_private"]) == 1800
    for final in (["youtube_rejected"], ["youtube_failed"], ["youtube_missing"], ["too_long"],
                  ["youtube_private", "too_long"], []):
        assert youtube_recheck_after(final) is None
