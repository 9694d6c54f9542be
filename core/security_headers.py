"""The Content-Security-Policy of every page: nothing inline, and only the outside origins the platform uses.

The base policy lives in settings (CONTENT_SECURITY_POLICY). The outside origins (the YouTube player, the object
store that browsers upload to and play from, Google's sign-in page) are added per response from the settings of
the moment, so a deployment that sets them, or a test that points them at loopback, gets a policy that fits.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django_permissions_policy import PermissionsPolicyMiddleware


def origin_of(url: str) -> str:
    """Return the scheme://host[:port] of a URL, or "" when it names no host."""
    parts = urlsplit(url or "")
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def object_store_origins() -> list[str]:
    """Return the origins presigned S3 URLs point at (none with local file storage)."""
    bucket = getattr(settings, "AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        return []
    endpoint = getattr(settings, "AWS_S3_ENDPOINT_URL", None)
    if endpoint:
        return [origin_of(endpoint)]
    region = getattr(settings, "AWS_S3_REGION_NAME", "us-east-1")
    # boto3 signs virtual-hosted URLs: the global name in us-east-1, the regional one elsewhere.
    return [f"https://{bucket}.s3.amazonaws.com", f"https://{bucket}.s3.{region}.amazonaws.com"]


def outside_sources() -> dict[str, list[str]]:
    """Return the directives' additions for the outside systems configured now."""
    store = object_store_origins()
    additions = {"img-src": store, "media-src": store, "connect-src": store,
                 "frame-src": [origin_of(settings.YOUTUBE_EMBED_BASE)]}
    if getattr(settings, "GOOGLE_CLIENT_ID", ""):
        # Signing in with Google posts a form here that redirects to Google, and form-action covers redirects.
        additions["form-action"] = ["https://accounts.google.com"]
    return {directive: [source for source in sources if source] for directive, sources in additions.items()}


class PlatformCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the configured outside origins added to the settings' policy."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        update = {directive: list(sources) for directive, sources in (parts.update or {}).items()}
        for directive, sources in outside_sources().items():
            update[directive] = [*update.get(directive, []), *sources]
        return PolicyParts(parts.config, update, parts.replace, parts.nonce)


def permissions_policy() -> dict[str, list[str]]:
    """Return the Permissions-Policy: no device access; the embedded player may go full screen and play media."""
    player = origin_of(settings.YOUTUBE_EMBED_BASE)
    delegated = ["self", player] if player else ["self"]
    denied = ["accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
              "magnetometer", "microphone", "midi", "payment", "usb", "xr-spatial-tracking"]
    policy: dict[str, list[str]] = {feature: [] for feature in denied}
    for feature in ("encrypted-media", "fullscreen", "picture-in-picture"):
        policy[feature] = delegated
    return policy


class PlatformPermissionsPolicyMiddleware(PermissionsPolicyMiddleware):
    """django-permissions-policy's middleware, with the policy built from the player origin configured now."""

    @property
    def permissions_policy(self) -> str:
        return self.compute_header_value(permissions_policy(), name="core.security_headers.permissions_policy")
