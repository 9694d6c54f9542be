"""Fixtures shared by the whole suite: users per role, services, and the report of what the suite ran on."""
import os

import pytest
from django.conf import settings

from tests.factories import make_user

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def pytest_report_header(config):
    database = settings.DATABASES["default"]
    where = database.get("HOST") or database.get("NAME")
    cache = settings.CACHES["default"]
    return [
        f"database: {database['ENGINE'].rsplit('.', 1)[-1]} ({where}, name {database.get('NAME')})",
        f"cache: {cache['BACKEND'].rsplit('.', 1)[-1]} {cache.get('LOCATION', '')}".rstrip(),
        f"celery broker: {settings.CELERY_BROKER_URL} (eager: {settings.CELERY_TASK_ALWAYS_EAGER})",
        f"REQUIRE_SERVICES: {'yes' if REQUIRE_SERVICES else 'no'}",
    ]


def pytest_sessionstart(session):
    if REQUIRE_SERVICES:
        missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
        if missing:
            pytest.exit(f"REQUIRE_SERVICES=1 but {', '.join(missing)} is not set.", returncode=3)


def require_service(reason: str):
    """Skip a test whose service is missing, or fail it when REQUIRE_SERVICES=1 says the service must be there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"Required service is missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters and used TOTP codes live in the cache; each test starts without them.
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def office(db):
    from tests.factories import LandOfficeFactory

    return LandOfficeFactory()


@pytest.fixture
def cycle(db):
    from tests.factories import ExamCycleFactory

    return ExamCycleFactory(is_current=True)


@pytest.fixture
def user_factory(db):
    """Return a function making a user with a role; staff get TOTP unless with_totp=False."""
    return make_user
