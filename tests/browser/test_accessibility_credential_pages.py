"""The pages the all-pages walk cannot reach by URL alone pass axe-core's WCAG 2.1 A/AA checks too.

Some pages open only with a credential from an email (an invitation, a password reset), only at a step of signing
in (enrolling an authenticator, the recovery codes, the code and re-authentication prompts), or only once a focus
group is finalised. This test reaches each as its user does, in Traditional Chinese and in English.
"""
import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.models import User
from accounts.roles import Role
from focusgroups.models import FocusGroup
from placement.demo import DEMO_OFFICE_CODE
from placement.models import LandOffice
from tests.browser.journey import settled_totp_code
from tests.browser.test_accessibility import AXE_OPTIONS
from tests.browser.test_accessibility_all_pages import _serious

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PASSWORD = "Closed-traverse-2027"  # nosec B105 - a test account's password.


def _link(email: str, pattern: str) -> str:
    message = next(message for message in reversed(mail.outbox) if email in message.to)
    return re.search(rf"https?://[^/\s]+({pattern}\S*)", message.body).group(1)


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_pages_behind_a_credential_or_a_step_have_no_serious_accessibility_violation(
        live_server, page, browser_session, language):
    """Invitation, password reset, TOTP enrolment, recovery codes, code prompt, re-authentication, finalised group."""
    call_command("load_demo", stdout=io.StringIO())
    office = LandOffice.objects.get(code=DEMO_OFFICE_CODE)
    email = f"new.leader.{language}@example.org"
    account_services.invitation_create(email=email, role=Role.FOCUS_GROUP_LEADER, office=office, invited_by=None)
    axe = Axe()
    checked, problems = [], []

    def check(label: str) -> None:
        checked.append(label)
        problems.extend(f"{label} ({page.url}, {language}): {problem}"
                        for problem in _serious(axe.run(page, options=AXE_OPTIONS)))

    browser_session(page, None, language=language)
    page.set_default_timeout(10_000)
    page.goto(live_server.url + _link(email, "/invitations/accept/"))
    check("invitation")
    page.locator("input[name=name]").fill("新任課長")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("form.card button[type=submit]").click()
    # A new staff account is sent straight to enrol an authenticator.
    page.goto(live_server.url + "/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    check("TOTP enrolment")
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(settled_totp_code(secret))
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/totp/activate/$"))
    check("after enrolment")
    for path, label in (("/accounts/2fa/recovery-codes/", "recovery codes"),
                        ("/accounts/2fa/recovery-codes/generate/", "new recovery codes"),
                        ("/accounts/2fa/", "two-factor overview")):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        check(label)

    # Signing in again asks for the code; a sensitive step later asks to re-authenticate.
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("input[name=code]")).to_be_visible()
    check("code prompt")
    response = page.goto(live_server.url + "/accounts/reauthenticate/")
    assert response.status == 200
    check("re-authentication")

    # A password reset link from the email opens the page that sets a new password.
    user = User.objects.get(email=email)
    browser_session(page, None, language=language)
    page.goto(live_server.url + "/accounts/password/reset/")
    page.locator("input[name=email]").fill(user.email)
    page.locator("main form button[type=submit]").click()
    page.goto(live_server.url + _link(email, "/accounts/password/reset/key/"))
    expect(page.locator("input[name=password1]")).to_be_visible()
    check("new password")

    # The demo's focus group is finalised: its leader reads the results, a candidate's detail and the record.
    group = FocusGroup.objects.get(office=office, state=FocusGroup.State.FINALISED)
    browser_session(page, User.objects.get(email="leader@surveyplace.example"), language=language)
    candidate_id = group.roster.values_list("candidate_id", flat=True).first()
    for path, label in ((f"/focus-groups/{group.pk}/results/", "finalised results"),
                        (f"/focus-groups/{group.pk}/results/{candidate_id}/", "finalised result of a candidate"),
                        (f"/focus-groups/{group.pk}/record/", "printable record")):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        check(label)

    assert len(checked) == 12, checked
    assert problems == [], "\n".join(problems)
