"""Fixtures shared by the whole suite: users per role, services, and the report of what the suite ran on."""
import os
from typing import NamedTuple

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext

from tests.factories import make_user

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
# Playwright drives Debian's Chromium, never a downloaded browser. The flags keep it off the network it cannot
# reach here and quiet in CI.
CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium for every Playwright test, or skip (fail under REQUIRE_SERVICES) without it."""
    import shutil

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        require_service(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API keeps an event loop in the test thread for the rest of the session, so Django's
    # async-safety guard would refuse the ORM calls of live-server tests and of every test after them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def browser_session(live_server):
    """Return a function that signs a Playwright page in as a user (None: anonymous) in a language."""
    def sign_in(page, user=None, *, language="en"):
        from django.test import Client

        page.context.clear_cookies()
        cookies = [{"name": "django_language", "value": language, "url": live_server.url}]
        if user is not None:
            # A forced login skips the password and TOTP steps; the journeys that test those steps type them.
            client = Client()
            client.force_login(user)
            cookies.append({"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url})
        page.context.add_cookies(cookies)
        return page

    return sign_in


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


class QueriedPage(NamedTuple):
    count: int  # Database queries one GET of the page cost.
    response: HttpResponse


@pytest.fixture
def page_queries():
    """Return a function that GETs a page as a client, checks it answers 200 and counts its database queries.

    List pages pin the exact count, and pin it again after the list grows, so a query per row cannot creep in.
    """
    def get(client, url: str, data: dict | None = None) -> QueriedPage:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, data)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        return QueriedPage(len(queries), response)

    return get
