"""The offices app's part of the site shell: its access-table rows and menu entries.

Which office's profile a user edits or reads is scoped in offices/access.py: office staff their own offices',
examination staff every office's (read-only); the page for exam passers shows published profiles to anyone.
"""
from django.utils.translation import gettext_lazy as _

from accounts.access import CANDIDATE, EXAM_STAFF, OFFICE_STAFF, PUBLIC, SIGNED_IN
from core.registry import NavigationEntry

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

# Office discovery and comparison, for everyone signed in; adding to a preference list, for candidates.
ACCESS |= {
    "offices:discovery": frozenset({SIGNED_IN}),
    "offices:compare": frozenset({SIGNED_IN}),
    "offices:preference_add": frozenset({CANDIDATE}),
}
NAVIGATION.append(NavigationEntry("offices:discovery", _("Land offices"), position=10))
