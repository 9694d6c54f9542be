"""Turn a URL pattern into a concrete path that resolves back to it, with ids that match no row."""
import re

from django.apps import apps
from django.urls import Resolver404, resolve

from accounts.urlwalk import endpoint_key

# Tried in order for each placeholder; the first that makes the path resolve back to the same pattern wins.
SAMPLE_VALUES = ["999999", "x", "1-x", "zz-unknown"]
CONVERTER = re.compile(r"(?<!\?P)<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")


# Views that need query parameters to do their normal work.
QUERY_FOR_KEY = {"admin:autocomplete": "?app_label=placement&model_name=vacancy&field_name=office&term=x"}


def _candidates():
    return SAMPLE_VALUES + [config.label for config in apps.get_app_configs()]


def _resolved_key(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return endpoint_key(url_name=match.url_name, namespace=match.namespace, route=match.route)


def sample_path(endpoint) -> str:
    """Return a path for the endpoint, or raise LookupError when no sample value fits."""
    route = endpoint.route.replace("^", "").replace("\\Z", "").rstrip("$")
    placeholders = [m.group(0) for m in CONVERTER.finditer(route)] + [m.group(0) for m in GROUP.finditer(route)]
    paths = [route]
    for placeholder in placeholders:
        paths = [path.replace(placeholder, value, 1) for path in paths for value in _candidates()]
    for path in paths:
        path = "/" + path.replace("\\", "")
        if _resolved_key(path) == endpoint.key:
            return path + QUERY_FOR_KEY.get(endpoint.key, "")
    raise LookupError(f"No sample path resolves back to {endpoint.key} ({endpoint.route}).")
