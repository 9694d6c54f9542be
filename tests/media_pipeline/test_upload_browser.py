"""The upload page in Debian's Chromium: the script asks where to send the file, shows progress, then the result."""
import re

import pytest
from playwright.sync_api import expect

from media_pipeline.models import Video
from tests.media_pipeline.factories import upload_started

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_candidate_uploads_a_clip_and_watches_it(live_server, page, browser_session, candidate, clips):
    """Choosing a file and pressing Upload sends it, processes it, and opens the player."""
    browser_session(page, candidate.user)
    page.goto(f"{live_server.url}/videos/mine/")
    page.get_by_label("Title", exact=True).last.fill("Theodolite setup")
    page.get_by_label("Video file", exact=True).set_input_files(str(clips / "good.mp4"))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page).to_have_url(re.compile(r"/videos/\d+/$"))
    expect(page.get_by_role("heading", name="Theodolite setup")).to_be_visible()
    expect(page.locator("video source")).to_have_attribute("src", re.compile(r"/play/$"))
    expect(page.locator(".badge")).to_have_text("Ready")


def test_the_list_updates_itself_when_processing_finishes(live_server, page, browser_session, candidate):
    """A video shown as processing turns ready on the open page, and a half-typed link survives the update."""
    video = upload_started(candidate=candidate, title="Leveling run", state=Video.State.PROCESSING)
    browser_session(page, candidate.user)
    page.goto(f"{live_server.url}/videos/mine/")
    expect(page.locator("#video-list .badge")).to_have_text("Processing")
    page.get_by_role("textbox", name="YouTube link").fill("https://youtu.be/abcdefghijk")
    Video.objects.filter(pk=video.pk).update(state=Video.State.READY)
    expect(page.locator("#video-list .badge")).to_have_text("Ready", timeout=15_000)
    expect(page.get_by_role("textbox", name="YouTube link")).to_have_value("https://youtu.be/abcdefghijk")
