"""A deadline change that reopens an ended phase needs a confirmation and a reason, and says who is affected (#15)."""
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from core import clock
from core.audit import history_list
from placement.models import Phase
from placement.phases import cycle_phase
from placement.services.cycles import exam_cycle_set_deadlines

pytestmark = pytest.mark.django_db
TAIPEI = ZoneInfo("Asia/Taipei")
FIELDS = ("office_profiles_until", "submissions_until", "focus_groups_until", "preferences_until")


@pytest.fixture
def in_preferences(world):
    """The world's cycle in its preference phase: the focus-group deadline passed yesterday."""
    now = clock.now()
    exam_cycle_set_deadlines(cycle=world.cycle, deadlines={
        "office_profiles_until": now - timedelta(days=3), "submissions_until": now - timedelta(days=2),
        "focus_groups_until": now - timedelta(days=1), "preferences_until": now + timedelta(days=5)})
    return world


def _form(cycle, **changes) -> dict:
    """Return the deadline form as the page fills it in, with some fields changed."""
    data = {field: getattr(cycle, field).astimezone(TAIPEI).strftime("%Y-%m-%dT%H:%M") for field in FIELDS}
    return {**data, **changes}


def test_clearing_a_passed_deadline_is_refused_with_the_phase_and_who_is_affected(client, staff, in_preferences):
    """Blanking the passed focus-group deadline saves nothing and says what it would reopen, for how many."""
    cycle = in_preferences.cycle
    url = reverse("placement:cycle_detail", kwargs={"pk": cycle.pk})
    response = client.post(url, _form(cycle, focus_groups_until=""))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Deadlines saved." not in body
    assert "from the “Preferences” phase back to the “Focus groups” phase" in body
    assert "5 candidates&#x27; preference phase would close again" in body
    cycle.refresh_from_db()
    assert cycle.focus_groups_until is not None and cycle_phase(cycle) == Phase.PREFERENCES
    assert not history_list(event_prefix="exam_cycle.phase_reopened").exists()


def test_a_confirmation_without_a_reason_is_refused(client, staff, in_preferences):
    cycle = in_preferences.cycle
    url = reverse("placement:cycle_detail", kwargs={"pk": cycle.pk})
    client.post(url, _form(cycle, focus_groups_until="", confirm="on", reason="  "))
    cycle.refresh_from_db()
    assert cycle.focus_groups_until is not None


def test_a_confirmed_reopening_with_a_reason_is_saved_and_audited(client, staff, in_preferences):
    """Confirmed with a reason, the phase reopens, the page says so, and the history keeps who, why and old → new."""
    cycle = in_preferences.cycle
    url = reverse("placement:cycle_detail", kwargs={"pk": cycle.pk})
    response = client.post(url, _form(cycle, focus_groups_until="", confirm="on",
                                      reason="Two focus groups need another week."), follow=True)
    assert "The cycle is back in the “Focus groups” phase" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.focus_groups_until is None and cycle_phase(cycle) == Phase.FOCUS_GROUPS
    [entry] = history_list(event_prefix="exam_cycle.phase_reopened")
    assert entry.actor == staff
    assert entry.changes["phase"] == [Phase.PREFERENCES, Phase.FOCUS_GROUPS]
    assert entry.additional_data["reason"] == "Two focus groups need another week."


def test_moving_a_passed_preference_deadline_later_needs_the_confirmation_too(client, staff, world):
    """After the preference deadline, moving it later reopens the lists: refused unless confirmed."""
    world.close_preferences()
    cycle = world.cycle
    url = reverse("placement:cycle_detail", kwargs={"pk": cycle.pk})
    later = (clock.now() + timedelta(days=3)).astimezone(TAIPEI).strftime("%Y-%m-%dT%H:%M")
    body = client.post(url, _form(cycle, preferences_until=later)).content.decode()
    assert "back to the “Preferences” phase" in body and "5 candidates could change their preference lists" in body
    cycle.refresh_from_db()
    assert cycle_phase(cycle) == Phase.PLACEMENT


def test_a_change_that_keeps_or_moves_the_phase_on_needs_no_confirmation(client, staff, in_preferences):
    cycle = in_preferences.cycle
    url = reverse("placement:cycle_detail", kwargs={"pk": cycle.pk})
    later = (clock.now() + timedelta(days=9)).astimezone(TAIPEI).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, _form(cycle, preferences_until=later))
    assert response.status_code == 302
    assert not history_list(event_prefix="exam_cycle.phase_reopened").exists()
