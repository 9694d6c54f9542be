"""Cycle phases: deadlines decide the phase, and every role's dashboard shows it."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.roles import Role
from core import clock
from placement.models import Phase
from placement.services.common import PlacementError
from placement.services.cycles import exam_cycle_set_deadlines
from tests.factories import CandidateFactory, ExamCycleFactory, make_user

pytestmark = pytest.mark.django_db
TAIPEI = ZoneInfo("Asia/Taipei")


def _deadlines(start):
    return {
        "office_profiles_until": start + timedelta(days=10), "submissions_until": start + timedelta(days=20),
        "focus_groups_until": start + timedelta(days=30), "preferences_until": start + timedelta(days=40),
    }


def test_the_phase_follows_the_deadlines_and_publishing_ends_the_cycle():
    """Each deadline ends its phase; after the last comes placement, and a publication means published."""
    cycle = ExamCycleFactory(**_deadlines(datetime(2026, 3, 1, 9, tzinfo=TAIPEI)))
    assert cycle.phase_at(datetime(2026, 3, 5, tzinfo=TAIPEI), published=False) == Phase.OFFICE_PROFILES
    assert cycle.phase_at(datetime(2026, 3, 11, 9, tzinfo=TAIPEI), published=False) == Phase.CANDIDATE_SUBMISSIONS
    assert cycle.phase_at(datetime(2026, 3, 25, tzinfo=TAIPEI), published=False) == Phase.FOCUS_GROUPS
    assert cycle.phase_at(datetime(2026, 4, 9, tzinfo=TAIPEI), published=False) == Phase.PREFERENCES
    assert cycle.phase_at(datetime(2026, 4, 10, 9, tzinfo=TAIPEI), published=False) == Phase.PLACEMENT
    assert cycle.phase_at(datetime(2026, 4, 10, 9, tzinfo=TAIPEI), published=True) == Phase.PUBLISHED


def test_a_phase_without_a_deadline_stays_open():
    """A cycle with no deadlines set stays in its first phase."""
    assert ExamCycleFactory().phase_at(clock.now(), published=False) == Phase.OFFICE_PROFILES


def test_deadlines_out_of_order_are_refused(cycle):
    """A deadline before the one of the previous phase is refused and nothing is saved."""
    start = clock.now()
    deadlines = _deadlines(start)
    deadlines["focus_groups_until"] = start
    with pytest.raises(PlacementError):
        exam_cycle_set_deadlines(cycle=cycle, deadlines=deadlines)
    cycle.refresh_from_db()
    assert cycle.office_profiles_until is None


def test_exam_staff_set_deadlines_on_the_cycle_page(client, cycle):
    """Examination staff save the timeline in Taipei time and see the phase it puts the cycle in."""
    client.force_login(make_user(Role.EXAM_STAFF))
    url = reverse("placement:cycle_detail", kwargs={"pk": cycle.pk})
    response = client.post(url, {
        "office_profiles_until": "2026-01-01T09:00", "submissions_until": "2026-02-01T09:00",
        "focus_groups_until": "2026-03-01T09:00", "preferences_until": "2026-04-01T17:00",
    })
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.preferences_until == datetime(2026, 4, 1, 17, tzinfo=TAIPEI)
    client.cookies["django_language"] = "en"
    with clock.frozen_at(datetime(2026, 3, 15, tzinfo=TAIPEI)):
        body = client.get(url).content.decode()
    assert "Phase 4 of 6: Preferences" in body


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.OFFICE_STAFF, Role.FOCUS_GROUP_LEADER,
                                  Role.FOCUS_GROUP_MEMBER, Role.EXAM_STAFF])
def test_every_role_sees_the_current_phase_on_the_dashboard(client, role):
    """The dashboard of each role names the phase of the current cycle."""
    cycle = ExamCycleFactory(is_current=True, **_deadlines(clock.now() - timedelta(days=35)))
    user = make_user(role)
    if role == Role.CANDIDATE:
        CandidateFactory(cycle=cycle, user=user)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("dashboard")).content.decode()
    assert "Phase 4 of 6: Preferences" in body


def test_a_candidate_is_sent_to_the_preference_list_while_it_is_open(client, cycle):
    """During the preference phase the candidate's dashboard links to the list."""
    user = make_user(Role.CANDIDATE)
    CandidateFactory(cycle=cycle, user=user)
    client.force_login(user)
    assert reverse("placement:preference_edit") in client.get(reverse("dashboard")).content.decode()
