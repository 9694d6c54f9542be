"""Consistency checks between the URLconf and the access table."""
from . import access
from .urlwalk import iter_endpoints


def unlisted_endpoints(urlconf=None, table=None) -> list[str]:
    """Return the key of every URL pattern that has no entry in the access table."""
    return sorted({
        endpoint.key for endpoint in iter_endpoints(urlconf)
        if access.audience_for_key(endpoint.key, table) is None
    })


def stale_entries(urlconf=None, table=None) -> list[str]:
    """Return table keys that name no URL pattern (entries left behind after a URL was removed)."""
    table = access.ACCESS_TABLE if table is None else table
    keys = {endpoint.key for endpoint in iter_endpoints(urlconf)}
    namespaces = {key.partition(":")[0] for key in keys if ":" in key}
    return sorted(
        key for key in table
        if key not in keys
        and key not in access.OPTIONAL_KEYS
        and not (key.endswith(":*") and key.removesuffix(":*") in namespaces)
    )
