"""The access table: for every URL of the project, who may reach it.

AccessTableMiddleware enforces it on every request and refuses any URL missing from it; the access-table
test walks every URL pattern as every role and checks the answers match. Object-level scope (which office,
which candidate) is decided by each app's `access.py`, so an id outside a user's scope answers 404.
"""
from .roles import Role
from .urlwalk import endpoint_key

PUBLIC = "public"  # Anyone, signed in or not.
SIGNED_IN = "signed_in"  # Any signed-in user, whatever their roles.
SUPERUSER = "superuser"  # The Django admin back office.

CANDIDATE = Role.CANDIDATE.value
OFFICE_STAFF = Role.OFFICE_STAFF.value
LEADER = Role.FOCUS_GROUP_LEADER.value
MEMBER = Role.FOCUS_GROUP_MEMBER.value
EXAM_STAFF = Role.EXAM_STAFF.value

ACCESS_TABLE: dict[str, frozenset[str]] = {
    # The site shell.
    "home": frozenset({PUBLIC}),
    "dashboard": frozenset({SIGNED_IN}),
    "set_language": frozenset({PUBLIC}),
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
    "accounts:invitation_resend": frozenset({EXAM_STAFF}),
    "accounts:invitation_revoke": frozenset({EXAM_STAFF}),
    # Placement.
    "placement:office_list": frozenset({SIGNED_IN}),
    "placement:office_detail": frozenset({SIGNED_IN}),
    "placement:cycle_candidate_list": frozenset({EXAM_STAFF}),
    "placement:candidate_detail": frozenset({EXAM_STAFF, CANDIDATE}),
    "placement:candidate_result": frozenset({EXAM_STAFF, CANDIDATE}),
    "placement:preference_edit": frozenset({CANDIDATE}),
    "placement:residence_edit": frozenset({CANDIDATE}),
    "placement:office_placements": frozenset({OFFICE_STAFF, LEADER}),
    "placement:cycle_detail": frozenset({EXAM_STAFF}),
    "placement:cycle_import": frozenset({EXAM_STAFF}),
    "placement:cycle_export": frozenset({EXAM_STAFF}),
    "placement:run_list": frozenset({EXAM_STAFF}),
    "placement:run_compare": frozenset({EXAM_STAFF}),
    "placement:cycle_results": frozenset({EXAM_STAFF}),
    "placement:run_detail": frozenset({EXAM_STAFF}),
    "placement:run_publish": frozenset({EXAM_STAFF}),
    # Videos and evidence files (media_pipeline). Which candidate's or office's items a user reaches is scoped in
    # media_pipeline/access.py: candidates manage their own, office staff their offices'; watching is wider.
    "media_pipeline:my_videos": frozenset({CANDIDATE}),
    "media_pipeline:my_video_add_link": frozenset({CANDIDATE}),
    "media_pipeline:my_video_upload_start": frozenset({CANDIDATE}),
    "media_pipeline:our_videos": frozenset({OFFICE_STAFF}),
    "media_pipeline:office_videos": frozenset({OFFICE_STAFF}),
    "media_pipeline:office_video_add_link": frozenset({OFFICE_STAFF}),
    "media_pipeline:office_video_upload_start": frozenset({OFFICE_STAFF}),
    "media_pipeline:video_detail": frozenset({SIGNED_IN}),
    "media_pipeline:video_remove": frozenset({CANDIDATE, OFFICE_STAFF}),
    "media_pipeline:video_publish": frozenset({CANDIDATE}),
    "media_pipeline:video_recheck": frozenset({CANDIDATE, OFFICE_STAFF}),
    "media_pipeline:video_upload_local": frozenset({CANDIDATE, OFFICE_STAFF}),
    "media_pipeline:video_upload_finish": frozenset({CANDIDATE, OFFICE_STAFF}),
    "media_pipeline:video_file": frozenset({SIGNED_IN}),
    "media_pipeline:video_thumbnail": frozenset({SIGNED_IN}),
    "media_pipeline:my_evidence": frozenset({CANDIDATE}),
    "media_pipeline:evidence_file": frozenset({CANDIDATE, EXAM_STAFF, LEADER, MEMBER}),
    "media_pipeline:evidence_remove": frozenset({CANDIDATE}),
    # The back office: every admin URL, named or not, whatever models are registered.
    "admin:*": frozenset({SUPERUSER}),
}


# Entries for URLs that exist only when an optional integration is configured.
OPTIONAL_KEYS = frozenset({"google_login", "google_callback", "google_login_by_token"})


def audience_for_key(key: str, table=None) -> frozenset[str] | None:
    """Return who may reach the URL with this key, or None when the table has no entry for it."""
    table = ACCESS_TABLE if table is None else table
    if key in table:
        return table[key]
    namespace, sep, _rest = key.partition(":")
    if sep and f"{namespace}:*" in table:
        return table[f"{namespace}:*"]
    return None


def audience_for(resolver_match) -> frozenset[str] | None:
    """Return who may reach the URL a request resolved to."""
    key = endpoint_key(
        url_name=resolver_match.url_name, namespace=resolver_match.namespace, route=resolver_match.route
    )
    return audience_for_key(key)


def user_may_reach(user, audience: frozenset[str] | None) -> bool:
    """Say whether a signed-in user's roles meet an audience from the table; a URL without one is refused."""
    if audience is None:
        return False
    if PUBLIC in audience or SIGNED_IN in audience:
        return True
    if SUPERUSER in audience and user.is_superuser:
        return True
    return bool(user.roles & audience)
