"""Encrypt short secrets at rest with Fernet keys: TOTP secrets and recovery-code seeds.

A pure core: it imports nothing from Django, so the MFA adapter, the data migration and the key-rotation command
share it. The first key encrypts and every key decrypts, so a new key goes first and the old ones stay until every
stored secret has been re-encrypted (`manage.py mfa_rotate_keys`).
"""
import base64
import binascii
import hashlib
import hmac
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

# The first byte of every Fernet token (its version), which lets a stored value be told apart from a plain secret:
# a TOTP secret is upper-case base32 and a recovery-code seed is hex, and neither decodes to a token.
FERNET_VERSION = 0x80
# The purpose mixed into a key derived from SECRET_KEY, so the derived key serves nothing else.
DERIVATION_PURPOSE = b"surveyplace.accounts.mfa-secrets"


class SecretBoxError(Exception):
    """A stored secret that none of the keys opens, or a key that is not a Fernet key."""


def derive_key(secret_key: str) -> str:
    """Return a Fernet key derived from a project secret (for the demo and the tests only)."""
    digest = hmac.new(secret_key.encode(), DERIVATION_PURPOSE, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()


def looks_sealed(value: str) -> bool:
    """Return whether a stored value has the shape of a Fernet token (whether or not our keys open it)."""
    try:
        raw = base64.urlsafe_b64decode(value.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return False
    # Version, timestamp, IV, at least one cipher block, HMAC.
    return len(raw) >= 1 + 8 + 16 + 16 + 32 and raw[0] == FERNET_VERSION


class SecretBox:
    """Seal and open secrets with a list of Fernet keys, newest first."""

    def __init__(self, keys: Sequence[str]):
        if not keys:
            raise SecretBoxError("At least one encryption key is needed.")
        try:
            self._fernet = MultiFernet([Fernet(key) for key in keys])
        except (ValueError, TypeError) as error:
            raise SecretBoxError(
                "An encryption key is not a Fernet key (32 url-safe base64-encoded bytes); make one with: "
                "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
            ) from error

    def seal(self, text: str) -> str:
        """Encrypt a secret with the newest key."""
        return self._fernet.encrypt(text.encode()).decode("ascii")

    def open(self, token: str) -> str:
        """Decrypt a sealed secret with whichever key sealed it."""
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode()
        except (InvalidToken, UnicodeEncodeError) as error:
            raise SecretBoxError(
                "A stored MFA secret cannot be decrypted with any of the configured keys (MFA_ENCRYPTION_KEYS)."
            ) from error

    def reseal(self, value: str) -> str:
        """Return a stored value sealed with the newest key: plain secrets are sealed, old tokens re-encrypted."""
        if not looks_sealed(value):
            return self.seal(value)
        try:
            return self._fernet.rotate(value.encode("ascii")).decode("ascii")
        except InvalidToken as error:
            raise SecretBoxError(
                "A stored MFA secret was encrypted with a key that is no longer configured (MFA_ENCRYPTION_KEYS)."
            ) from error


def keys_for(configured: Sequence[str], secret_key: str) -> list[str]:
    """Return the configured keys, or a key derived from the project secret when none is configured."""
    keys = [key.strip() for key in configured if key.strip()]
    return keys or [derive_key(secret_key)]


def _map_secrets(kind: str, data: dict, change) -> dict:
    """Return a copy of an authenticator's data with each stored secret passed through `change`."""
    data = dict(data)
    if kind == "totp" and data.get("secret"):
        data["secret"] = change(data["secret"])
    elif kind == "recovery_codes":
        if data.get("seed"):
            data["seed"] = change(data["seed"])
        if data.get("migrated_codes") is not None:
            data["migrated_codes"] = [change(code) for code in data["migrated_codes"]]
    return data


def resealed_data(kind: str, data: dict, box: SecretBox) -> dict:
    """Return an authenticator's data (allauth's `Authenticator.type` and `.data`) sealed with the newest key."""
    return _map_secrets(kind, data, box.reseal)


def opened_data(kind: str, data: dict, box: SecretBox) -> dict:
    """Return an authenticator's data with its secrets decrypted, as allauth stores them without an adapter."""
    return _map_secrets(kind, data, lambda value: box.open(value) if looks_sealed(value) else value)
