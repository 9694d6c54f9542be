"""Signing in while Redis, which holds the rate limits and used TOTP codes, cannot be reached.

The cache points at a closed port on loopback, so every cache call meets a real refused connection.
"""
import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import TEST_PASSWORD, current_totp_code, make_user

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
}
UNAVAILABLE = "Sign-in is briefly unavailable; try again in a few minutes."


@pytest.fixture
def redis_down(settings):
    """Point the cache at a loopback port where nothing listens."""
    settings.CACHES = UNREACHABLE_REDIS


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def _login(client, email, password=TEST_PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password, **extra})


def test_a_sign_in_while_redis_is_down_answers_503_on_the_sign_in_page_and_signs_nobody_in(english, redis_down):
    """The right password gets the sign-in page again with a message and status 503, and no session."""
    make_user(Role.CANDIDATE, email="cand@example.com")
    response = _login(english, "cand@example.com", next="/practice/")
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.content.decode()
    assert UNAVAILABLE in body
    # The sign-in form is there again with the email kept, the password not, and where to go next.
    assert 'name="password"' in body and 'value="cand@example.com"' in body and TEST_PASSWORD not in body
    assert 'name="next" value="/practice/"' in body
    assert english.get(reverse("dashboard"))["Location"].startswith(reverse("account_login"))


def test_rate_limits_fail_closed_while_redis_is_down(english, redis_down):
    """With nothing to count attempts in, no attempt is checked: guesses get the same 503 as the right password."""
    make_user(Role.CANDIDATE, email="guess@example.com")
    for attempt in range(12):
        response = _login(english, "guess@example.com", f"wrong-password-{attempt}")
        assert response.status_code == 503, attempt
        assert UNAVAILABLE in response.content.decode()
    assert _login(english, "guess@example.com").status_code == 503
    assert english.get(reverse("dashboard")).status_code == 302


def test_the_message_is_in_traditional_chinese_by_default(client, redis_down):
    """Without a language choice the page is the Traditional Chinese sign-in page."""
    make_user(Role.CANDIDATE, email="zh@example.com")
    response = _login(client, "zh@example.com")
    assert response.status_code == 503
    assert response["Content-Language"] == "zh-hant"
    body = response.content.decode()
    assert '<html lang="zh-Hant-TW">' in body and 'role="alert"' in body and 'name="password"' in body


def test_the_totp_step_answers_503_while_redis_is_down_and_works_once_it_is_back(english, settings):
    """A code entered while Redis is down (it records used codes) signs nobody in; the same step works later."""
    make_user(Role.EXAM_STAFF, email="staff@example.com")
    assert _login(english, "staff@example.com")["Location"] == reverse("mfa_authenticate")
    healthy = settings.CACHES
    settings.CACHES = UNREACHABLE_REDIS
    response = english.post(reverse("mfa_authenticate"), {"code": current_totp_code()})
    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()
    assert english.get(reverse("dashboard")).status_code == 302
    settings.CACHES = healthy
    response = english.post(reverse("mfa_authenticate"), {"code": current_totp_code()})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_pages_that_need_no_cache_keep_working_while_redis_is_down(english, redis_down):
    """The home page, the sign-in page itself and a signed-in page answer 200 with Redis down."""
    assert english.get(reverse("home")).status_code == 200
    assert english.get(reverse("account_login")).status_code == 200
    english.force_login(make_user(Role.CANDIDATE))
    assert english.get(reverse("dashboard")).status_code == 200
