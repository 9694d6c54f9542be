"""Placement's part of the site shell: its access-table rows, menu entries, and home and dashboard panels.

The panels link to other apps' pages with `{% url … as name %}`, which leaves the link out instead of failing when
that app is not installed, so placement's pages do not depend on the apps that build on placement.
"""
from django.utils.translation import gettext_lazy as _

from accounts.access import CANDIDATE, EXAM_STAFF, LEADER, OFFICE_STAFF, SIGNED_IN
from accounts.models import Invitation
from accounts.roles import OFFICE_ROLES, Role
from core.registry import NavigationEntry, Panel, PersonalDataContributor

from . import personal_data, selectors

ACCESS = {
    "placement:office_detail": frozenset({SIGNED_IN}),
    "placement:cycle_candidate_list": frozenset({EXAM_STAFF}),
    "placement:candidate_detail": frozenset({EXAM_STAFF, CANDIDATE}),
    "placement:candidate_result": frozenset({EXAM_STAFF, CANDIDATE}),
    # Who saw or changed a candidate's data (issue #13): for the examination staff who answer for it.
    "placement:candidate_access_log": frozenset({EXAM_STAFF}),
    "placement:preference_edit": frozenset({CANDIDATE}),
    "placement:residence_edit": frozenset({CANDIDATE}),
    "placement:office_placements": frozenset({OFFICE_STAFF, LEADER}),
    "placement:cycle_detail": frozenset({EXAM_STAFF}),
    "placement:cycle_import": frozenset({EXAM_STAFF}),
    "placement:cycle_import_template": frozenset({EXAM_STAFF}),
    "placement:cycle_export": frozenset({EXAM_STAFF}),
    "placement:run_list": frozenset({EXAM_STAFF}),
    "placement:run_compare": frozenset({EXAM_STAFF}),
    "placement:cycle_results": frozenset({EXAM_STAFF}),
    "placement:run_detail": frozenset({EXAM_STAFF}),
    "placement:run_publish": frozenset({EXAM_STAFF}),
    "placement:run_publish_confirm": frozenset({EXAM_STAFF}),
    "placement:run_cancel": frozenset({EXAM_STAFF}),
    "placement:place_answer": frozenset({CANDIDATE}),
    "placement:late_vacancy_report": frozenset({OFFICE_STAFF, LEADER}),
    "placement:after_publication": frozenset({EXAM_STAFF}),
    # The web page of `manage.py placement_verify` for one cycle.
    "placement:published_verify": frozenset({EXAM_STAFF}),
    "placement:round_start": frozenset({EXAM_STAFF}),
    "placement:outcomes": frozenset({EXAM_STAFF}),
    "placement:outcomes_export": frozenset({EXAM_STAFF}),
    "placement:deferral_decide": frozenset({EXAM_STAFF}),
    "placement:late_vacancy_decide": frozenset({EXAM_STAFF}),
}

# What placement holds about a candidate, exported and erased for the privacy app (placement/personal_data.py
# says what an erasure keeps for the published result).
PERSONAL_DATA = [
    PersonalDataContributor(
        key="placement",
        models=("placement.PreferenceList", "placement.SuitabilityScore", "placement.Assignment",
                "placement.PlaceResponse", "placement.CandidateDataView"),
        export=personal_data.candidate_export,
        erase=personal_data.candidate_erase,
    ),
]


def current_cycle_url_kwargs(request) -> dict | None:
    """Return the URL arguments of the current cycle's pages, or None while no cycle is current."""
    cycle = selectors.current_cycle()
    return {"pk": cycle.pk} if cycle else None


NAVIGATION = [
    NavigationEntry("placement:preference_edit", _("Preferences"), position=50,
                    pages=("placement:residence_edit",)),
    # The pages of one exam cycle: the menu links to the current cycle's.
    NavigationEntry("placement:cycle_detail", _("Exam cycle"), position=60, url_kwargs=current_cycle_url_kwargs,
                    pages=("placement:cycle_import", "placement:after_publication", "placement:published_verify",
                           "placement:round_start", "placement:outcomes", "placement:deferral_decide",
                           "placement:late_vacancy_decide")),
    NavigationEntry(
        "placement:cycle_candidate_list", _("Candidates"), position=70, url_kwargs=current_cycle_url_kwargs,
        pages=("placement:candidate_detail", "placement:candidate_result", "placement:candidate_access_log"),
    ),
    NavigationEntry("placement:run_list", _("Placement runs"), position=80, url_kwargs=current_cycle_url_kwargs,
                    pages=("placement:run_detail", "placement:run_compare", "placement:run_cancel",
                           "placement:run_publish_confirm")),
    NavigationEntry("placement:cycle_results", _("Results"), position=90, url_kwargs=current_cycle_url_kwargs),
]


def home_panels(request) -> list[Panel]:
    """Show the platform's figures at a glance: offices, counties and the current cycle's seats."""
    return [Panel("placement/_home_stats.html", {"stats": selectors.public_stats()})]


def dashboard_panels(request) -> list[Panel]:
    """Show each of the user's roles the current phase of the cycle and what to do next."""
    user = request.user
    roles = user.roles
    panels = []
    if Role.CANDIDATE in roles:
        panels.append(Panel("placement/_dashboard_candidate.html", {
            "candidacies": selectors.candidacies_for_user(user),
        }))
    if roles & OFFICE_ROLES:
        office_memberships = selectors.office_memberships_for_user(user)
        if office_memberships:
            current_cycle, current_phase = selectors.current_cycle_with_phase()
            panels.append(Panel("placement/_dashboard_office.html", {
                "office_memberships": office_memberships, "current_cycle": current_cycle,
                "current_phase": current_phase, "roles": roles, "Role": Role,
            }))
    if Role.EXAM_STAFF in roles:
        panels.append(Panel("placement/_dashboard_exam_staff.html", {
            "cycle_summaries": selectors.cycle_summaries(),
            "pending_invitations": Invitation.objects.pending().count(),
        }))
    return panels
