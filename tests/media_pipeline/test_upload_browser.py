"""The upload page in Debian's Chromium: the script asks where to send the file, shows progress, then the result."""
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # Also relaxes the async guard for Playwright.
from tests.conftest import require_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    import os
    import shutil

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        require_service(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


def test_a_candidate_uploads_a_clip_and_watches_it(live_server, page, candidate, clips):
    """Choosing a file and pressing Upload sends it, processes it, and opens the player."""
    client = Client()
    client.force_login(candidate.user)
    page.context.add_cookies([
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
        {"name": "django_language", "value": "en", "url": live_server.url},
    ])
    page.goto(f"{live_server.url}/videos/mine/")
    page.get_by_label("Title", exact=True).last.fill("Theodolite setup")
    page.get_by_label("Video file", exact=True).set_input_files(str(clips / "good.mp4"))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page).to_have_url(re.compile(r"/videos/\d+/$"))
    expect(page.get_by_role("heading", name="Theodolite setup")).to_be_visible()
    expect(page.locator("video source")).to_have_attribute("src", re.compile(r"/play/$"))
    expect(page.locator(".badge")).to_have_text("Ready")
