"""Template context for the site shell: the navigation a user's roles allow."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import access

# Each entry shows only when the access table lets the user reach it, so navigation never offers a 403.
NAVIGATION = [
    ("dashboard", _("Dashboard")),
    ("placement:office_list", _("Land offices")),
    ("accounts:invitation_list", _("Invitations")),
    ("placement:cycle_candidate_list", _("Candidates")),
    ("admin:index", _("Back office")),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from placement.selectors import current_cycle

    items = []
    current_path = request.path
    for key, label in NAVIGATION:
        if not access.user_may_reach(user, access.audience_for_key(key) or frozenset()):
            continue
        if key == "placement:cycle_candidate_list":
            cycle = current_cycle()
            if cycle is None:
                continue
            url = reverse(key, kwargs={"pk": cycle.pk})
        else:
            url = reverse(key)
        items.append({"url": url, "label": label, "current": current_path == url})
    return {"nav_items": items, "user_roles": sorted(user.roles)}
