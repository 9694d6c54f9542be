"""Template context for the site shell: the navigation a user's roles allow, and where the page sits in it."""
from django.urls import reverse

from accounts import access

from . import registry


def navigation(request):
    """Return the menu entries of every app that the access table lets this user reach."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    kwargs_by_function = {}
    for entry in registry.navigation_entries():
        # Showing only reachable entries means the navigation never offers a 403.
        if not access.user_may_reach(user, access.audience_for_key(entry.url_name)):
            continue
        if entry.url_kwargs is None:
            url = reverse(entry.url_name)
        else:
            if entry.url_kwargs not in kwargs_by_function:
                kwargs_by_function[entry.url_kwargs] = entry.url_kwargs(request)
            kwargs = kwargs_by_function[entry.url_kwargs]
            if kwargs is None:
                continue
            url = reverse(entry.url_name, kwargs=kwargs)
        items.append({"url": url, "label": entry.label, "current": request.path == url, "pages": entry.pages})
    match = getattr(request, "resolver_match", None)
    return {"nav_items": items, "breadcrumbs": breadcrumbs(request.path, match.view_name if match else "", items)}


def breadcrumbs(path: str, view_name: str, items: list[dict]) -> list[dict]:
    """Return the trail above a page: the dashboard, then the menu section the page belongs to.

    The section is the entry that lists the page's URL name, else the longest menu address that the page's
    begins with. A menu page itself has no trail.
    """
    if any(item["current"] for item in items):
        return []
    dashboard = reverse("dashboard")
    trail = [item for item in items if item["url"] == dashboard]
    sections = [item for item in items if view_name in item["pages"]] or [
        item for item in items if item["url"] != dashboard and path.startswith(item["url"])
    ]
    if sections:
        section = max(sections, key=lambda item: len(item["url"]))
        section["section"] = True
        trail.append(section)
    return trail
