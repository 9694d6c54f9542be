"""YouTube links checked through the real API client against a loopback server replaying recorded payloads."""
import os
import subprocess
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import translation

from accounts.roles import Role
from core import clock
from media_pipeline import signals, tasks
from media_pipeline.messages import problem_message
from media_pipeline.models import MediaLimits, Video
from media_pipeline.services.youtube_links import video_youtube_add
from tests.factories import CandidateFactory, make_user
from tests.media_pipeline.history import entry, events

pytestmark = pytest.mark.django_db

ID = "dQw4w9WgXcQ"


def _add(on_commit, candidate, video_id=ID):
    # Checks are queued after commit; tests run inside a transaction, so run the callbacks at the block's end.
    with on_commit(execute=True):
        return video_youtube_add(url=f"https://youtu.be/{video_id}", title="示範", acting_user=candidate.user,
                                 candidate=candidate)


def _reload(video):
    video.refresh_from_db()
    return video


def test_a_public_or_unlisted_embeddable_video_is_verified_with_its_details(on_commit, youtube_api, candidate):
    """A recorded "verified" answer verifies the link and keeps title, channel, duration and thumbnail."""
    youtube_api.add(ID, "verified")
    video = _reload(_add(on_commit, candidate))
    assert video.state == Video.State.VERIFIED
    assert video.youtube_title.startswith("經緯儀操作示範")
    assert video.youtube_channel == "測量考生頻道"
    assert video.duration_seconds == 253
    assert video.youtube_thumbnail_url.endswith("hqdefault.jpg")
    # The candidate added it; the check, a task with no one signed in, verified it.
    assert events(video) == [("video.link_added", candidate.user, {}),
                             ("video.link_verified", None, {"state": ["pending", "verified"]})]
    assert entry(video, "video.link_verified").additional_data["youtube_id"] == ID


@pytest.mark.parametrize(("recorded", "code"), [
    ("private", "youtube_private"),
    ("not_embeddable", "youtube_not_embeddable"),
    ("deleted", "youtube_missing"),
    ("too_long", "too_long"),
])
def test_unusable_videos_are_rejected_with_a_reason_for_their_owner(
    on_commit, youtube_api, candidate, client, recorded, code
):
    """Private, not embeddable, deleted and too long videos are rejected, and the owner's page says why."""
    if recorded != "deleted":
        youtube_api.add(ID, recorded)
    video = _reload(_add(on_commit, candidate))
    assert video.state == Video.State.REJECTED
    assert [problem["code"] for problem in video.problems] == [code]
    assert events(video)[-1] == ("video.link_rejected", None,
                                 {"state": ["pending", "rejected"], "problems": [[], video.problems]})
    client.force_login(candidate.user)
    client.cookies["django_language"] = "en"
    page = client.get("/videos/mine/").content.decode()
    assert video.problem_messages[0] in page


def test_the_cycle_limit_decides_what_is_too_long(on_commit, youtube_api, candidate):
    """A cycle's own duration limit applies to its candidates' links."""
    MediaLimits.objects.create(cycle=candidate.cycle, max_upload_bytes=10**9, max_duration_seconds=120)
    youtube_api.add(ID, "verified")  # 4 min 13 s
    assert _reload(_add(on_commit, candidate)).state == Video.State.REJECTED


def test_server_errors_are_retried_until_an_answer_comes(on_commit, youtube_api, candidate):
    """A 500 followed by a 200 verifies the link after one retry."""
    youtube_api.add(ID, "verified")
    youtube_api.fail_next(500, "backend_error")
    youtube_api.fail_next(403, "rate_limited")
    assert _reload(_add(on_commit, candidate)).state == Video.State.VERIFIED
    assert len(youtube_api.calls) == 3


def test_an_api_that_keeps_failing_leaves_the_link_pending_for_the_periodic_check(
    on_commit, youtube_api, candidate, settings
):
    """When every retry fails the link stays pending; the periodic check verifies it later."""
    settings.YOUTUBE_MAX_ATTEMPTS = 3
    youtube_api.add(ID, "verified")
    youtube_api.fail_next(500, "backend_error", times=3)
    video = _reload(_add(on_commit, candidate))
    assert video.state == Video.State.PENDING
    Video.objects.filter(pk=video.pk).update(state_changed_at=datetime(2020, 1, 1, tzinfo=UTC))
    tasks.youtube_check_due.delay()
    assert _reload(video).state == Video.State.VERIFIED


def test_a_spent_daily_quota_postpones_checks_until_midnight_pacific(on_commit, youtube_api, candidate):
    """A quota 403 defers the check to the next midnight Pacific time; it runs then and loses nothing."""
    youtube_api.add(ID, "verified")
    youtube_api.fail_next(403, "quota_exceeded")
    at = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # 08:00 in Los Angeles (PDT)
    with clock.frozen_at(at):
        video = _reload(_add(on_commit, candidate))
    assert video.state == Video.State.DEFERRED
    assert len(youtube_api.calls) == 1  # A quota answer is not retried.
    assert video.next_check_at == datetime(2026, 3, 11, 0, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    with clock.frozen_at(datetime(2026, 3, 11, 6, 59, tzinfo=UTC)):
        tasks.youtube_check_due.delay()
    assert _reload(video).state == Video.State.DEFERRED
    with clock.frozen_at(datetime(2026, 3, 11, 7, 1, tzinfo=UTC)):
        tasks.youtube_check_due.delay()
    assert _reload(video).state == Video.State.VERIFIED


def test_checks_ask_for_at_most_50_ids_a_call(on_commit, youtube_api, candidate, settings):
    """120 links are checked in three calls of 50, 50 and 20 ids."""
    settings.YOUTUBE_API_KEY = ""  # Add them unverified, then check them together.
    ids = [f"vid{n:08d}" for n in range(120)]
    for video_id in ids:
        youtube_api.add(video_id, "verified")
        _add(on_commit, candidate, video_id)
    settings.YOUTUBE_API_KEY = "test-key"
    tasks.youtube_check_due.delay()
    assert [len(call) for call in youtube_api.calls] == [50, 50, 20]
    assert Video.objects.filter(state=Video.State.VERIFIED).count() == 120


def test_without_a_key_links_are_kept_as_not_verified(candidate, candidate_client, settings):
    """With no YOUTUBE_API_KEY the link is saved as not verified and the page says so."""
    settings.YOUTUBE_API_KEY = ""
    candidate_client.cookies["django_language"] = "en"
    response = candidate_client.post("/videos/mine/link/", {"url": f"https://youtu.be/{ID}", "title": "x"},
                                     follow=True)
    assert Video.objects.get().state == Video.State.NOT_VERIFIED
    assert "not verified" in response.content.decode()


def test_a_verified_video_later_made_private_is_flagged_and_its_owner_told(on_commit, youtube_api, candidate):
    """The periodic re-check rejects a link that went private, emails its owner and signals the focus groups."""
    youtube_api.add(ID, "verified")
    video = _reload(_add(on_commit, candidate))
    assert video.state == Video.State.VERIFIED
    youtube_api.add(ID, "private")
    heard = []

    def listener(sender, video, **kwargs):
        heard.append(video.pk)

    signals.video_unavailable.connect(listener)
    try:
        with clock.frozen_at(datetime(2099, 1, 1, tzinfo=UTC)):
            with on_commit(execute=True):
                tasks.youtube_recheck_verified.delay()
    finally:
        signals.video_unavailable.disconnect(listener)
    assert _reload(video).state == Video.State.REJECTED
    assert heard == [video.pk]
    assert [name for name, _actor, _changes in events(video)] == [
        "video.link_added", "video.link_verified", "video.link_became_unavailable"]
    assert events(video)[-1] == ("video.link_became_unavailable", None,
                                 {"state": ["verified", "rejected"], "problems": [[], video.problems]})
    assert [message.to for message in mail.outbox] == [[candidate.user.email]]


def test_a_recheck_soon_after_verification_does_not_call_the_api(on_commit, youtube_api, candidate):
    """Links checked within the last day are not re-checked."""
    youtube_api.add(ID, "verified")
    _add(on_commit, candidate)
    tasks.youtube_recheck_verified.delay()
    assert len(youtube_api.calls) == 1


# ---- YouTube's own verdicts, and second looks ------------------------------------------------------------------

@pytest.mark.parametrize(("recorded", "code", "english", "chinese"), [
    ("rejected_duplicate", "youtube_rejected", "YouTube rejected the video (a duplicate of another video)",
     "YouTube 拒絕了這部影片（與另一部影片重複）"),
    ("failed_codec", "youtube_failed", "YouTube could not process the upload (an unsupported codec)",
     "YouTube 無法處理這次上傳（不支援的編碼格式）"),
])
def test_youtubes_own_rejection_is_reported_with_its_reason_in_the_owners_language(
    on_commit, youtube_api, candidate, candidate_client, recorded, code, english, chinese
):
    """A rejected or failed upload on YouTube says so, with the reason, and is not called "still processing"."""
    youtube_api.add(ID, recorded)
    video = _reload(_add(on_commit, candidate))
    assert video.state == Video.State.REJECTED
    assert [problem["code"] for problem in video.problems] == [code]
    assert not video.may_recheck and video.next_check_at is None
    page = candidate_client.get("/videos/mine/").content.decode()
    assert chinese in page and "尚未處理完" not in page
    assert "/recheck/" not in page  # Checking again cannot change YouTube's verdict.
    candidate_client.cookies["django_language"] = "en"
    page = candidate_client.get(video.get_absolute_url()).content.decode()
    assert english in page and "upload the file here" in page


def test_a_video_still_processing_is_checked_again_on_a_schedule_until_it_passes(on_commit, youtube_api, candidate):
    """A link YouTube is still processing is looked at again 30 minutes later, and then verified."""
    youtube_api.add(ID, "processing")
    at = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
    with clock.frozen_at(at):
        video = _reload(_add(on_commit, candidate))
    assert video.state == Video.State.REJECTED and video.may_recheck
    assert video.next_check_at == datetime(2026, 12, 3, 2, 30, tzinfo=UTC)
    youtube_api.add(ID, "verified")
    with clock.frozen_at(datetime(2026, 12, 3, 2, 29, tzinfo=UTC)):
        tasks.youtube_check_due.delay()
    assert _reload(video).state == Video.State.REJECTED
    with clock.frozen_at(datetime(2026, 12, 3, 2, 31, tzinfo=UTC)):
        tasks.youtube_check_due.delay()
    assert _reload(video).state == Video.State.VERIFIED
    assert _reload(video).next_check_at is None


def test_a_link_rejected_for_good_is_not_checked_again(on_commit, youtube_api, candidate):
    """A deleted video is not looked at again by the periodic check."""
    video = _reload(_add(on_commit, candidate))  # Not on YouTube: missing.
    assert video.state == Video.State.REJECTED and video.next_check_at is None
    calls = len(youtube_api.calls)
    with clock.frozen_at(datetime(2099, 1, 1, tzinfo=UTC)):
        tasks.youtube_check_due.delay()
    assert len(youtube_api.calls) == calls


def test_the_owner_checks_a_private_video_again_at_once_after_making_it_unlisted(
    on_commit, youtube_api, candidate, candidate_client
):
    """After fixing the video on YouTube the owner presses "Check again now" and the link is verified."""
    youtube_api.add(ID, "private")
    with clock.frozen_at(datetime(2026, 12, 3, 2, 0, tzinfo=UTC)):
        video = _reload(_add(on_commit, candidate))
    page = candidate_client.get("/videos/mine/").content.decode()
    assert f"/videos/{video.pk}/recheck/" in page and "立即重新檢查" in page
    youtube_api.add(ID, "verified")
    with clock.frozen_at(datetime(2026, 12, 3, 2, 5, tzinfo=UTC)), on_commit(execute=True):
        response = candidate_client.post(f"/videos/{video.pk}/recheck/")
    assert response.status_code == 302
    assert _reload(video).state == Video.State.VERIFIED
    rejected_for = entry(video, "video.link_rejected").changes["problems"][1]
    assert events(video)[-2:] == [
        ("video.link_recheck_requested", candidate.user, {"state": ["rejected", "pending"]}),
        ("video.link_verified", None, {"state": ["pending", "verified"], "problems": [rejected_for, []]}),
    ]
    assert entry(video, "video.link_recheck_requested").additional_data["problems"] == rejected_for


def test_checking_again_within_a_minute_is_refused_without_calling_youtube(
    on_commit, youtube_api, candidate, candidate_client
):
    """Repeated clicks do not spend the API quota."""
    youtube_api.add(ID, "private")
    video = _reload(_add(on_commit, candidate))
    calls = len(youtube_api.calls)
    with on_commit(execute=True):
        response = candidate_client.post(f"/videos/{video.pk}/recheck/", follow=True)
    assert "不到一分鐘前" in response.content.decode()
    assert len(youtube_api.calls) == calls and _reload(video).state == Video.State.REJECTED
    assert "video.link_recheck_requested" not in [name for name, _actor, _changes in events(video)]


def test_another_candidate_cannot_check_someone_elses_link(on_commit, youtube_api, candidate, client):
    """The re-check is scoped to the video's owner."""
    youtube_api.add(ID, "private")
    video = _reload(_add(on_commit, candidate))
    other = CandidateFactory(cycle=candidate.cycle, user=make_user(Role.CANDIDATE))
    client.force_login(other.user)
    assert client.post(f"/videos/{video.pk}/recheck/").status_code == 404


def test_pasting_a_rejected_link_again_checks_it_again(on_commit, youtube_api, candidate, candidate_client):
    """Pasting the same link after fixing it on YouTube looks again instead of saying it is already listed."""
    youtube_api.add(ID, "not_embeddable")
    with clock.frozen_at(datetime(2026, 12, 3, 2, 0, tzinfo=UTC)):
        video = _reload(_add(on_commit, candidate))
    youtube_api.add(ID, "verified")
    with clock.frozen_at(datetime(2026, 12, 3, 2, 10, tzinfo=UTC)), on_commit(execute=True):
        response = candidate_client.post("/videos/mine/link/", {"url": f"https://youtu.be/{ID}", "title": "x"},
                                         follow=True)
    assert "正在重新檢查" in response.content.decode()
    assert Video.objects.filter(candidate=candidate).count() == 1
    assert _reload(video).state == Video.State.VERIFIED


def test_pasting_a_verified_link_again_is_refused_as_already_listed(on_commit, youtube_api, candidate,
                                                                   candidate_client):
    """A link that already works is not added twice."""
    youtube_api.add(ID, "verified")
    _add(on_commit, candidate)
    response = candidate_client.post("/videos/mine/link/", {"url": f"https://www.youtube.com/watch?v={ID}",
                                                            "title": "x"})
    assert response.status_code == 400
    assert "已在清單中" in response.content.decode()


def test_the_api_key_never_reaches_the_log_even_at_debug_level(youtube_api, settings):
    """googleapiclient logs each request URL at DEBUG, key included; the log handler prints it redacted."""
    youtube_api.add(ID, "verified")
    secret = "AIzaSy-test-secret-key-0123456789"
    script = (
        "import django; django.setup();"
        "from media_pipeline.integrations import youtube;"
        f"print(sorted(youtube.videos_list([{ID!r}])))"
    )
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.local", "DJANGO_LOG_LEVEL": "DEBUG", "YOUTUBE_API_KEY": secret,
        "YOUTUBE_API_ENDPOINT": settings.YOUTUBE_API_ENDPOINT, "YOUTUBE_API_CA_CERTS": settings.YOUTUBE_API_CA_CERTS,
    }
    result = subprocess.run([sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"[{ID!r}]"
    assert "URL being requested" in result.stderr and "key=[redacted]" in result.stderr
    assert secret not in result.stderr + result.stdout


def test_youtube_reasons_read_as_words_in_both_languages():
    """The reason code becomes a phrase in the reader's language; an unknown code is shown as it is."""
    with translation.override("en"):
        assert "(copyright infringement)" in problem_message("youtube_rejected", {"reason": "copyright"})
        assert "(somethingNew)" in problem_message("youtube_rejected", {"reason": "somethingNew"})
    with translation.override("zh-hant"):
        assert "侵犯著作權" in problem_message("youtube_rejected", {"reason": "copyright"})
