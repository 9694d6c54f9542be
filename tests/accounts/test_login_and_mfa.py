"""Signing in: passwords, staff TOTP, rate limits, password reset and closed sign-up."""
import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from tests.factories import TEST_PASSWORD, current_totp_code, make_user

pytestmark = pytest.mark.django_db


def _login(client, email, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_candidate_signs_in_with_email_and_password_and_lands_on_the_dashboard(client):
    """A candidate needs no second factor and lands on the dashboard."""
    make_user(Role.CANDIDATE, email="cand@example.com")
    response = _login(client, "cand@example.com")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 200
    assert "接下來要做的事" in dashboard.content.decode() or "下一步" in dashboard.content.decode()


def test_staff_with_totp_must_enter_the_code_after_the_password(client):
    """After the password, staff are asked for a TOTP code, and only then are signed in."""
    make_user(Role.EXAM_STAFF, email="staff@example.com")
    response = _login(client, "staff@example.com")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("account_login"))
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code()})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_wrong_totp_code_is_refused_with_a_message(client):
    """A wrong code keeps the user signed out and says the code is incorrect, in Traditional Chinese."""
    make_user(Role.OFFICE_STAFF, email="office@example.com")
    _login(client, "office@example.com")
    wrong = "000000" if current_totp_code() != "000000" else "111111"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "不正確的代碼" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_staff_without_totp_are_sent_to_enrol_before_any_staff_page(client):
    """A staff member who has not set up TOTP cannot reach staff pages until they do."""
    user = make_user(Role.EXAM_STAFF, with_totp=False)
    client.force_login(user)
    for name in ("dashboard", "accounts:invitation_list", "offices:discovery"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), name
    # The enrolment page itself is reachable (allauth first asks a force-logged-in session to re-authenticate).
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    assert client.get(reverse("accounts:invitation_list")).status_code == 200


def test_candidates_are_not_forced_to_enrol_totp(client):
    """Candidates may add TOTP but are not required to."""
    client.force_login(make_user(Role.CANDIDATE, with_totp=False))
    assert client.get(reverse("dashboard")).status_code == 200


def test_too_many_failed_logins_lock_the_account_for_a_while(client):
    """After five wrong passwords even the right one is refused with a clear message."""
    make_user(Role.CANDIDATE, email="guess@example.com")
    for _attempt in range(5):
        response = _login(client, "guess@example.com", "wrong-password")
        assert response.status_code == 200
    response = _login(client, "guess@example.com")
    assert response.status_code == 200
    assert "登入嘗試失敗次數過多" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_password_reset_sends_a_link_that_sets_a_new_password(client):
    """Forgotten passwords are reset through an emailed link."""
    user = make_user(Role.CANDIDATE, email="forgot@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "forgot@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/key/" in line).strip()
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else "/" + path
    response = client.post(form_url, {"password1": "New-Survey-Pass-9", "password2": "New-Survey-Pass-9"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("New-Survey-Pass-9")


def test_open_sign_up_is_closed(client):
    """The sign-up page explains that accounts come from invitations and creates nothing."""
    response = client.post(reverse("account_signup"), {
        "email": "walkin@example.com", "password1": "Walk-In-Pass-7", "password2": "Walk-In-Pass-7",
    })
    assert response.status_code == 200
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="walkin@example.com").exists()


def test_google_login_appears_only_when_configured(client, settings):
    """Without GOOGLE_CLIENT_ID the login page offers no Google button."""
    assert "allauth.socialaccount.providers.google" not in settings.INSTALLED_APPS
    assert "Google" not in client.get(reverse("account_login")).content.decode()


def test_google_login_appears_when_both_variables_are_set(tmp_path):
    """With GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET set, the login page offers Google and its URL exists."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    script = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from django.test import Client; from django.urls import reverse;"
        "body = Client().get(reverse('account_login')).content.decode();"
        "print('GOOGLE-BUTTON' if reverse('google_login') in body else 'NO-BUTTON')"
    )
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": f"sqlite:///{tmp_path / 'google.sqlite3'}",
        "GOOGLE_CLIENT_ID": "demo-client.apps.googleusercontent.com", "GOOGLE_CLIENT_SECRET": "not-a-real-secret",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run([sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.stdout.strip().endswith("GOOGLE-BUTTON"), result.stdout + result.stderr


def test_behind_the_load_balancer_one_visitors_failures_lock_out_nobody_else(client, settings):
    """Every request comes from the balancer's address; with the trusted proxy counted, an attacker trying made-up
    emails is limited by their own address, and a user elsewhere signs in with the right password."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    make_user(Role.CANDIDATE, email="honest@example.com")
    balancer = {"REMOTE_ADDR": "10.0.0.2"}
    for attempt in range(31):
        client.post(reverse("account_login"), {"login": f"made-up-{attempt}@example.com", "password": "x"},
                    HTTP_X_FORWARDED_FOR="203.0.113.66", **balancer)
    attacker = client.post(reverse("account_login"), {"login": "made-up-x@example.com", "password": "x"},
                           HTTP_X_FORWARDED_FOR="203.0.113.66", **balancer)
    assert attacker.status_code == 429
    honest = client.post(reverse("account_login"), {"login": "honest@example.com", "password": TEST_PASSWORD},
                         HTTP_X_FORWARDED_FOR="198.51.100.7", **balancer)
    assert honest.status_code == 302 and honest["Location"] == reverse("dashboard")
