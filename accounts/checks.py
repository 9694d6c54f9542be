"""Consistency checks between the URLconf and the merged access table."""
from django.core.checks import Error, Tags, register

from core import registry

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
    table = registry.access_table() if table is None else table
    keys = {endpoint.key for endpoint in iter_endpoints(urlconf)}
    namespaces = {key.partition(":")[0] for key in keys if ":" in key}
    return sorted(
        key for key in table
        if key not in keys
        and key not in registry.optional_access_keys()
        and not (key.endswith(":*") and key.removesuffix(":*") in namespaces)
    )


@register(Tags.urls)
def check_every_url_is_in_the_access_table(app_configs=None, **kwargs) -> list[Error]:
    """Report each URL pattern that the access table does not list, since the middleware refuses it to everyone."""
    return [
        Error(
            f"The URL {key!r} has no entry in the access table, so every request for it is refused.",
            hint="List it in the ACCESS of the site.py of the app that owns it, with the audience that may reach it.",
            id="accounts.E001",
        )
        for key in unlisted_endpoints()
    ]


@register()
def check_mfa_encryption_keys(app_configs=None, **kwargs) -> list[Error]:
    """Report an MFA_ENCRYPTION_KEYS entry that is not a Fernet key, before a sign-in fails on it."""
    from .adapter import mfa_secret_box
    from .secretbox import SecretBoxError

    try:
        mfa_secret_box()
    except SecretBoxError as error:
        return [Error(str(error), hint="Each key in MFA_ENCRYPTION_KEYS is 32 url-safe base64-encoded bytes.",
                      id="accounts.E002")]
    return []
