"""The Content-Security-Policy is enforced by the browser, and the journeys' watch sees what it blocks."""
import pytest

from tests.browser.csp_watch import VIOLATIONS


@pytest.mark.django_db(transaction=True)
def test_an_injected_inline_script_does_not_run_and_is_reported(live_server, page):
    """Markup that slipped past escaping cannot run a script: the browser refuses it and reports it."""
    page.goto(f"{live_server.url}/")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "document.body.dataset.injected = 'ran';";
        document.body.appendChild(script);
    }""")
    page.wait_for_function("() => true")
    assert page.evaluate("() => document.body.dataset.injected") is None
    page.wait_for_timeout(200)
    blocked = [violation for violation in VIOLATIONS if violation.startswith("script-src")]
    assert blocked and "inline" in blocked[0]
    # The journey's own check would fail this test on the expected violation; this one is the point of the test.
    VIOLATIONS.clear()
