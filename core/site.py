"""The site shell's own part of the access table and the main menu."""
from django.utils.translation import gettext_lazy as _

from accounts.access import EXAM_STAFF, PUBLIC, SIGNED_IN, SUPERUSER

from .registry import NavigationEntry

ACCESS = {
    "home": frozenset({PUBLIC}),
    "dashboard": frozenset({SIGNED_IN}),
    "favicon": frozenset({PUBLIC}),
    "set_language": frozenset({PUBLIC}),
    # The audit history: who did what, and when, across every app.
    "history:log": frozenset({EXAM_STAFF}),
    # The back office: every admin URL, named or not, whatever models are registered.
    "admin:*": frozenset({SUPERUSER}),
}

# The dashboard opens the menu and the back office closes it, whatever the apps add in between.
NAVIGATION = [
    NavigationEntry("dashboard", _("Dashboard"), position=0),
    NavigationEntry("history:log", _("History"), position=95),
    NavigationEntry("admin:index", _("Back office"), position=100),
]
