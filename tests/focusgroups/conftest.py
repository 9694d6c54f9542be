"""Fixtures for the focus groups: a group in its focus-group phase with a leader, a member and a rostered candidate.

The rows come from the real services (the group, its member, the candidate's consent, the roster), so each is what
the users' own actions leave. The cycle's submissions are closed, as they are while focus groups evaluate.
"""
import datetime as dt

import pytest
from django.test import Client

from accounts.roles import Role
from core import clock
from focusgroups.services.groups import focus_group_create, member_add, roster_fix, scoring_open
from portfolios.services import portfolio_consent_set
from tests.factories import CandidateFactory, LandOfficeFactory, make_user


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep each test's stored files in its own folder, and keep YouTube links unchecked (no key)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.YOUTUBE_API_KEY = ""
    return settings.MEDIA_ROOT


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run `transaction.on_commit` work (the emails) at the end of a block, as a real commit would."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def fg_cycle(cycle):
    """The current cycle in its focus-group phase: submissions closed a day ago, focus groups end in ten days."""
    now = clock.now()
    cycle.submissions_until = now - dt.timedelta(days=1)
    cycle.focus_groups_until = now + dt.timedelta(days=10)
    cycle.save(update_fields=["submissions_until", "focus_groups_until"])
    return cycle


@pytest.fixture
def fg_office(db):
    return LandOfficeFactory()


@pytest.fixture
def fg_leader(fg_office):
    return make_user(Role.FOCUS_GROUP_LEADER, office=fg_office, name="組長")


@pytest.fixture
def fg_member(fg_office):
    return make_user(Role.FOCUS_GROUP_MEMBER, office=fg_office, name="組員")


@pytest.fixture
def make_fg_candidate(fg_cycle):
    """Return a function making a candidate of the cycle with an account, consenting for the given offices."""
    def make(*offices):
        candidate = CandidateFactory(cycle=fg_cycle, user=make_user(Role.CANDIDATE))
        portfolio_consent_set(candidate=candidate, office_ids=[office.pk for office in offices],
                              acting_user=candidate.user)
        return candidate

    return make


@pytest.fixture
def fg_candidate(make_fg_candidate, fg_office):
    return make_fg_candidate(fg_office)


@pytest.fixture
def fg_group(fg_cycle, fg_office, fg_leader, fg_member, fg_candidate):
    """The office's group with the member added, the candidate on the roster, and scoring open."""
    group = focus_group_create(office=fg_office, cycle=fg_cycle, leader=fg_leader)
    member_add(group=group, email=fg_member.email, acting_user=fg_leader)
    roster_fix(group=group, candidate_ids=[fg_candidate.pk], version=None, acting_user=fg_leader)
    return scoring_open(group=group, version=None, acting_user=fg_leader)


def signed_in(user) -> Client:
    """Return a browser signed in as the user, reading English."""
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client
