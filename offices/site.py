"""The offices app's part of the site shell: its access-table rows, menu entries and dashboard panel.

Which office's profile a user edits or reads is scoped in offices/access.py: office staff their own offices',
examination staff every office's (read-only); the page for exam passers shows published profiles to anyone.
"""
from django.utils.translation import gettext_lazy as _

from accounts.access import CANDIDATE, EXAM_STAFF, OFFICE_STAFF, PUBLIC, SIGNED_IN
from accounts.roles import Role
from core.registry import NavigationEntry, Panel

from . import access

ACCESS = {
    "offices:public_profile": frozenset({PUBLIC}),
    "offices:profile_list": frozenset({EXAM_STAFF}),
    "offices:our_profile": frozenset({OFFICE_STAFF}),
    "offices:profile_detail": frozenset({OFFICE_STAFF, EXAM_STAFF}),
    "offices:profile_edit": frozenset({OFFICE_STAFF}),
    "offices:profile_publish": frozenset({OFFICE_STAFF}),
    "offices:profile_unpublish": frozenset({OFFICE_STAFF}),
    "offices:profile_history": frozenset({OFFICE_STAFF, EXAM_STAFF}),
}

NAVIGATION = [
    NavigationEntry("offices:our_profile", _("Our office profile"), position=35),
    NavigationEntry("offices:profile_list", _("Office profiles"), position=92),
]


def dashboard_panels(request) -> list[Panel]:
    """Show office staff the state of each of their offices' profiles, with the way to finish and publish it."""
    if Role.OFFICE_STAFF not in request.user.roles:
        return []
    offices = list(access.managed_offices(request.user).select_related("profile"))
    return [Panel("offices/_dashboard_profiles.html", {"profile_offices": offices})] if offices else []

# Office discovery and comparison, for everyone signed in; adding to a preference list, for candidates.
ACCESS |= {
    "offices:discovery": frozenset({SIGNED_IN}),
    "offices:compare": frozenset({SIGNED_IN}),
    "offices:preference_add": frozenset({CANDIDATE}),
}
NAVIGATION.append(NavigationEntry("offices:discovery", _("Land offices"), position=10))
