"""Browser journey of the focus groups: a land office's group scores a candidate, and a blended run uses the result.

The leader starts the group, adds a member, fixes the roster, opens scoring and asks the candidate a question,
which the candidate answers. The leader and the member score with time-stamped notes, one on a YouTube video
(through the loopback player of tests/browser/youtube_player.py) and one on an uploaded video, partly with the
keyboard alone; both submit. The leader closes scoring, adjusts and finalises; examination staff then move the
cycle to placement and start a blended run, which ranks by the group's final score.

Set SCREENSHOTS=1 to write its screenshots to docs/screenshots/; a normal run leaves the tree alone.
"""
import io
import json
import re
import shutil
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from core import clock
from focusgroups.models import FocusGroup, Outcome, Rating
from media_pipeline.models import Video
from media_pipeline.services.uploads import video_upload_receive
from placement.models import PlacementRun, SuitabilityScore
from placement.services.preferences import preference_list_save, preference_list_submit
from portfolios.services import portfolio_consent_set
from tests.browser.journey import local_time, new_page, sign_in
from tests.browser.screenshots import screenshot
from tests.conftest import require_service
from tests.factories import (
    CandidateFactory,
    ExamCycleFactory,
    LandOfficeFactory,
    VacancyFactory,
    make_user,
)
from tests.media_pipeline.conftest import ffmpeg
from tests.media_pipeline.factories import upload_started, youtube_link

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]







@pytest.fixture
def clip(tmp_path):
    """A ten-second MP4, long enough to note a moment and seek back to it."""
    if not shutil.which("ffmpeg") or not shutil.which("ffprobe"):
        require_service("ffmpeg and ffprobe (apt-get install ffmpeg)")
    path = tmp_path / "levelling.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=10", "-c:v", "libx264", "-pix_fmt", "yuv420p",
           "-movflags", "+faststart", str(path))
    return path


def _ready_upload(candidate, clip: Path) -> Video:
    """Upload the clip for the candidate and let processing run, as the upload page and the worker do."""
    data = clip.read_bytes()
    video = upload_started(candidate=candidate, title="Levelling run", file_name=clip.name, size=len(data))
    video_upload_receive(video=video, stream=io.BytesIO(data), content_length=len(data), acting_user=candidate.user)
    video.refresh_from_db()
    assert video.state == Video.State.READY, video.problems
    return video


def _player_frame(page, video):
    return page.frame_locator(f"#player-{video.pk}")


def _criterion(page, index: int):
    return page.locator("#rubric-form fieldset[data-criterion]").nth(index)


def _drafts(rater, candidate) -> dict[int, tuple[int | None, str]]:
    return {rating.criterion_id: (rating.score, rating.comment)
            for rating in Rating.objects.filter(rater=rater, candidate=candidate)}


def _wait_for(read, expected, seconds: float = 5.0) -> None:
    """Wait until `read()` returns what the browser's background requests should leave."""
    deadline = time.monotonic() + seconds
    while (value := read()) != expected:
        assert time.monotonic() < deadline, f"after {seconds} s: {value!r}, expected {expected!r}"
        time.sleep(0.1)


def _click_scores(page, scores: dict[int, int]) -> None:
    """Score criteria by clicking their levels; the autosave saves each."""
    for index, score in scores.items():
        _criterion(page, index).locator(f"input[type=radio][value='{score}']").check()
        expect(page.locator("#save-status")).to_contain_text("Draft saved at")


def test_a_focus_group_scores_a_candidate_and_a_blended_run_uses_its_result(live_server, browser, settings,
                                                                            youtube_player, clip, tmp_path):
    """Start, staff and open a group; ask, answer, note and score; finalise; a blended run reads the scores."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.YOUTUBE_API_KEY = ""
    cycle = ExamCycleFactory(is_current=True, name="2026 Surveying exam")
    office = LandOfficeFactory(code="TPE-XINYI", name_en="Xinyi Land Office")
    other_office = LandOfficeFactory(code="HSZ-HSINCHU", name_en="Hsinchu Land Office")
    VacancyFactory(cycle=cycle, office=office, seats=1)
    VacancyFactory(cycle=cycle, office=other_office, seats=1)
    leader = make_user(Role.FOCUS_GROUP_LEADER, office=office, name="Huang Li-wen")
    member = make_user(Role.FOCUS_GROUP_MEMBER, office=office, name="Chang Ming-hui")
    exam_staff = make_user(Role.EXAM_STAFF, name="Lee Shu-fen")
    chen = CandidateFactory(cycle=cycle, name="Chen Wei-ting", exam_rank=2, user=make_user(Role.CANDIDATE))
    lin = CandidateFactory(cycle=cycle, name="Lin Yu-chen", exam_rank=1, user=make_user(Role.CANDIDATE))
    for candidate in (chen, lin):
        portfolio_consent_set(candidate=candidate, office_ids=[office.pk], acting_user=candidate.user)
        preference_list_save(candidate=candidate, office_ids=[office.pk, other_office.pk])
        preference_list_submit(candidate=candidate)
    youtube = youtube_link(candidate=chen, title="Traverse at Xinyi", state=Video.State.VERIFIED)
    upload = _ready_upload(chen, clip)
    # Then the cycle moves to its focus-group phase: submissions closed yesterday, focus groups run ten more days.
    now = clock.now()
    cycle.office_profiles_until = now - timedelta(days=20)
    cycle.submissions_until = now - timedelta(days=1)
    cycle.focus_groups_until = now + timedelta(days=10)
    cycle.preferences_until = now + timedelta(days=20)
    cycle.save()

    # 1. The leader, signed in with their authenticator, starts the group, adds a member and fixes the roster.
    lead = sign_in(browser, live_server, leader, totp=True)
    lead.get_by_role("navigation", name="Main").get_by_role("link", name="Focus groups").click()
    lead.get_by_role("button", name="Start the focus group").click()
    expect(lead.get_by_text("The focus group is started with the default rubric.")).to_be_visible()
    group = FocusGroup.objects.get(office=office, cycle=cycle)
    lead.get_by_role("navigation", name="Focus group").get_by_role("link", name="Members").click()
    lead.get_by_label("Email address").fill(member.email)
    lead.get_by_role("button", name="Add", exact=True).click()
    expect(lead.get_by_text(f"{member.email} is added to the focus group.")).to_be_visible()
    lead.get_by_role("navigation", name="Focus group").get_by_role("link", name="Roster").click()
    lead.get_by_label("2. Chen Wei-ting").check()
    lead.get_by_role("button", name="Fix the roster").click()
    expect(lead.get_by_text("The roster is fixed: 1 candidates.")).to_be_visible()
    lead.get_by_role("button", name="Open scoring").click()
    expect(lead.get_by_text("Scoring is open.")).to_be_visible()
    screenshot(lead, "focus-group-overview")

    # 2. The leader asks the candidate for more evidence, with a reply deadline; the candidate answers.
    lead.get_by_role("navigation", name="Focus group").get_by_role("link", name="Candidates to score").click()
    lead.get_by_role("link", name="Chen Wei-ting").click()
    scoring_url = lead.url
    lead.get_by_label("Question or request for evidence").fill("Which instrument did you use for the traverse?")
    lead.get_by_label("Reply by").fill(local_time(now + timedelta(days=3)))
    lead.get_by_role("button", name="Send the question").click()
    expect(lead.get_by_text("The question was sent")).to_be_visible()

    applicant = sign_in(browser, live_server, chen.user, totp=False)
    applicant.get_by_role("navigation", name="Main").get_by_role("link", name="My focus groups").click()
    expect(applicant.get_by_text("Which instrument did you use for the traverse?")).to_be_visible()
    applicant.get_by_role("link", name="Reply").click()
    applicant.get_by_role("textbox", name="Your reply").fill("A Topcon GM-105 total station, levelled over the mark.")
    applicant.get_by_role("button", name="Send the reply").click()
    expect(applicant.get_by_text("Your reply was sent to the focus group.")).to_be_visible()

    # 3. The leader notes a moment of the YouTube video while it plays, and the note's time seeks the player.
    lead.goto(scoring_url)
    expect(lead.get_by_text("A Topcon GM-105 total station")).to_be_visible()
    frame = _player_frame(lead, youtube)
    expect(frame.locator("#listener")).to_have_text("listening")
    frame.get_by_role("button", name="Play").click()
    expect(frame.locator("#state")).to_have_text("playing")
    # The page hears the time from the player's messages; wait until it has played two seconds.
    expect(frame.locator("#time")).to_have_text(re.compile(r"^([2-9]|\d\d+)\.\d$"))
    notes = lead.get_by_role("article", name="Traverse at Xinyi")
    # Pressed from the keyboard: in headless Chromium a mouse click here, just after pressing Play inside the
    # player, lands on the player's own Pause button instead (the player keeps the focus).
    notes.get_by_role("button", name="Note at the current time").press("Enter")
    time_field = notes.get_by_label("Time in the video (seconds)")
    noted = int(time_field.input_value())
    assert noted >= 1, "the note's time came from the player"
    expect(notes.get_by_label("Note", exact=True)).to_be_focused()
    notes.get_by_label("Note", exact=True).fill("Centres the instrument over the mark carefully.")
    notes.get_by_role("button", name="Save the note").click()
    expect(lead.get_by_text("The note is saved.")).to_be_visible()
    frame = _player_frame(lead, youtube)
    expect(frame.locator("#last-seek")).to_have_text("none")
    lead.get_by_role("article", name="Traverse at Xinyi").get_by_role("link", name=f"{noted} s").click()
    expect(frame.locator("#last-seek")).to_have_text(str(noted))
    expect(frame.locator("#time")).to_have_text(f"{noted}.0")

    # 4. The leader scores the first two criteria with the keyboard alone, the rest by clicking, and submits.
    first = _criterion(lead, 0).locator("input[type=radio]").first
    first.focus()
    lead.keyboard.press("Space")
    for _step in range(3):
        lead.keyboard.press("ArrowRight")
    expect(_criterion(lead, 0).locator("input[value='4']")).to_be_checked()
    lead.keyboard.press("Tab")
    expect(_criterion(lead, 0).locator("textarea")).to_be_focused()
    lead.keyboard.type("Steady set-up; checks the bubble twice.")
    lead.keyboard.press("Tab")
    expect(_criterion(lead, 1).locator("input[value='1']")).to_be_focused()
    lead.keyboard.press("Space")
    lead.keyboard.press("ArrowRight")
    lead.keyboard.press("ArrowRight")
    expect(_criterion(lead, 1).locator("input[value='3']")).to_be_checked()
    expect(lead.locator("#save-status")).to_contain_text("Draft saved at")
    criteria = list(group.criteria.order_by("position"))
    # Each key press saved a draft; the last of them, and the comment a moment after typing stopped, are kept.
    _wait_for(lambda: _drafts(leader, chen), {
        criteria[0].pk: (4, "Steady set-up; checks the bubble twice."), criteria[1].pk: (3, "")})
    expect(lead.locator("#save-status")).to_contain_text("Draft saved at")
    _click_scores(lead, {index: 4 for index in range(2, len(criteria))})
    screenshot(lead, "focus-group-scoring")
    lead.get_by_role("button", name="Submit my scores").click()
    expect(lead.get_by_text("Your scores are submitted.")).to_be_visible()

    # 5. The member notes a moment of the uploaded video, seeks to it from the note, scores and submits.
    rater = new_page(browser, live_server)
    rater.context.add_cookies(_session_cookie(live_server, member))
    rater.goto(f"{live_server.url}/focus-groups/")
    rater.get_by_role("link", name="Xinyi Land Office").click()
    rater.get_by_role("link", name="Score the candidates").click()
    rater.get_by_role("link", name="Chen Wei-ting").click()
    player = rater.locator(f"#player-{upload.pk}")
    player.evaluate("""video => new Promise(resolve => {
        const seek = () => { video.addEventListener("seeked", resolve, { once: true }); video.currentTime = 6.4; };
        if (video.readyState >= 1) { seek(); } else { video.addEventListener("loadedmetadata", seek, { once: true }); }
    })""")
    notes = rater.get_by_role("article", name="Levelling run")
    notes.get_by_role("button", name="Note at the current time").click()
    expect(notes.get_by_label("Time in the video (seconds)")).to_have_value("6")
    notes.get_by_label("Note", exact=True).fill("Reads the staff at the far turning point.")
    notes.get_by_role("button", name="Save the note").click()
    expect(rater.get_by_text("The note is saved.")).to_be_visible()
    player = rater.locator(f"#player-{upload.pk}")
    assert player.evaluate("video => video.currentTime") == 0
    rater.get_by_role("article", name="Levelling run").get_by_role("link", name="6 s").click()
    assert player.evaluate("video => video.currentTime") == 6
    expect(player).to_be_focused()
    _click_scores(rater, {index: 3 for index in range(len(criteria))})
    rater.get_by_role("button", name="Submit my scores").click()
    expect(rater.get_by_text("Your scores are submitted.")).to_be_visible()
    # Having submitted, the member sees the leader's note beside their own.
    expect(rater.get_by_text("Centres the instrument over the mark carefully.")).to_be_visible()

    # 6. The leader closes scoring, records a consensus adjustment and finalises.
    lead.get_by_role("navigation", name="Focus group").get_by_role("link", name="Overview").click()
    lead.get_by_role("button", name="Close scoring").click()
    expect(lead.get_by_text("Scoring is closed.")).to_be_visible()
    lead.get_by_role("link", name="See the results and finalise").click()
    lead.get_by_role("link", name="Chen Wei-ting").click()
    lead.get_by_label("Adjustment", exact=True).fill("0.25")
    lead.get_by_label("Reason", exact=True).fill("The reply showed a careful choice of instrument.")
    lead.get_by_role("button", name="Record the adjustment").click()
    expect(lead.get_by_text("The adjustment is recorded.")).to_be_visible()
    lead.get_by_role("navigation", name="Focus group").get_by_role("link", name="Results").click()
    # The aggregate 3.4, and the adjustment beside it.
    expect(lead.get_by_role("row", name=re.compile("Chen Wei-ting"))).to_contain_text(
        re.compile(r"3\.400[\s\S]*0\.25"))
    screenshot(lead, "focus-group-results")
    lead.get_by_role("link", name="Finalise…").click()
    lead.get_by_role("button", name="Finalise", exact=True).click()
    expect(lead.get_by_text("The focus group is finalised")).to_be_visible()
    outcome = Outcome.objects.get(group=group, candidate=chen)
    # On the default rubric's weights (2, 2, 1, 1.5, 1, 1.5, 1) the leader's 4, 3 and five 4s weigh 3.8, the
    # member's seven 3s weigh 3; their mean is 3.4, and the group added 0.25.
    assert (outcome.aggregate_score, outcome.adjustment, outcome.final_score) == (
        Decimal("3.400"), Decimal("0.250"), Decimal("3.650"))
    [score] = SuitabilityScore.objects.filter(office=office)
    assert (score.candidate, score.source, score.score) == (chen, SuitabilityScore.Source.FOCUS_GROUP,
                                                            outcome.final_score)

    # 7. Examination staff close the focus-group and preference phases and start a blended run.
    staff = sign_in(browser, live_server, exam_staff, totp=True)
    staff.get_by_role("navigation", name="Main").get_by_role("link", name="Exam cycle").click()
    staff.get_by_label("Focus groups until").fill(local_time(clock.now() - timedelta(minutes=3)))
    staff.get_by_label("Preferences until").fill(local_time(clock.now() - timedelta(minutes=2)))
    staff.get_by_role("button", name="Save deadlines").click()
    expect(staff.get_by_text("Phase 5 of 6: Placement")).to_be_visible()
    staff.get_by_role("link", name="Placement runs").first.click()
    staff.locator("select[name=policy]").select_option("blended")
    staff.locator("input[name=exam_weight]").fill("0.5")
    staff.locator("input[name=seed]").fill("1")
    staff.get_by_role("button", name="Start the run").click()
    expect(staff.get_by_text("Stable: no candidate")).to_be_visible()
    run = PlacementRun.objects.get(cycle=cycle)
    assert (run.policy, run.status) == (PlacementRun.Policy.BLENDED, PlacementRun.Status.SUCCEEDED)
    assert json.loads(run.snapshot)["suitability"] == {office.code: {chen.exam_number: str(outcome.final_score)}}


def _session_cookie(live_server, user) -> list[dict]:
    """Return the session cookie of a forced login: the member's sign-in is not what this journey is about."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
