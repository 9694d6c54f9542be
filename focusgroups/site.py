"""The focus groups' part of the site shell: access-table rows and menu entries.

Which group a user reaches is scoped in focusgroups/access.py: a leader the groups of offices they lead, a member
the groups they are an active member of, a candidate only what concerns their own candidacy.
"""
from django.utils.translation import gettext_lazy as _

from accounts.access import LEADER, MEMBER
from accounts.roles import Role
from core.registry import NavigationEntry, Panel, PersonalDataContributor

from . import personal_data
from .site_questions import ACCESS as QUESTION_ACCESS
from .site_questions import NAVIGATION as QUESTION_NAVIGATION

RATERS = frozenset({LEADER, MEMBER})
LEADERS = frozenset({LEADER})

ACCESS = {
    "focusgroups:my_groups": RATERS,
    "focusgroups:group_start": LEADERS,
    "focusgroups:group_detail": RATERS,
    "focusgroups:members": LEADERS,
    "focusgroups:member_remove": LEADERS,
    "focusgroups:rubric": RATERS,
    "focusgroups:sessions": RATERS,
    "focusgroups:session_edit": LEADERS,
    "focusgroups:session_cancel": LEADERS,
    "focusgroups:roster": LEADERS,
    "focusgroups:scoring_open": LEADERS,
    "focusgroups:scoring_close": LEADERS,
    "focusgroups:score_list": RATERS,
    "focusgroups:score_candidate": RATERS,
    "focusgroups:score_submit": RATERS,
    "focusgroups:note_add": RATERS,
    "focusgroups:note_remove": RATERS,
    "focusgroups:results": LEADERS,
    "focusgroups:result_detail": LEADERS,
    "focusgroups:outcome_adjust": LEADERS,
    "focusgroups:submission_reopen": LEADERS,
    "focusgroups:finalise": LEADERS,
    "focusgroups:record": LEADERS,
    "focusgroups:history": LEADERS,
    "focusgroups:record_export": LEADERS,
    **QUESTION_ACCESS,
}


# What the focus groups hold about a candidate, exported and erased for the privacy app.
PERSONAL_DATA = [
    PersonalDataContributor(
        key="focusgroups",
        models=("focusgroups.RosterEntry", "focusgroups.Rating", "focusgroups.Submission", "focusgroups.VideoNote",
                "focusgroups.Outcome", "focusgroups.CandidateQuestion"),
        export=personal_data.candidate_export,
        erase=personal_data.candidate_erase,
    ),
]

NAVIGATION = [
    NavigationEntry("focusgroups:my_groups", _("Focus groups"), position=44),
    *QUESTION_NAVIGATION,
]


def dashboard_panels(request) -> list[Panel]:
    """Show raters their groups and what is left to score; candidates the groups that have them and open questions."""
    from . import access, selectors

    user = request.user
    panels = []
    if user.roles & {Role.FOCUS_GROUP_LEADER, Role.FOCUS_GROUP_MEMBER}:
        panels.append(Panel("focusgroups/_dashboard_rater.html", {"rater_tasks": selectors.rater_tasks(user),
                                                                   "leads": bool(access.led_office_ids(user))}))
    if Role.CANDIDATE in user.roles:
        candidate_ids = list(access.candidacies_of(user).filter(cycle__is_current=True).values_list("pk", flat=True))
        groups = [group for candidate_id in candidate_ids
                  for group in selectors.groups_for_candidate(candidate=candidate_id)]
        if groups:
            panels.append(Panel("focusgroups/_dashboard_candidate.html", {
                "candidate_groups": groups,
                "open_questions": selectors.open_questions_count(candidate_ids=candidate_ids)}))
    return panels
