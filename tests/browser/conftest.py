"""Browser journeys: Playwright against Debian's Chromium (see browser_type_launch_args in tests/conftest.py)."""
import pytest

from tests.browser.csp_watch import VIOLATIONS, watch_csp

# A fixture: importing it here is how pytest finds it for every journey.
from tests.browser.youtube_player import youtube_player  # noqa: F401


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def context(context):
    """pytest-playwright's browser context, watched for Content-Security-Policy violations."""
    watch_csp(context)
    return context


@pytest.fixture(autouse=True)
def _no_csp_violations():
    """Fail a journey when any page it opened broke the Content-Security-Policy."""
    VIOLATIONS.clear()
    yield
    assert VIOLATIONS == [], "Content-Security-Policy violations:\n" + "\n".join(VIOLATIONS)
