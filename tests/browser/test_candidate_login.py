"""Browser journeys: a real person signing in and seeing their dashboard."""
import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from placement.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_candidate_signs_in_and_sees_the_dashboard(live_server, page):
    """From the start page, a demo candidate signs in and the dashboard says what to do next."""
    call_command("load_demo", stdout=io.StringIO())
    page.goto(live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant-TW")
    page.get_by_role("link", name="登入").first.click()
    page.get_by_label("電子信箱").fill("candidate@surveyplace.example")
    page.get_by_label("密碼").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="登入").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", name="下一步")).to_be_visible()
    expect(page.get_by_role("navigation", name="主選單")).to_contain_text("地政事務所")
    page.get_by_label("語言").select_option("en")
    page.get_by_role("button", name="切換").click()
    expect(page.get_by_role("heading", name="What to do next")).to_be_visible()
