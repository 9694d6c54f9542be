"""Fixtures for the portfolio pages: a candidate of the current cycle, their video, and offices they may rank."""
import pytest

from accounts.roles import Role
from tests.factories import CandidateFactory, make_user


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep each test's stored files in its own folder, and keep YouTube links unchecked (no key)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.YOUTUBE_API_KEY = ""
    return settings.MEDIA_ROOT


@pytest.fixture
def make_candidate(cycle):
    """Return a function making a candidate of the current cycle with an account."""
    return lambda: CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE))


@pytest.fixture
def candidate(make_candidate):
    return make_candidate()


@pytest.fixture
def candidate_client(client, candidate):
    client.force_login(candidate.user)
    client.cookies["django_language"] = "en"
    return client
