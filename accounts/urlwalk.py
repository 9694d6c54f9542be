"""Enumerate every URL pattern of a URLconf with the key the access table uses for it."""
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Endpoint:
    key: str  # The namespaced URL name, or "namespace:route" for a pattern without a name.
    route: str
    pattern: URLPattern
    named: bool


def join_route(first: str, second: str) -> str:
    """Join two routes the way Django's resolver reports ResolverMatch.route."""
    if not first:
        return second
    return first + second.removeprefix("^")


def endpoint_key(*, url_name: str | None, namespace: str, route: str) -> str:
    if url_name:
        return f"{namespace}:{url_name}" if namespace else url_name
    return f"{namespace}:{route}" if namespace else route


def iter_endpoints(urlconf=None):
    """Yield one Endpoint for every leaf URL pattern, walking included URLconfs without recursion."""
    stack = [(get_resolver(urlconf).url_patterns, "", "")]
    while stack:
        patterns, namespace, prefix = stack.pop()
        for pattern in patterns:
            route = join_route(prefix, str(pattern.pattern))
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                stack.append((pattern.url_patterns, inner, route))
            elif isinstance(pattern, URLPattern):
                yield Endpoint(
                    key=endpoint_key(url_name=pattern.name, namespace=namespace, route=route),
                    route=route, pattern=pattern, named=bool(pattern.name),
                )
