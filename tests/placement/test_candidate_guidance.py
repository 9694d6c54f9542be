"""The candidate's dashboard offers only the steps that can still be taken in the cycle's phase."""
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from core import clock
from placement.services.cycles import exam_cycle_set_deadlines
from tests.factories import CandidateFactory, make_user

DEADLINES = ("office_profiles_until", "submissions_until", "focus_groups_until", "preferences_until")
VIDEOS = "Show your surveying skill"
RANK = "Rank the offices you want"
BROWSE = "Browse the land offices that have vacancies"


def _dashboard_in_phase(cycle, passed: int) -> str:
    """Return the candidate's dashboard after the first `passed` deadlines have gone by."""
    now = clock.now()
    exam_cycle_set_deadlines(cycle=cycle, deadlines={
        field: now + timedelta(days=(index - passed) * 10 + (-1 if index < passed else 5))
        for index, field in enumerate(DEADLINES)
    })
    candidate = CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE))
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(candidate.user)
    return client.get(reverse("dashboard")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("passed", "shown", "hidden"), [
    (1, {VIDEOS, RANK, BROWSE}, set()),          # Submissions open.
    (2, {RANK, BROWSE}, {VIDEOS}),               # Focus groups: the evidence is closed.
    (3, {RANK, BROWSE}, {VIDEOS}),               # Preferences.
    (4, set(), {VIDEOS, RANK, BROWSE}),          # Placement: the lists are final.
])
def test_each_phase_shows_only_what_can_still_be_done(cycle, passed, shown, hidden):
    page = _dashboard_in_phase(cycle, passed)
    assert all(step in page for step in shown), shown
    assert not any(step in page for step in hidden), hidden


@pytest.mark.django_db
def test_the_cycle_timeline_lists_every_phase_it_counts(cycle):
    """"Phase 1 of 6" sits above a timeline of all six phases, the published one included."""
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(make_user(Role.EXAM_STAFF))
    page = client.get(reverse("placement:cycle_detail", kwargs={"pk": cycle.pk})).content.decode()
    timeline = page.split('class="timeline"', 1)[1].split("</ol>", 1)[0]
    assert "of 6" in page and timeline.count("<li>") == 6
