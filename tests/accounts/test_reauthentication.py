"""Confirming it is really you before a sensitive change: by password, by an emailed code, or by the authenticator.

allauth asks for this before TOTP is turned on or off and before recovery codes are shown. Since 65.22 it can send
a code to the user's verified email address instead of asking for the password.
"""
import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from tests.factories import current_totp_code, make_user

pytestmark = pytest.mark.django_db

REQUEST_CODE = reverse("account_request_reauthentication_code")
CONFIRM_CODE = reverse("account_confirm_reauthentication_code")


def _emailed_code() -> str:
    """Return the sign-in code from the last email sent."""
    body = mail.outbox[-1].body
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(1)


def _ways_to_confirm(client, protected_url: str) -> str:
    """Open a protected page, check it asks to confirm by password first, and return that page's HTML."""
    gate = client.get(protected_url)
    assert gate.status_code == 302 and gate["Location"].startswith(reverse("account_reauthenticate"))
    return client.get(gate["Location"]).content.decode()


def _reauthenticate_by_code(client, email: str, next_url: str):
    """Ask for a code for next_url, read it from the email, and return the answer to entering it."""
    page = client.get(REQUEST_CODE, {"next": next_url})
    assert page.status_code == 200
    assert email in page.content.decode()
    response = client.post(REQUEST_CODE, {"recipient": email, "next": next_url})
    assert response.status_code == 302 and response["Location"].startswith(CONFIRM_CODE)
    assert mail.outbox[-1].to == [email]
    return client.post(response["Location"], {"code": _emailed_code(), "next": next_url})


def test_a_signed_in_candidate_confirms_by_an_emailed_code_and_reaches_the_protected_page(client):
    """A candidate turning on TOTP is asked to confirm, chooses a code, and lands on the page they asked for."""
    client.force_login(make_user(Role.CANDIDATE, email="cand@example.com"))
    activate = reverse("mfa_activate_totp")
    # The password page offers the code as another way, in Traditional Chinese.
    alternatives = _ways_to_confirm(client, activate)
    assert REQUEST_CODE in alternatives and "寄給我登入代碼" in alternatives

    response = _reauthenticate_by_code(client, "cand@example.com", activate)
    assert response.status_code == 302 and response["Location"] == activate
    assert client.get(activate).status_code == 200


def test_a_wrong_emailed_code_is_refused_and_the_page_stays_protected(client):
    """A wrong code keeps the protected page closed and says the code is incorrect."""
    client.force_login(make_user(Role.CANDIDATE, email="wrong@example.com"))
    activate = reverse("mfa_activate_totp")
    client.post(REQUEST_CODE, {"recipient": "wrong@example.com", "next": activate})
    wrong = "AAAA-AAAA" if _emailed_code() != "AAAA-AAAA" else "BBBB-BBBB"
    response = client.post(CONFIRM_CODE, {"code": wrong, "next": activate})
    assert response.status_code == 200
    assert "不正確的代碼" in response.content.decode()
    assert client.get(activate)["Location"].startswith(reverse("account_reauthenticate"))


def test_a_code_can_go_only_to_the_users_own_verified_address(client):
    """Asking for a code to someone else's address sends nothing."""
    make_user(Role.CANDIDATE, email="victim@example.com")
    client.force_login(make_user(Role.CANDIDATE, email="attacker@example.com"))
    response = client.post(REQUEST_CODE, {"recipient": "victim@example.com"})
    assert response.status_code == 200
    assert mail.outbox == []


def test_confirming_without_having_asked_for_a_code_goes_back_to_asking(client):
    """The confirmation page without a pending code sends the user to request one."""
    client.force_login(make_user(Role.CANDIDATE))
    response = client.get(CONFIRM_CODE)
    assert response.status_code == 302 and response["Location"].startswith(REQUEST_CODE)


def test_staff_with_totp_confirm_by_an_emailed_code_or_by_the_authenticator(client):
    """Staff who use TOTP may confirm by the authenticator or by an emailed code before seeing recovery codes."""
    user = make_user(Role.EXAM_STAFF, email="staff@example.com")
    client.force_login(user)
    recovery = reverse("mfa_generate_recovery_codes")
    alternatives = _ways_to_confirm(client, recovery)
    assert REQUEST_CODE in alternatives and reverse("mfa_reauthenticate") in alternatives

    response = _reauthenticate_by_code(client, "staff@example.com", recovery)
    assert response.status_code == 302 and response["Location"] == recovery
    assert client.get(recovery).status_code == 200

    # The same holds through the authenticator, in a fresh session.
    client.logout()
    client.force_login(user)
    assert client.get(recovery).status_code == 302
    response = client.post(reverse("mfa_reauthenticate"), {"code": current_totp_code(), "next": recovery})
    assert response.status_code == 302 and response["Location"] == recovery
    assert client.get(recovery).status_code == 200


def test_staff_enrolling_totp_may_confirm_by_an_emailed_code(client):
    """The staff enrolment gate lets the code pages through, so a staff member without TOTP can enrol that way."""
    client.force_login(make_user(Role.OFFICE_STAFF, email="new-staff@example.com", with_totp=False))
    activate = reverse("mfa_activate_totp")
    assert client.get(reverse("dashboard"))["Location"] == activate
    response = _reauthenticate_by_code(client, "new-staff@example.com", activate)
    assert response.status_code == 302 and response["Location"] == activate
    assert client.get(activate).status_code == 200
