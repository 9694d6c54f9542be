"""Sessions are renewed at every sign-in and every change of roles; staff never get in without their TOTP code."""
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from accounts.services import invitation_create, invitation_token, role_grant, role_revoke
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, LandOfficeFactory, current_totp_code, make_user

pytestmark = pytest.mark.django_db


def _anonymous_session(client: Client) -> str:
    """Give the browser a session before it signs in, as a visitor's would have, and return its key."""
    session = client.session
    session["visited"] = True
    session.save()
    return session.session_key


def _password_step(client, email, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _signed_in(client) -> bool:
    return client.get(reverse("dashboard")).status_code == 200


def _with_session_key(key: str) -> Client:
    """Return a browser that presents an old session key, as someone who had learned it would."""
    client = Client()
    client.cookies["sessionid"] = key
    return client


def test_the_session_key_changes_when_a_candidate_signs_in(client):
    """The key a visitor had before the password is worthless afterwards."""
    make_user(Role.CANDIDATE, email="cand@example.com")
    before = _anonymous_session(client)
    assert _password_step(client, "cand@example.com").status_code == 302
    assert _signed_in(client)
    assert client.session.session_key != before
    assert not _signed_in(_with_session_key(before))


def test_the_session_key_changes_at_the_password_and_totp_steps_of_staff(client):
    """Neither the visitor's key nor the key of the half-done sign-in is the signed-in session's key."""
    make_user(Role.OFFICE_STAFF, email="staff@example.com")
    before = _anonymous_session(client)
    assert _password_step(client, "staff@example.com")["Location"] == reverse("mfa_authenticate")
    pending = client.session.session_key
    assert not _signed_in(client)
    assert client.post(reverse("mfa_authenticate"), {"code": current_totp_code()}).status_code == 302
    assert _signed_in(client)
    assert client.session.session_key not in (before, pending)
    assert not _signed_in(_with_session_key(before))
    assert not _signed_in(_with_session_key(pending))


def test_a_staff_role_granted_to_a_signed_in_user_signs_their_sessions_out(client):
    """A candidate's password-only session cannot become a staff session that never gave a TOTP code.

    The candidate signed in without a second factor, then enrolled TOTP elsewhere and was made office staff: the
    old session must sign in again, which now asks for the code.
    """
    user = make_user(Role.CANDIDATE, email="promoted@example.com")
    _password_step(client, "promoted@example.com")
    assert _signed_in(client)
    TOTP.activate(user, TEST_TOTP_SECRET)
    office = LandOfficeFactory()
    role_grant(user=user, role=Role.OFFICE_STAFF, office=office)
    response = client.get(reverse("offices:our_profile"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    # Signing in again goes through the TOTP step.
    assert _password_step(client, "promoted@example.com")["Location"] == reverse("mfa_authenticate")


def test_a_revoked_role_signs_the_users_sessions_out(client):
    """Taking a role away ends the sessions that were signed in with it."""
    office = LandOfficeFactory()
    user = make_user(Role.OFFICE_STAFF, office=office)
    client.force_login(user)
    assert _signed_in(client)
    role_revoke(user=user, role=Role.OFFICE_STAFF, office=office)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_role_change_of_another_user_leaves_ones_own_session_alone(client):
    """The examination staff who grant a role stay signed in."""
    exam_staff = make_user(Role.EXAM_STAFF)
    client.force_login(exam_staff)
    role_grant(user=make_user(Role.CANDIDATE), role=Role.OFFICE_STAFF, office=LandOfficeFactory(),
               granted_by=exam_staff)
    assert _signed_in(client)


def test_a_password_reset_does_not_skip_the_totp_step(client):
    """Staff who reset their password are not signed in by the reset, and signing in still asks for the code."""
    make_user(Role.EXAM_STAFF, email="forgot@example.com")
    client.post(reverse("account_reset_password"), {"email": "forgot@example.com"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/key/" in line).strip()
    response = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": "New-Survey-Pass-9", "password2": "New-Survey-Pass-9"})
    assert response.status_code == 302
    assert not _signed_in(client)
    assert _password_step(client, "forgot@example.com", "New-Survey-Pass-9")["Location"] == reverse(
        "mfa_authenticate")
    assert not _signed_in(client)
    assert client.get(reverse("accounts:invitation_list")).status_code == 302


def test_accepting_a_staff_invitation_reaches_nothing_but_totp_enrolment(client):
    """The new office staff account is signed in by the invitation, and every page sends it to enrol TOTP."""
    office = LandOfficeFactory()
    invitation = invitation_create(email="new.staff@example.com", role=Role.OFFICE_STAFF, invited_by=None,
                                   office=office, send=False)
    response = client.post(reverse("accounts:invitation_accept", kwargs={"token": invitation_token(invitation)}),
                           {"name": "新承辦", "password1": "Fresh-Survey-Pass-3", "password2": "Fresh-Survey-Pass-3"})
    assert response.status_code == 302
    for name in ("dashboard", "offices:our_profile", "practice:question_bank", "media_pipeline:our_videos"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), name


def test_the_reauthentication_pages_do_not_stand_in_for_the_totp_step(client):
    """Half-way through a staff sign-in, the reauthentication pages treat the browser as signed out."""
    make_user(Role.OFFICE_STAFF, email="half@example.com")
    _password_step(client, "half@example.com")
    for name in ("account_reauthenticate", "mfa_reauthenticate"):
        response = client.post(reverse(name), {"password": TEST_PASSWORD})
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login")), name
    assert not _signed_in(client)


def test_staff_without_totp_who_reauthenticate_are_still_sent_to_enrol(client):
    """Confirming the password again does not open any page other than enrolment to staff without TOTP."""
    user = make_user(Role.EXAM_STAFF, with_totp=False)
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302
    for name in ("dashboard", "accounts:invitation_list", "history:log"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), name
