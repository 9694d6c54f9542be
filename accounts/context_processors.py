"""Template context for the site shell: the navigation a user's roles allow."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import access

# Each entry shows only when the access table lets the user reach it, so navigation never offers a 403.
NAVIGATION = [
    ("dashboard", _("Dashboard")),
    ("placement:office_list", _("Land offices")),
    ("media_pipeline:my_videos", _("My videos")),
    ("media_pipeline:our_videos", _("Our videos")),
    ("accounts:invitation_list", _("Invitations")),
    ("placement:preference_edit", _("Preferences")),
    ("placement:cycle_detail", _("Exam cycle")),
    ("placement:cycle_candidate_list", _("Candidates")),
    ("placement:run_list", _("Placement runs")),
    ("placement:cycle_results", _("Results")),
    ("admin:index", _("Back office")),
]
# Pages of one exam cycle: the navigation links to the current cycle's.
CYCLE_PAGES = frozenset({
    "placement:cycle_detail", "placement:cycle_candidate_list", "placement:run_list", "placement:cycle_results",
})


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from placement.selectors import current_cycle

    items = []
    current_path = request.path
    cycles = []  # The current cycle, looked up once and only for users who see a cycle page.
    for key, label in NAVIGATION:
        if not access.user_may_reach(user, access.audience_for_key(key) or frozenset()):
            continue
        if key in CYCLE_PAGES:
            if not cycles:
                cycles.append(current_cycle())
            cycle = cycles[0]
            if cycle is None:
                continue
            url = reverse(key, kwargs={"pk": cycle.pk})
        else:
            url = reverse(key)
        items.append({"url": url, "label": label, "current": current_path == url})
    return {"nav_items": items, "user_roles": sorted(user.roles)}
