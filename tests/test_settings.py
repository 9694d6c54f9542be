"""Production settings pass Django's deployment checks, and services are the ones CI asks for."""
import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.conftest import REQUIRE_SERVICES, require_service

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a" * 20 + "-production-only-secret-for-the-check-" + "z" * 20,
    "DJANGO_ALLOWED_HOSTS": "surveyplace.example.tw",
    "DATABASE_URL": "postgres://surveyplace@db.internal:5432/surveyplace",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.tw:587",
    "SITE_URL": "https://surveyplace.example.tw",
    "MFA_ENCRYPTION_KEYS": "cHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHA=",
}


# Variables of the test run that a production process would not have.
TEST_ONLY_VARIABLES = ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")


def _manage(*args, env):
    inherited = {key: value for key, value in os.environ.items() if key not in TEST_ONLY_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120,
        env=inherited | env,
    )


def test_production_settings_pass_the_deployment_checklist():
    """`check --deploy --fail-level WARNING` is clean under production settings."""
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("missing", "error"), [
    ("EMAIL_URL", "core.E010"), ("REDIS_URL", "core.E011"), ("SITE_URL", "core.E013"),
])
def test_the_deployment_check_refuses_console_mail_a_per_process_cache_and_a_local_site_url(missing, error):
    """Without a real mail server, a shared Redis (which is also the broker) or the public https address,
    `check --deploy` fails and says which."""
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0 and error in result.stderr, result.stdout + result.stderr
    if missing == "REDIS_URL":
        assert "core.E012" in result.stderr  # No broker either: tasks would run inside requests.


def test_an_http_site_url_fails_the_deployment_check():
    result = _manage("check", "--deploy", env=PRODUCTION_ENV | {"SITE_URL": "http://surveyplace.example.tw"})
    assert result.returncode != 0 and "core.E013" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    """Production never falls back to a built-in key."""
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "DJANGO_SECRET_KEY"}
    env["DJANGO_SECRET_KEY"] = ""
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_the_suite_uses_postgresql_when_services_are_required():
    """With REQUIRE_SERVICES=1 the database is PostgreSQL, as in production."""
    from django.db import connection

    if connection.vendor != "postgresql":
        require_service("PostgreSQL (set DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        assert "PostgreSQL" in cursor.fetchone()[0]


def test_the_cache_is_redis_and_shared_when_services_are_required():
    """Rate limits need a cache every web process shares: Redis when REDIS_URL is set."""
    from django.core.cache import cache

    if not settings.REDIS_URL:
        require_service("Redis (set REDIS_URL)")
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("surveyplace-probe", "ok", 5)
    import redis

    assert redis.Redis.from_url(settings.REDIS_URL).get(":1:surveyplace-probe") is not None


def test_required_services_setting_follows_the_environment():
    """REQUIRE_SERVICES in the environment is what the suite reports."""
    assert settings.REQUIRE_SERVICES == REQUIRE_SERVICES


def test_a_variable_set_to_nothing_counts_as_unset(tmp_path):
    """`DATABASE_URL=`, `REDIS_URL=`, `AWS_STORAGE_BUCKET_NAME=` … give the defaults, not a broken configuration."""
    script = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.STORAGES['default']['BACKEND'],"
        " s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, s.MEDIA_MAX_UPLOAD_BYTES, s.SITE_URL)"
    )
    empty = ("DATABASE_URL", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER",
             "EMAIL_URL", "MEDIA_MAX_UPLOAD_BYTES", "SITE_URL", "DJANGO_LOG_LEVEL", "YOUTUBE_API_KEY")
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY_VARIABLES}
    env |= {name: "" for name in empty} | {"DJANGO_SETTINGS_MODULE": "config.settings.local", "MEDIA_ROOT": ""}
    result = subprocess.run([sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3", "django.core.cache.backends.locmem.LocMemCache",
        "django.core.files.storage.FileSystemStorage", "memory://", "True",
        "django.core.mail.backends.console.EmailBackend", str(2 * 1024**3), "http://127.0.0.1:8000",
    ]


def test_a_required_variable_set_to_nothing_is_reported_as_missing():
    """An empty DJANGO_ALLOWED_HOSTS in production is named as the variable to set."""
    env = PRODUCTION_ENV | {"DJANGO_ALLOWED_HOSTS": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "Set the DJANGO_ALLOWED_HOSTS environment variable" in result.stderr


def test_production_counts_the_load_balancer_as_a_trusted_proxy():
    """Behind the README's load balancer, rate limits must see each visitor's address, not the balancer's."""
    result = _manage("shell", "-c", "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)",
                     env=PRODUCTION_ENV)
    assert result.returncode == 0 and result.stdout.strip().splitlines()[-1] == "1", result.stdout + result.stderr


def test_production_logs_carry_no_tokens_keys_or_national_id_numbers():
    """A log line that holds a reset link, an invitation link, an API key, a password or a national ID number
    reaches the production log with each of them replaced, whatever the logger."""
    secrets = ["k9f3-reset-key", "Invite.Token:abc", "AIzaSyFAKEKEY123", "hunter2pass", "A123456789", "F812345678"]
    line = ("GET /accounts/password/reset/key/3-k9f3-reset-key/ /invitations/accept/Invite.Token:abc/ "
            "https://www.googleapis.com/youtube/v3/videos?key=AIzaSyFAKEKEY123&password=hunter2pass "
            "candidate A123456789 resident F812345678 exam 30124641")
    script = f"import logging; logging.getLogger('surveyplace.probe').warning({line!r})"
    result = _manage("shell", "-c", script, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    logged = result.stderr
    assert "[redacted]" in logged and "exam 30124641" in logged  # An exam number is not a national ID.
    assert [secret for secret in secrets if secret in logged] == []


def test_production_answers_with_every_security_header():
    """Under production settings behind the load balancer (https), a response carries HSTS, the CSP, nosniff,
    frame refusal, the referrer policy and the Permissions-Policy."""
    script = (
        "from django.test import Client; from django.test.utils import setup_test_environment;"
        "setup_test_environment();"
        # A page that needs neither the database nor collected static files.
        "response = Client(HTTP_X_FORWARDED_PROTO='https').get('/i18n/setlang/', secure=True,"
        " HTTP_HOST='surveyplace.example.tw');"
        "print(response.status_code);"
        "[print(name + ': ' + response.headers.get(name, '')) for name in ('Strict-Transport-Security',"
        " 'Content-Security-Policy', 'X-Content-Type-Options', 'X-Frame-Options', 'Referrer-Policy',"
        " 'Permissions-Policy')]"
    )
    result = _manage("shell", "-c", script, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    # The shell may print a line of its own first; the status is the line before the headers.
    lines = result.stdout.strip().splitlines()[-7:]
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    assert lines[0] in {"204", "302"}, result.stdout
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin" and "camera=()" in headers["Permissions-Policy"]


def test_a_task_is_not_handed_to_a_second_worker_while_the_longest_one_still_runs():
    """Late acknowledgement redelivers after the visibility timeout, which must outlast a transcode."""
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.MEDIA_TRANSCODE_TIMEOUT_SECONDS
