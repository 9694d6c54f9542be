"""The privacy app's part of the site shell: its access-table rows, menu entries and the candidate's panel.

Whose data a candidate reaches is scoped by account in privacy/access.py: only their own candidacies' archives.
"""
from django.utils.translation import gettext_lazy as _

from accounts.access import CANDIDATE, EXAM_STAFF
from accounts.roles import Role
from core.registry import NavigationEntry, Panel, PersonalDataContributor

from . import personal_data

ACCESS = {
    "privacy:mine": frozenset({CANDIDATE}),
    "privacy:export_request": frozenset({CANDIDATE}),
    "privacy:export_download": frozenset({CANDIDATE}),
    "privacy:erase": frozenset({CANDIDATE}),
    "privacy:erasures": frozenset({EXAM_STAFF}),
}

# The privacy app's own rows about a candidate: their archives (erased) and the erasure record (kept).
PERSONAL_DATA = [
    PersonalDataContributor(
        key="privacy",
        models=("privacy.DataExport", "privacy.Erasure"),
        export=personal_data.candidate_export,
        erase=personal_data.candidate_erase,
    ),
]

NAVIGATION = [
    NavigationEntry("privacy:mine", _("My data"), position=57),
    NavigationEntry("privacy:erasures", _("Erasures"), position=97),
]


def dashboard_panels(request) -> list[Panel]:
    """Tell candidates where to download their data or ask for its erasure."""
    if Role.CANDIDATE in request.user.roles:
        return [Panel("privacy/_dashboard_candidate.html")]
    return []
