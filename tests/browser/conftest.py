"""Browser journeys: Playwright against Debian's Chromium (see browser_type_launch_args in tests/conftest.py)."""
import pytest

# A fixture: importing it here is how pytest finds it for every journey.
from tests.browser.youtube_player import youtube_player  # noqa: F401


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
