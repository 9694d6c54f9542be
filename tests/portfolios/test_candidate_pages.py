"""The candidate's own portfolio: describing videos step by step, files, the summary, the preview, the deadline."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import clock
from media_pipeline.models import EvidenceFile
from portfolios.models import Portfolio, ProcedureStep, VideoDescription
from tests.media_pipeline.factories import PNG
from tests.media_pipeline.history import entry, events
from tests.portfolios.factories import described, video

pytestmark = pytest.mark.django_db


def _description_post(*steps, **fields):
    """Return the description form's data: the fields, then one row per (text, time, order) step."""
    data = {"terrain": "mountain", "instrument_make": "Leica", "instrument_model": "TS16", "weather": "陰",
            "visibility": "500 m", "shows": "閉合導線的測站整置與觀測", **fields,
            "steps-TOTAL_FORMS": str(len(steps)), "steps-INITIAL_FORMS": "0", "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "1000"}
    for number, (text, at, order) in enumerate(steps):
        data |= {f"steps-{number}-text": text, f"steps-{number}-at_seconds": at, f"steps-{number}-ORDER": order}
    return data


def test_a_candidate_describes_a_video_step_by_step(candidate_client, candidate):
    """Steps are saved in the order the numbers give, with their times; blank rows are dropped; the history has it."""
    clip = video(candidate, duration=300)
    url = reverse("portfolios:video_describe", kwargs={"video_id": clip.pk})
    assert candidate_client.get(url).status_code == 200
    response = candidate_client.post(url, _description_post(
        ("整平：調整腳螺旋使氣泡居中", "1:05", "2"), ("定心：光學對點器對準測站", "20", "1"), ("", "", ""),
        ("照準後視點並歸零", "", "3")))
    assert response.status_code == 302
    description = VideoDescription.objects.get(video=clip)
    assert (description.terrain, description.instrument_make, description.instrument_model) == (
        "mountain", "Leica", "TS16")
    assert list(description.steps.values_list("position", "text", "at_seconds")) == [
        (1, "定心：光學對點器對準測站", 20), (2, "整平：調整腳螺旋使氣泡居中", 65), (3, "照準後視點並歸零", None)]
    [(event, actor, changes)] = events(description)
    assert (event, actor) == ("video_description.created", candidate.user)
    assert changes["steps"] == [[], [["定心：光學對點器對準測站", 20], ["整平：調整腳螺旋使氣泡居中", 65],
                                     ["照準後視點並歸零", None]]]
    assert changes["terrain"] == ["", "mountain"]
    # The form shows the saved steps again, times as minutes:seconds.
    page = candidate_client.get(url).content.decode()
    assert 'value="1:05"' in page and "定心：光學對點器對準測站" in page


def test_an_edit_records_only_what_changed(candidate_client, candidate):
    clip = video(candidate)
    description = described(clip, "定心", "整平")
    url = reverse("portfolios:video_describe", kwargs={"video_id": clip.pk})
    candidate_client.post(url, _description_post(("定心", "10", "1"), ("整平", "20", "2"), terrain="coastal",
                                                 instrument_make="Topcon", instrument_model="GT-1200", weather="晴",
                                                 visibility="良好", shows="導線測量"))
    changed = entry(description, "video_description.changed")
    assert changed.changes == {"terrain": ["mountain", "coastal"]}
    assert changed.actor == candidate.user


@pytest.mark.parametrize(("time", "message"), [
    ("1:75", "Enter the time as seconds (95) or as minutes:seconds (1:35)."),
    ("abc", "Enter the time as seconds (95) or as minutes:seconds (1:35)."),
    ("2:01", "The video ends at 2:00; choose a time within it."),
    ("121", "The video ends at 2:00; choose a time within it."),
])
def test_a_bad_step_time_is_refused_with_a_field_message(candidate_client, candidate, time, message):
    """A time that is not a time, or after the end of the video, is refused next to the step; nothing is saved."""
    clip = video(candidate, duration=120)
    response = candidate_client.post(reverse("portfolios:video_describe", kwargs={"video_id": clip.pk}),
                                     _description_post(("定心", "10", "1"), ("整平", time, "2")))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    # Named next to the step's time box (and also in the error summary at the top of the form).
    assert body.rindex(message) > body.index('name="steps-1-at_seconds"')
    assert not VideoDescription.objects.exists() and not ProcedureStep.objects.exists()


def test_a_time_without_a_step_and_a_description_without_steps_are_refused(candidate_client, candidate):
    clip = video(candidate)
    url = reverse("portfolios:video_describe", kwargs={"video_id": clip.pk})
    response = candidate_client.post(url, _description_post(("", "0:30", "1")))
    assert response.status_code == 400 and "Say what happens at this time." in response.content.decode()
    response = candidate_client.post(url, _description_post(("", "", "")))
    assert response.status_code == 400 and "Describe at least one step of the procedure." in response.content.decode()
    assert not VideoDescription.objects.exists()


def test_another_candidates_video_answers_404(candidate_client, make_candidate):
    """A candidate can neither read nor write the description of, nor attach a file to, another's video."""
    other = video(make_candidate())
    described(other, "定心")
    for name in ("portfolios:video_describe", "portfolios:video_evidence_add"):
        url = reverse(name, kwargs={"video_id": other.pk})
        assert candidate_client.get(url).status_code in (404, 405)
        assert candidate_client.post(url, _description_post(("改寫", "", "1"))).status_code == 404
    assert list(ProcedureStep.objects.values_list("text", flat=True)) == ["定心"]
    assert not EvidenceFile.objects.exists()


def test_files_attach_to_a_video_or_to_the_portfolio(candidate_client, candidate):
    """Both go through the media pipeline's checks; the preview shows each where it belongs."""
    clip = video(candidate)
    candidate_client.post(reverse("portfolios:video_evidence_add", kwargs={"video_id": clip.pk}),
                          {"title": "測站照片", "file": SimpleUploadedFile("a.png", PNG)})
    candidate_client.post(reverse("portfolios:evidence_add"),
                          {"title": "證照", "file": SimpleUploadedFile("b.png", PNG)})
    assert dict(EvidenceFile.objects.values_list("title", "video")) == {"測站照片": clip.pk, "證照": None}
    response = candidate_client.post(reverse("portfolios:evidence_add"),
                                     {"title": "假PDF", "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00" * 20)})
    assert response.status_code == 400
    assert "Only PDF, JPEG and PNG files are accepted" in response.content.decode()
    assert EvidenceFile.objects.count() == 2
    preview = candidate_client.get(reverse("portfolios:preview")).content.decode()
    assert preview.index("測站照片") < preview.index("Supporting evidence") < preview.index("證照")
    # Each editing page lists its own files and posts new ones to its own address.
    mine = candidate_client.get(reverse("portfolios:mine")).content.decode()
    assert "證照" in mine and "測站照片" not in mine.split('id="evidence-heading"')[1]
    assert f'action="{reverse("portfolios:evidence_add")}"' in mine and reverse("media_pipeline:my_evidence") in mine
    describe = candidate_client.get(reverse("portfolios:video_describe", kwargs={"video_id": clip.pk})).content.decode()
    assert "測站照片" in describe and "證照" not in describe
    assert f'action="{reverse("portfolios:video_evidence_add", kwargs={"video_id": clip.pk})}"' in describe


def test_the_summary_is_saved_and_recorded(candidate_client, candidate):
    candidate_client.post(reverse("portfolios:mine"), {"summary": "五年外業經驗"})
    portfolio = Portfolio.objects.get(candidate=candidate)
    assert portfolio.summary == "五年外業經驗"
    assert events(portfolio) == [("portfolio.summary_changed", candidate.user, {"summary": ["", "五年外業經驗"]})]
    assert "五年外業經驗" in candidate_client.get(reverse("portfolios:preview")).content.decode()


def test_nothing_changes_after_the_submissions_deadline(candidate_client, candidate, cycle):
    """Like removing media, editing the portfolio is refused once the focus groups evaluate it."""
    clip = video(candidate)
    described(clip, "定心")
    cycle.submissions_until = clock.now() - dt.timedelta(days=1)
    cycle.save()
    response = candidate_client.post(reverse("portfolios:mine"), {"summary": "改寫"})
    assert response.status_code == 400
    closed = "your portfolio can no longer be changed"
    assert closed in response.content.decode()
    response = candidate_client.post(reverse("portfolios:video_describe", kwargs={"video_id": clip.pk}),
                                     _description_post(("改寫", "", "1")))
    assert response.status_code == 400 and closed in response.content.decode()
    response = candidate_client.post(reverse("portfolios:evidence_add"),
                                     {"title": "晚到", "file": SimpleUploadedFile("b.png", PNG)})
    assert response.status_code == 400
    assert not Portfolio.objects.filter(summary="改寫").exists()
    assert list(ProcedureStep.objects.values_list("text", flat=True)) == ["定心"]
    assert not EvidenceFile.objects.exists()
    # The page says so and offers no form.
    page = candidate_client.get(reverse("portfolios:mine")).content.decode()
    assert closed in page and 'action="/portfolio/evidence/"' not in page


def test_a_candidate_without_a_candidacy_is_told_why(client, user_factory):
    client.force_login(user_factory("candidate"))
    client.cookies["django_language"] = "en"
    for name in ("portfolios:mine", "portfolios:preview", "portfolios:consent"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "not linked to a candidacy yet" in response.content.decode()


def test_the_preview_pins_its_queries_as_videos_and_steps_grow(candidate_client, candidate, page_queries):
    """The preview shows every watchable video with its steps in a fixed number of queries."""
    described(video(candidate, youtube_id="aaaaaaaaaaa"), "定心")
    first = page_queries(candidate_client, reverse("portfolios:preview"))
    assert "定心" in first.response.content.decode()
    for number, youtube_id in enumerate(("bbbbbbbbbbb", "ccccccccccc", "ddddddddddd")):
        described(video(candidate, youtube_id=youtube_id, title=f"影片{number}"), "定心", "整平", "照準", "讀數")
    grown = page_queries(candidate_client, reverse("portfolios:preview"))
    assert grown.response.content.decode().count("讀數") == 3
    assert first.count == grown.count == 9
