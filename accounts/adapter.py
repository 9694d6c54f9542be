"""allauth adapters: accounts come only from invitations, so open sign-up is closed; MFA secrets are encrypted."""
from functools import lru_cache

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings

from .limits import email_too_long_message
from .secretbox import SecretBox, keys_for


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def clean_email(self, email):
        """Refuse an address longer than an email address may be, on every allauth form that takes one."""
        if too_long := email_too_long_message(email):
            raise forms.ValidationError(too_long, code="max_length")
        return super().clean_email(email)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        # Google login only signs in people who already hold an invited account with that email.
        return False


@lru_cache(maxsize=4)
def _box(keys: tuple[str, ...]) -> SecretBox:
    return SecretBox(keys)


def mfa_secret_box() -> SecretBox:
    """Return the box that seals TOTP secrets and recovery-code seeds with MFA_ENCRYPTION_KEYS."""
    return _box(tuple(keys_for(getattr(settings, "MFA_ENCRYPTION_KEYS", []), settings.SECRET_KEY)))


class MFAAdapter(DefaultMFAAdapter):
    """Keep TOTP secrets and recovery-code seeds encrypted in the database (allauth stores them in clear)."""

    def encrypt(self, text: str) -> str:
        return mfa_secret_box().seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_secret_box().open(encrypted_text)
