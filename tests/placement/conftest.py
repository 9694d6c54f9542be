"""A small placement cycle built through the real services: offices, vacancies, candidates and their lists."""
from datetime import timedelta

import pytest

from accounts.roles import Role
from core import clock
from placement.services.cycles import exam_cycle_set_deadlines
from placement.services.preferences import preference_list_save
from placement.services.runs import placement_run_start
from tests.factories import CandidateFactory, LandOfficeFactory, VacancyFactory, make_user


class CycleWorld:
    """Three offices (1, 1 and 2 seats), five candidates who ranked them, and ways to move the clock."""

    def __init__(self, cycle):
        self.cycle = cycle
        self.offices = [LandOfficeFactory(county=county) for county in ("臺北市", "臺北市", "高雄市")]
        for office, seats in zip(self.offices, (1, 1, 2), strict=True):
            VacancyFactory(cycle=cycle, office=office, seats=seats)
        self.candidates = [CandidateFactory(cycle=cycle, exam_rank=rank) for rank in range(1, 6)]
        a, b, c = (office.pk for office in self.offices)
        orders = [[a, b], [a, c], [b, a], [a, b, c], [c]]
        for candidate, order in zip(self.candidates, orders, strict=True):
            preference_list_save(candidate=candidate, office_ids=order)

    def close_preferences(self):
        """Set the deadlines in the past, which opens the placement phase."""
        now = clock.now()
        exam_cycle_set_deadlines(cycle=self.cycle, deadlines={
            "office_profiles_until": now - timedelta(days=40), "submissions_until": now - timedelta(days=30),
            "focus_groups_until": now - timedelta(days=20), "preferences_until": now - timedelta(days=1),
        })

    def run(self, *, policy="exam_rank", exam_weight=1, seed=7, user=None, capture=None):
        """Start a run and execute its task (queued on commit)."""
        if capture is None:
            return placement_run_start(cycle=self.cycle, policy=policy, exam_weight=exam_weight,
                                                seed=seed, acting_user=user)
        with capture(execute=True):
            run = placement_run_start(cycle=self.cycle, policy=policy, exam_weight=exam_weight, seed=seed,
                                               acting_user=user)
        run.refresh_from_db()
        return run


@pytest.fixture
def world(cycle):
    return CycleWorld(cycle)


@pytest.fixture
def staff(client):
    """Examination staff, signed in on the test client, reading the site in English."""
    user = make_user(Role.EXAM_STAFF)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return user
