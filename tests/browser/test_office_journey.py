"""Browser journey of issue #10: an office publishes what its work is like, a candidate shows theirs and chooses.

Set SCREENSHOTS=1 to write the README's screenshots to docs/screenshots/; a normal run leaves the tree alone.
"""
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from placement.models import PreferenceEntry
from tests.browser.screenshots import screenshot
from tests.factories import (
    CandidateFactory,
    ExamCycleFactory,
    LandOfficeFactory,
    VacancyFactory,
    make_office_profile,
    make_user,
)
from tests.media_pipeline.factories import youtube_link
from tests.offices.test_discovery_geo import HSINCHU_STATION, KAOHSIUNG_85_SKY_TOWER, TAIPEI_101, TAIPEI_MAIN_STATION

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

def _office_at(place, *, cycle, code: str, name_en: str, district: str):
    latitude, longitude = (Decimal(str(value)) for value in place)
    # English names, so that the screenshots read in a browser without CJK fonts.
    office = LandOfficeFactory(code=code, name_en=name_en, district=district, latitude=latitude, longitude=longitude)
    VacancyFactory(cycle=cycle, office=office, seats=2)
    return office


def _fill_profile(page, place) -> None:
    latitude, longitude = place
    page.get_by_label("Average field-survey distance (km)").fill("18.5")
    page.get_by_label("Digitized cadastral area (%)").fill("80")
    page.get_by_label("Graphical cadastral area (%)").fill("20")
    page.get_by_label("Flat land (%)").fill("65")
    page.get_by_label("Mountain land (%)").fill("35")
    page.get_by_label("Typical field conditions:").fill("市區巷弄狹窄，測站常需借用騎樓。")
    page.get_by_label("Typical field conditions (English)").fill("Narrow city lanes; stations often sit in arcades.")
    page.get_by_label("Communication and coordination expected:").fill("會同里長與地主現場指界。")
    page.get_by_label("Communication and coordination expected (English)").fill(
        "Boundary pointing with the village chief and the owners on site.")
    page.get_by_label("Professional abilities needed:").fill("導線測量與地籍圖重測。")
    page.get_by_label("Professional abilities needed (English)").fill("Traverse surveys and cadastral re-surveys.")
    page.get_by_label("Organisational culture and local customs:").fill("重視團隊合作。")
    page.get_by_label("Organisational culture and local customs (English)").fill("Teamwork comes first.")
    page.get_by_label("Work address").fill("No. 7, Sec. 5, Xinyi Rd., Taipei")
    page.get_by_label("Latitude").fill(str(latitude))
    page.get_by_label("Longitude").fill(str(longitude))
    page.get_by_label("Contact name").fill("Lin Mei-hua")
    page.get_by_label("Contact phone").fill("02-2720-0000")
    page.get_by_label("Contact email").fill("survey@xinyi.example.gov.tw")


def _add_instrument(page, kind: str, count: int) -> None:
    # The formset offers one empty row; its fields are the last of the table.
    instruments = page.get_by_role("region", name="Instruments in use")
    instruments.get_by_label("Kind").last.select_option(kind)
    instruments.get_by_label("Count").last.fill(str(count))


def _add_question(page, text: str, choices: list[str], right: str, explanation: str) -> None:
    page.get_by_role("link", name="Add a question").click()
    page.get_by_label("Category").select_option("cadastral_survey")
    page.get_by_label("Question").fill(text)
    for letter, choice in zip("ABCDEF", choices, strict=False):
        page.get_by_label(f"Choice {letter}").fill(choice)
    page.locator(f"input[name=right][value={right}]").check()
    page.get_by_label("Explanation").fill(explanation)
    page.get_by_role("button", name="Save").click()


def test_an_office_publishes_and_a_candidate_shows_compares_practises_and_chooses(live_server, page, browser_session):
    """Staff publish a profile and a bank; a candidate describes, consents, filters, compares, practises, adds."""
    cycle = ExamCycleFactory(is_current=True, name="2026 Surveying exam")
    office_a = _office_at(TAIPEI_101, cycle=cycle, code="TPE-XINYI", name_en="Xinyi Land Office",
                          district="Xinyi")
    office_b = _office_at(HSINCHU_STATION, cycle=cycle, code="HSZ-HSINCHU", name_en="Hsinchu Land Office",
                          district="East")
    far_office = _office_at(KAOHSIUNG_85_SKY_TOWER, cycle=cycle, code="KHH-XINXING", name_en="Xinxing Land Office",
                            district="Xinxing")
    for office in (office_b, far_office):
        make_office_profile(office, published=True, latitude=office.latitude, longitude=office.longitude,
                            field_conditions_en="Hilly fringes; afternoon thunderstorms in summer.",
                            work_address="No. 1, Survey Rd.", contact_name="Wang Chih-ming")
    staff = make_user(Role.OFFICE_STAFF, office=office_a)
    candidate_user = make_user(Role.CANDIDATE)
    latitude, longitude = (Decimal(str(value)) for value in TAIPEI_MAIN_STATION)
    candidate = CandidateFactory(cycle=cycle, user=candidate_user, name="Chen Wei-ting",
                                 residence_latitude=latitude, residence_longitude=longitude)
    video = youtube_link(candidate=candidate, title="Traverse at Xinyi", state="verified")

    # A label that is not on the page fails the journey in seconds rather than after Playwright's 30.
    page.set_default_timeout(10_000)

    # 1. Office staff fill in, save and publish their profile.
    browser_session(page, staff)
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Our office profile").click()
    _fill_profile(page, TAIPEI_101)
    resurvey = page.get_by_role("region", name="Annual re-survey projects")
    resurvey.get_by_label("Year").fill("2024")
    resurvey.get_by_label("Area (hectares)").fill("85.5")
    resurvey.get_by_label("Number of parcels").fill("1200")
    _add_instrument(page, "total_station", 4)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()
    _add_instrument(page, "gnss_rtk", 2)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".badge", has_text="Published")).to_be_visible()
    page.get_by_role("link", name="Page for exam passers").click()
    expect(page).to_have_url(f"{live_server.url}/o/TPE-XINYI/")

    # ... and write two questions and a practical task in their question bank.
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Question bank").click()
    expect(page).to_have_url(f"{live_server.url}/practice/bank/TPE-XINYI/")
    _add_question(page, "地籍圖重測的法源為何？", ["土地法第46條之1", "民法第767條"], "A",
                  "土地法第46條之1規定地籍圖重測。")
    _add_question(page, "導線測量閉合差應如何處理？", ["依距離比例分配", "全部加在最後一邊"], "A",
                  "閉合差依各邊長比例分配。")
    page.get_by_role("link", name="Add a practical task").click()
    page.get_by_label("Category").select_option("traverse_levelling")
    page.get_by_label("Title").fill("閉合導線計算")
    page.get_by_label("Instructions").fill("依附檔觀測值計算各點坐標。")
    page.get_by_label("What a good answer shows").fill("閉合差在容許範圍內，坐標計算正確。")
    page.get_by_role("button", name="Save").click()
    questions = page.get_by_role("table", name="Multiple-choice questions").locator("tbody tr")
    expect(questions).to_have_count(2)
    expect(questions.nth(0)).to_contain_text("地籍圖重測的法源為何？")
    expect(questions.nth(1)).to_contain_text("導線測量閉合差應如何處理？")
    expect(page.get_by_role("region", name="Practical tasks").get_by_text("閉合導線計算")).to_be_visible()

    # Anyone may read the published profile at the office's short address, without signing in.
    browser_session(page)
    page.goto(f"{live_server.url}/o/TPE-XINYI/")
    expect(page.get_by_role("heading", name="Xinyi Land Office")).to_be_visible()
    expect(page.get_by_text("GNSS/RTK receiver × 2")).to_be_visible()
    expect(page.get_by_text("Teamwork comes first.")).to_be_visible()
    screenshot(page, "public-profile")

    # 2. The candidate describes a video step by step and previews the portfolio.
    browser_session(page, candidate_user)
    page.goto(f"{live_server.url}/portfolio/")
    page.get_by_role("link", name=video.title).click()
    page.get_by_label("Terrain").select_option("urban")
    page.get_by_label("Instrument make").fill("Topcon")
    page.get_by_label("Instrument model").fill("GM-105")
    page.get_by_label("Weather").fill("Sunny")
    page.get_by_label("What the video shows").fill("A closed traverse around a city block.")
    steps = ["Centre and level the total station over the mark.", "Measure the back-sight and fore-sight."]
    for number, step in enumerate(steps):
        page.get_by_label("Step:").nth(number).fill(step)
        page.get_by_label("Time in the video").nth(number).fill(f"0:{number * 30 + 10:02d}")
    page.get_by_role("button", name="Save the description").click()
    page.goto(f"{live_server.url}/portfolio/")
    page.get_by_label("Summary of your portfolio").fill("Five years of traverse and levelling work in Taipei.")
    page.get_by_role("button", name="Save the summary").click()
    expect(page.get_by_text("Described", exact=True)).to_be_visible()
    page.goto(f"{live_server.url}/portfolio/preview/")
    procedure = page.locator("ol.procedure li")
    expect(procedure).to_have_count(2)
    expect(procedure.nth(0)).to_contain_text(steps[0])
    expect(procedure.nth(1)).to_contain_text(steps[1])
    screenshot(page, "portfolio-preview")

    # Consent for two offices.
    page.goto(f"{live_server.url}/portfolio/consent/")
    page.get_by_label("Xinyi Land Office").check()
    page.get_by_label("Hsinchu Land Office").check()
    page.get_by_role("button", name="Save my choice").click()
    holders = page.get_by_role("table", name="Offices that may see your portfolio")
    expect(holders.locator("tbody tr td:first-child")).to_have_text(["Xinyi Land Office", "Hsinchu Land Office"],
                                                                    ignore_case=True)

    # Filter offices by distance: the Kaohsiung office is too far.
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Land offices").click()
    page.get_by_label("At most this far from where you live (km)").fill("100")
    page.get_by_label("Sort by").select_option("distance")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="2 land offices")).to_be_visible()
    expect(page.get_by_role("link", name="Xinxing Land Office")).to_have_count(0)
    expect(page.locator(".office-map a")).to_have_count(2)
    screenshot(page, "discovery-map")

    # Compare the two near offices.
    page.get_by_label("Compare Xinyi Land Office").check()
    page.get_by_label("Compare Hsinchu Land Office").check()
    page.get_by_role("button", name="Compare the ticked offices").click()
    expect(page.get_by_role("heading", name="Compare land offices")).to_be_visible()
    expect(page.locator("table.comparison thead th")).to_have_text(["Fact", "Xinyi Land Office",
                                                                    "Hsinchu Land Office"])
    screenshot(page, "comparison")
    comparison_url = page.url

    # Take office A's practice set: one right answer, one wrong.
    page.goto(f"{live_server.url}/practice/offices/TPE-XINYI/")
    page.get_by_role("button", name="Start an attempt").click()
    page.get_by_role("group", name="地籍圖重測的法源為何").get_by_label("土地法第46條之1").check()
    page.get_by_role("group", name="導線測量閉合差應如何處理").get_by_label("全部加在最後一邊").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Score: 1 of 2 right")).to_be_visible()
    expect(page.get_by_text("閉合差依各邊長比例分配。")).to_be_visible()

    # Add office A to the preference list from the comparison.
    page.goto(comparison_url)
    page.get_by_role("button", name="Add to my preference list Xinyi Land Office").click()
    expect(page.get_by_text("Xinyi Land Office is now number 1 on your preference list.")).to_be_visible()
    assert list(PreferenceEntry.objects.filter(preference_list__candidate=candidate)
                .values_list("office__code", flat=True)) == ["TPE-XINYI"]
