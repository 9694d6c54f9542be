"""What the browser journeys share: an English browser of one's own, signing in, and datetime-local values."""
import time

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.csp_watch import watch_csp
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, current_totp_code


def settled_totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    """Return the current TOTP code, first waiting out the last seconds of its 30-second step.

    The server accepts only the current step's code, and a browser needs a moment to send it: a code read in the
    step's last seconds could arrive as the next step's, and the sign-in would fail for no reason of the site's.
    """
    if (left := 30 - time.time() % 30) < 4:
        time.sleep(left + 0.1)
    return current_totp_code(secret)


def local_time(moment) -> str:
    """Return a moment as a datetime-local field takes it, in the site's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def new_page(browser, live_server):
    """Return a page in a browser context of its own that reads the site in English."""
    context = browser.new_context()
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    # A journey in its own context checks the Content-Security-Policy as the shared fixture does (tests/browser).
    watch_csp(context)
    page = context.new_page()
    # A label that is not on the page fails the journey in seconds rather than after Playwright's 30.
    page.set_default_timeout(10_000)
    return page


def sign_in(browser, live_server, user, *, totp: bool):
    """Sign in through the login page, with the authenticator code when the user is staff."""
    page = new_page(browser, live_server)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    if totp:
        page.locator("input[name=code]").fill(settled_totp_code())
        page.get_by_role("main").get_by_role("button").first.click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    return page
