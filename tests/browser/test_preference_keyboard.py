"""The preference list is edited in place by keyboard alone: no reload, no jump, the focus stays with the office."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from core import clock
from placement.models import PreferenceEntry
from placement.services.cycles import exam_cycle_set_deadlines
from placement.services.preferences import preference_list_save
from tests.factories import CandidateFactory, LandOfficeFactory, VacancyFactory, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _saved_order(candidate) -> list[str]:
    return list(PreferenceEntry.objects.filter(preference_list__candidate=candidate)
                .order_by("position").values_list("office__name_en", flat=True))


@pytest.fixture
def ranking(cycle):
    now = clock.now()
    exam_cycle_set_deadlines(cycle=cycle, deadlines={
        "office_profiles_until": now - timedelta(days=3), "submissions_until": now - timedelta(days=2),
        "focus_groups_until": now - timedelta(days=1), "preferences_until": now + timedelta(days=5),
    })
    offices = []
    for number, name in enumerate(["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]):
        office = LandOfficeFactory(name_en=f"{name} Land Office", name=f"{name}地政事務所")
        VacancyFactory(cycle=cycle, office=office, seats=1 + number % 2)
        offices.append(office)
    candidate = CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE))
    preference_list_save(candidate=candidate, office_ids=[office.pk for office in offices[:4]])
    return candidate


def test_moving_removing_and_adding_by_keyboard_keeps_the_place_and_the_focus(live_server, page, browser_session,
                                                                               ranking):
    candidate = ranking
    page.set_viewport_size({"width": 1024, "height": 600})
    browser_session(page, candidate.user, language="en")
    page.goto(f"{live_server.url}/preferences/")
    page.evaluate("() => { window.notReloaded = true; }")

    # Move Alpha down with the keyboard: focus its Down button and press Enter.
    page.get_by_role("button", name="Down Alpha Land Office").focus()
    scrolled = page.evaluate("() => window.scrollY")
    page.keyboard.press("Enter")
    expect(page.locator("#preference-list .pref-name").first).to_have_text("Bravo Land Office")
    assert _saved_order(candidate)[:2] == ["Bravo Land Office", "Alpha Land Office"]
    assert page.evaluate("() => document.activeElement.value") == f"down:{candidate_office(candidate, 'Alpha')}"
    assert page.evaluate("() => window.notReloaded") is True
    # The page stays where it was, moving at most a row to keep the focused button in view.
    assert abs(page.evaluate("() => window.scrollY") - scrolled) < 100
    assert page.evaluate("""() => { const box = document.activeElement.getBoundingClientRect();
                                    return box.top >= -1 && box.bottom <= window.innerHeight + 1; }""")
    # The status region (read out by screen readers) says what changed.
    expect(page.locator("#save-status")).to_have_text("Alpha Land Office is now number 2 on your list.")

    # Space on the focused button moves it again.
    page.keyboard.press("Space")
    expect(page.locator("#preference-list .pref-name").nth(2)).to_have_text("Alpha Land Office")

    # Remove Delta: the focus goes to the remove button now in its row (or the last one), not to the top.
    page.get_by_role("button", name="Remove Delta Land Office").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#preference-list .preference-item")).to_have_count(3)
    expect(page.locator("#save-status")).to_have_text("Delta Land Office is no longer on your list.")
    assert page.evaluate("() => document.activeElement.value").startswith("remove:")

    # Add Echo from the table of offices with vacancies.
    page.get_by_role("button", name="Add Echo Land Office").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#preference-list .preference-item")).to_have_count(4)
    assert _saved_order(candidate)[-1] == "Echo Land Office"
    assert page.evaluate("() => document.activeElement.value").startswith("add:")
    assert page.evaluate("() => window.notReloaded") is True


def candidate_office(candidate, name: str) -> int:
    return PreferenceEntry.objects.get(preference_list__candidate=candidate, office__name_en=f"{name} Land Office"
                                       ).office_id


def test_without_javascript_the_buttons_still_work(live_server, browser, browser_session, ranking):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    browser_session(page, ranking.user, language="en")
    page.goto(f"{live_server.url}/preferences/")
    page.get_by_role("button", name="Down Alpha Land Office").click()
    expect(page.locator("#preference-list .pref-name").first).to_have_text("Bravo Land Office")
    context.close()

