"""The access table: for every URL of the project, who may reach it.

Each app lists its own URLs, with the audiences defined here, in the ACCESS of its `site` module, and core merges
them at start-up (core/registry.py). AccessTableMiddleware enforces the merged table on every request and refuses
any URL missing from it; a system check names such URLs, and the access-table test walks every URL pattern as
every role and checks the answers match. Object-level scope (which office, which candidate) is decided by each
app's `access.py`, so an id outside a user's scope answers 404.
"""
from core import registry

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


def audience_for_key(key: str, table=None) -> frozenset[str] | None:
    """Return who may reach the URL with this key, or None when the table has no entry for it."""
    table = registry.access_table() if table is None else table
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
