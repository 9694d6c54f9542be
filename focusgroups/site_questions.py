"""Access-table rows and menu entries of the questions to candidates and the candidates' focus-group page.

Which question a user reaches is scoped in focusgroups/access.py: members and the leader those of their group,
a candidate only those asked of their own candidacy.
"""
from django.utils.translation import gettext_lazy as _

from accounts.access import CANDIDATE, LEADER, MEMBER
from core.registry import NavigationEntry

ACCESS = {
    "focusgroups:question_ask": frozenset({LEADER, MEMBER}),
    "focusgroups:question_thread": frozenset({LEADER, MEMBER}),
    "focusgroups:candidate_groups": frozenset({CANDIDATE}),
    "focusgroups:candidate_question": frozenset({CANDIDATE}),
}

NAVIGATION = [
    NavigationEntry("focusgroups:candidate_groups", _("My focus groups"), position=27),
]
