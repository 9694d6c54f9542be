"""TOTP secrets and recovery-code seeds are stored encrypted, and signing in with them still works."""
import io
import json
import re

import pytest
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts.checks import check_mfa_encryption_keys
from accounts.roles import Role
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, current_totp_code, make_user
from tests.test_settings import PRODUCTION_ENV, _manage

PLAIN_SEED = "0123456789abcdef" * 5
BEFORE_ENCRYPTION = ("accounts", "0002_initial")


def _login(client, email, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _signs_in_with(client, email, code) -> bool:
    client.logout()
    response = _login(client, email)
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    return response.status_code == 302 and response["Location"] == reverse("dashboard")


def _stored(user, kind) -> dict:
    return Authenticator.objects.get(user=user, type=kind).data


def _secret_in_clear(data: dict, secret: str) -> bool:
    text = json.dumps(data)
    return secret.upper() in text.upper() or secret.rstrip("=").upper() in text.upper()


@pytest.mark.django_db
def test_an_enrolled_totp_secret_is_stored_encrypted_and_signing_in_with_it_works(client):
    """Enrolling through the pages stores neither the secret nor the recovery-code seed in clear; both still sign in."""
    user = make_user(Role.CANDIDATE, email="enrol@example.com")
    assert _login(client, "enrol@example.com")["Location"] == reverse("dashboard")
    activate = reverse("mfa_activate_totp")
    # allauth asks to confirm the password before TOTP is turned on.
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD, "next": activate})
    assert response["Location"] == activate
    page = client.get(activate)
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})
    assert response.status_code == 302

    assert not _secret_in_clear(_stored(user, Authenticator.Type.TOTP), secret)
    seed = _stored(user, Authenticator.Type.RECOVERY_CODES)["seed"]
    assert not re.fullmatch(r"[0-9a-f]{80}", seed)

    codes = client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"]
    assert len(codes) == 10
    assert _signs_in_with(client, "enrol@example.com", current_totp_code(secret))
    assert _signs_in_with(client, "enrol@example.com", codes[0])
    assert not _signs_in_with(client, "enrol@example.com", codes[0])  # A recovery code works once.


@pytest.mark.django_db
def test_rotating_the_key_keeps_sign_in_working_and_retires_the_old_key(client, settings):
    """With a new key first, old secrets still open; after `mfa_rotate_keys` the old key can go."""
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.MFA_ENCRYPTION_KEYS = [old]
    make_user(Role.EXAM_STAFF, email="rotate@example.com")
    assert _signs_in_with(client, "rotate@example.com", current_totp_code())

    settings.MFA_ENCRYPTION_KEYS = [new, old]
    cache.clear()  # Forget the used code, so this 30-second window's code counts as fresh again.
    assert _signs_in_with(client, "rotate@example.com", current_totp_code())
    call_command("mfa_rotate_keys", stdout=io.StringIO())

    settings.MFA_ENCRYPTION_KEYS = [new]
    cache.clear()
    assert _signs_in_with(client, "rotate@example.com", current_totp_code())


def test_a_key_that_is_not_a_fernet_key_fails_the_system_check(settings):
    settings.MFA_ENCRYPTION_KEYS = ["not-a-fernet-key"]
    assert [error.id for error in check_mfa_encryption_keys()] == ["accounts.E002"]
    settings.MFA_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    assert check_mfa_encryption_keys() == []


def test_production_refuses_to_start_without_mfa_encryption_keys():
    """Production never derives the key from DJANGO_SECRET_KEY: without MFA_ENCRYPTION_KEYS it does not start."""
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "MFA_ENCRYPTION_KEYS"}
    env["MFA_ENCRYPTION_KEYS"] = ""
    # `shell -c` loads the settings and runs no system checks, so only the settings decide.
    show_keys = ("shell", "-c", "from django.conf import settings; print(len(settings.MFA_ENCRYPTION_KEYS))")
    result = _manage(*show_keys, env=env)
    assert result.returncode != 0
    assert "MFA_ENCRYPTION_KEYS" in result.stderr
    keys = ",".join([Fernet.generate_key().decode(), Fernet.generate_key().decode()])
    result = _manage(*show_keys, env=env | {"MFA_ENCRYPTION_KEYS": keys})
    assert result.returncode == 0 and result.stdout.strip().endswith("2"), result.stdout + result.stderr


def _migrate_accounts(target):
    """Migrate the accounts app back to a migration, or every app to its latest one (None).

    Going back also unapplies other apps' migrations that depend on later accounts ones, so forward means all.
    """
    executor = MigrationExecutor(connection)
    executor.migrate([target] if target is not None else executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_secrets_stored_in_clear_and_sign_in_still_works(client):
    """Rows allauth wrote in clear before the adapter are encrypted by the migration, and still sign in."""
    applied = set(MigrationExecutor(connection).loader.applied_migrations)
    _migrate_accounts(BEFORE_ENCRYPTION)
    user = make_user(Role.EXAM_STAFF, email="legacy@example.com", with_totp=False)
    # What allauth's default adapter wrote: the secret and the seed as they are.
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": TEST_TOTP_SECRET})
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES,
                                 data={"seed": PLAIN_SEED, "used_mask": 0})
    _migrate_accounts(None)

    assert not _secret_in_clear(_stored(user, Authenticator.Type.TOTP), TEST_TOTP_SECRET)
    assert PLAIN_SEED not in json.dumps(_stored(user, Authenticator.Type.RECOVERY_CODES))
    assert _signs_in_with(client, "legacy@example.com", current_totp_code())

    # Going back restores what allauth stores without the adapter; coming forward encrypts again.
    _migrate_accounts(BEFORE_ENCRYPTION)
    assert _stored(user, Authenticator.Type.TOTP)["secret"] == TEST_TOTP_SECRET
    assert _stored(user, Authenticator.Type.RECOVERY_CODES)["seed"] == PLAIN_SEED
    _migrate_accounts(None)
    assert not _secret_in_clear(_stored(user, Authenticator.Type.TOTP), TEST_TOTP_SECRET)
    # The database is left as the other tests expect it.
    assert set(MigrationExecutor(connection).loader.applied_migrations) == applied
