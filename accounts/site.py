"""Accounts' part of the access table and the main menu: signing in (django-allauth) and invitations."""
from django.utils.translation import gettext_lazy as _

from core.registry import NavigationEntry

from .access import EXAM_STAFF, PUBLIC, SIGNED_IN

ACCESS = {
    # Signing in, out, and recovering access (django-allauth).
    "account_login": frozenset({PUBLIC}),
    "account_logout": frozenset({PUBLIC}),
    "account_signup": frozenset({PUBLIC}),  # Shows that accounts come from invitations.
    "account_inactive": frozenset({PUBLIC}),
    "account_confirm_login_code": frozenset({PUBLIC}),
    "account_email_verification_sent": frozenset({PUBLIC}),
    "account_confirm_email": frozenset({PUBLIC}),
    "account_reset_password": frozenset({PUBLIC}),
    "account_reset_password_done": frozenset({PUBLIC}),
    "account_reset_password_from_key": frozenset({PUBLIC}),
    "account_reset_password_from_key_done": frozenset({PUBLIC}),
    "mfa_authenticate": frozenset({PUBLIC}),  # The second step of a login, before the user is signed in.
    # Present only when GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are set.
    "google_login": frozenset({PUBLIC}),
    "google_callback": frozenset({PUBLIC}),
    "google_login_by_token": frozenset({PUBLIC}),
    "socialaccount_login_cancelled": frozenset({PUBLIC}),
    "socialaccount_login_error": frozenset({PUBLIC}),
    "socialaccount_signup": frozenset({PUBLIC}),
    # allauth's unnamed redirects from its old social/ URLs to 3rdparty/.
    "accounts/social/login/cancelled/": frozenset({PUBLIC}),
    "accounts/social/login/error/": frozenset({PUBLIC}),
    "accounts/social/signup/": frozenset({PUBLIC}),
    "accounts/social/connections/": frozenset({SIGNED_IN}),
    # Managing one's own account.
    "account_change_password": frozenset({SIGNED_IN}),
    "account_set_password": frozenset({SIGNED_IN}),
    "account_email": frozenset({SIGNED_IN}),
    # Confirming it is really you before a sensitive change: by password, by a code sent to a verified email
    # address (allauth 65.22+), or by the authenticator app.
    "account_reauthenticate": frozenset({SIGNED_IN}),
    "account_request_reauthentication_code": frozenset({SIGNED_IN}),
    "account_confirm_reauthentication_code": frozenset({SIGNED_IN}),
    "mfa_index": frozenset({SIGNED_IN}),
    "mfa_activate_totp": frozenset({SIGNED_IN}),
    "mfa_deactivate_totp": frozenset({SIGNED_IN}),
    "mfa_reauthenticate": frozenset({SIGNED_IN}),
    "mfa_view_recovery_codes": frozenset({SIGNED_IN}),
    "mfa_generate_recovery_codes": frozenset({SIGNED_IN}),
    "mfa_download_recovery_codes": frozenset({SIGNED_IN}),
    "socialaccount_connections": frozenset({SIGNED_IN}),
    # Invitations.
    "accounts:invitation_accept": frozenset({PUBLIC}),
    "accounts:invitation_list": frozenset({EXAM_STAFF}),
    "accounts:invitation_create": frozenset({EXAM_STAFF}),
    # Each shows a page that asks for confirmation (GET), whose form then acts (POST).
    "accounts:invitation_resend": frozenset({EXAM_STAFF}),
    "accounts:invitation_revoke": frozenset({EXAM_STAFF}),
}

# Entries for URLs that exist only when an optional integration is configured.
OPTIONAL_ACCESS_KEYS = frozenset({"google_login", "google_callback", "google_login_by_token"})

NAVIGATION = [
    NavigationEntry("accounts:invitation_list", _("Invitations"), position=40),
]
