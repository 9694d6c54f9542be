"""Browser journey: a whole placement cycle on the demo data, each role in its own browser."""
import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from core import clock
from placement.demo import DEMO_OFFICE_CODE, DEMO_PASSWORD, demo_totp_secret
from placement.models import Candidate, PlacementRun, Publication
from tests.factories import current_totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(browser, live_server, email, *, staff):
    context = browser.new_context()
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    if staff:
        page.locator("input[name=code]").fill(current_totp_code(demo_totp_secret(email)))
        page.get_by_role("main").get_by_role("button").first.click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    return page


def test_a_whole_cycle_from_import_to_each_roles_result(live_server, browser):
    """Import, preferences, two runs, compare, publish, and each role sees its own view."""
    call_command("load_demo", stdout=io.StringIO())

    staff = _sign_in(browser, live_server, "exam@surveyplace.example", staff=True)
    expect(staff.get_by_text("Phase 4 of 6: Preferences").first).to_be_visible()
    staff.get_by_role("navigation", name="Main").get_by_role("link", name="Exam cycle").click()
    staff.get_by_role("link", name="Import vacancies").click()
    staff.locator("input[type=file]").set_input_files(
        files=[{"name": "v.csv", "mimeType": "text/csv", "buffer": f"office,seats\n{DEMO_OFFICE_CODE},9\n".encode()}]
    )
    staff.get_by_role("button", name="Check and import").click()
    expect(staff.get_by_text("Imported: 0 new, 1 updated")).to_be_visible()

    candidate = _sign_in(browser, live_server, "candidate@surveyplace.example", staff=False)
    candidate.get_by_role("link", name="Fill in your preference list").click()
    expect(candidate.get_by_text("Rank the offices in the order you really prefer them")).to_be_visible()
    candidate.get_by_role("button", name="Add").nth(0).click()
    candidate.get_by_role("button", name="Add").nth(0).click()
    second = candidate.locator(".preference-item").nth(1)
    second_name = second.locator(".pref-name").inner_text()
    second.get_by_role("button", name="Up").click()
    expect(candidate.locator(".preference-item").first.locator(".pref-name")).to_have_text(second_name)
    candidate.get_by_role("button", name="Submit my list").click()
    expect(candidate.get_by_text("Your preference list is submitted.")).to_be_visible()
    expect(candidate.locator("code.hash")).to_have_text(Candidate.objects.get(
        email="candidate@surveyplace.example").preference_list.submitted_sha256)

    # The preference deadline passes: staff close it on the timeline.
    staff.goto(f"{live_server.url}/dashboard/")
    staff.get_by_role("navigation", name="Main").get_by_role("link", name="Exam cycle").click()
    closed = timezone.localtime(clock.now() - timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
    staff.get_by_label("Preferences until").fill(closed)
    staff.get_by_role("button", name="Save deadlines").click()
    expect(staff.get_by_text("Phase 5 of 6: Placement")).to_be_visible()

    staff.get_by_role("link", name="Placement runs").first.click()
    staff.locator("select[name=policy]").select_option("exam_rank")
    staff.locator("input[name=seed]").fill("1")
    staff.get_by_role("button", name="Start the run").click()
    expect(staff.get_by_role("heading", name="Stability check")).to_be_visible()
    expect(staff.get_by_text("Stable: no candidate")).to_be_visible()
    staff.get_by_role("link", name="All runs of this cycle").click()
    staff.locator("select[name=policy]").select_option("blended")
    staff.locator("input[name=exam_weight]").fill("0.5")
    staff.get_by_role("button", name="Start the run").click()
    expect(staff.get_by_text("Stable: no candidate")).to_be_visible()

    staff.get_by_role("link", name="All runs of this cycle").click()
    staff.get_by_role("button", name="Compare").click()
    expect(staff.get_by_role("heading", name="Compare runs")).to_be_visible()
    expect(staff.locator("figure.chart svg")).to_be_visible()

    first_run = PlacementRun.objects.order_by("pk").first()
    staff.goto(f"{live_server.url}/runs/{first_run.pk}/")
    staff.get_by_role("link", name="Publish this run").click()  # The confirmation page says what it does.
    staff.get_by_role("button", name="Publish this run").click()
    expect(staff.get_by_text("is published")).to_be_visible()
    assert Publication.objects.get().run == first_run
    staff.get_by_role("navigation", name="Main").get_by_role("link", name="Results").click()
    expect(staff.locator("table").last).to_contain_text("3012")

    candidate.goto(f"{live_server.url}/dashboard/")
    # A placed candidate is asked to answer the place; an unplaced one just sees the result.
    candidate.get_by_role("link", name=re.compile("Answer your placement|See your placement result")).click()
    expect(candidate.get_by_role("heading", name="Your placement")).to_be_visible()
    mine = Candidate.objects.get(email="candidate@surveyplace.example")
    candidate.goto(f"{live_server.url}/candidates/{mine.pk + 1}/result/")
    expect(candidate.get_by_role("heading", name="Your placement")).to_have_count(0)

    office = _sign_in(browser, live_server, "office@surveyplace.example", staff=True)
    office.get_by_role("link", name="Who was placed here").click()
    expect(office.get_by_role("heading", name="Placed at")).to_be_visible()
