"""Which roles a user holds at which land office: the one place object-level access asks.

The access table (accounts/access.py) decides who reaches a URL by role alone; every lookup of an office's data
must then ask here whether the user holds a fitting role at that very office, so that being office staff at one
office and a focus-group member at another never opens the second office's staff pages.
"""
from collections.abc import Iterable


def user_holds_role_at(user, role: str, office_id: int) -> bool:
    """Say whether a signed-in user holds a role at one land office."""
    return (str(role), office_id) in user.role_grant_pairs


def offices_where_user_holds(user, roles: Iterable[str]) -> frozenset[int]:
    """Return the ids of the land offices where a signed-in user holds any of these roles."""
    wanted = {str(role) for role in roles}
    return frozenset(
        office_id for role, office_id in user.role_grant_pairs if role in wanted and office_id is not None
    )
