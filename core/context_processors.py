"""Template context for the site shell: the navigation a user's roles allow."""
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
        items.append({"url": url, "label": entry.label, "current": request.path == url})
    return {"nav_items": items}
