"""Browser journey: a candidate filters offices by distance, compares two, and adds one to the preference list."""
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from placement.models import PreferenceEntry
from tests.factories import CandidateFactory, ExamCycleFactory, make_user
from tests.offices.test_discovery import _office_at, _publish
from tests.offices.test_discovery_geo import HSINCHU_STATION, KAOHSIUNG_85_SKY_TOWER, TAIPEI_101, TAIPEI_MAIN_STATION

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_candidate_finds_compares_and_adds_an_office(live_server, page, browser_session):
    """Without any script: filter by distance, tick two offices, compare them, add one from the comparison."""
    cycle = ExamCycleFactory(is_current=True)
    user = make_user(Role.CANDIDATE)
    latitude, longitude = (Decimal(str(value)) for value in TAIPEI_MAIN_STATION)
    candidate = CandidateFactory(cycle=cycle, user=user, residence_latitude=latitude, residence_longitude=longitude)
    for place, code, name in ((TAIPEI_101, "TPE-XINYI", "Xinyi Land Office"),
                              (HSINCHU_STATION, "HSZ-HSINCHU", "Hsinchu Land Office"),
                              (KAOHSIUNG_85_SKY_TOWER, "KHH-XINXING", "Xinxing Land Office")):
        _publish(_office_at(place, cycle=cycle, code=code, name_en=name))
    browser_session(page, user)

    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Land offices").click()
    page.get_by_label("At most this far from where you live (km)").fill("100")
    page.get_by_label("Sort by").select_option("distance")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="2 land offices")).to_be_visible()
    expect(page.get_by_role("link", name="Xinxing Land Office")).to_have_count(0)  # Neither listed nor on the map.
    expect(page.locator(".office-map a")).to_have_count(2)
    page.get_by_label("Compare Xinyi Land Office").check()
    page.get_by_label("Compare Hsinchu Land Office").check()
    page.get_by_role("button", name="Compare the ticked offices").click()

    expect(page.get_by_role("heading", name="Compare land offices")).to_be_visible()
    headers = page.locator("table.comparison thead th")
    expect(headers).to_have_text(["Fact", "Xinyi Land Office", "Hsinchu Land Office"])
    page.get_by_role("button", name="Add to my preference list Hsinchu Land Office").click()
    expect(page.get_by_text("Hsinchu Land Office is now number 1 on your preference list.")).to_be_visible()
    assert list(PreferenceEntry.objects.filter(preference_list__candidate=candidate)
                .values_list("office__code", flat=True)) == ["HSZ-HSINCHU"]
