"""The practice app's part of the site shell: its access-table rows and menu entries.

Which office's bank a user writes and whose attempts and answers a candidate reads is scoped in practice/access.py.
"""
from django.utils.translation import gettext_lazy as _

from accounts.access import CANDIDATE, LEADER, MEMBER, OFFICE_STAFF, SIGNED_IN
from core.registry import NavigationEntry, PersonalDataContributor

from . import personal_data

ACCESS = {
    "practice:question_bank": frozenset({OFFICE_STAFF}),
    "practice:office_bank": frozenset({OFFICE_STAFF}),
    "practice:question_add": frozenset({OFFICE_STAFF}),
    "practice:task_add": frozenset({OFFICE_STAFF}),
    "practice:bank_import": frozenset({OFFICE_STAFF}),
    "practice:bank_export": frozenset({OFFICE_STAFF}),
    "practice:question_edit": frozenset({OFFICE_STAFF}),
    "practice:question_remove": frozenset({OFFICE_STAFF}),
    "practice:task_edit": frozenset({OFFICE_STAFF}),
    "practice:task_remove": frozenset({OFFICE_STAFF}),
    # A published task's attachment is office information like the task itself; unpublished ones only its staff.
    "practice:task_attachment": frozenset({SIGNED_IN}),
    "practice:my_practice": frozenset({CANDIDATE}),
    "practice:office_practice": frozenset({CANDIDATE}),
    "practice:attempt_detail": frozenset({CANDIDATE}),
    "practice:task_detail": frozenset({CANDIDATE}),
    "practice:task_answers": frozenset({LEADER, MEMBER}),
    "practice:office_task_answers": frozenset({LEADER, MEMBER}),
    # The candidate who answered, and the focus groups of the offices they consent to.
    "practice:answer_file": frozenset({CANDIDATE, LEADER, MEMBER}),
}


# A candidate's practice attempts and task answers, exported and erased for the privacy app.
PERSONAL_DATA = [
    PersonalDataContributor(
        key="practice",
        models=("practice.PracticeAttempt", "practice.TaskAnswer"),
        export=personal_data.candidate_export,
        erase=personal_data.candidate_erase,
    ),
]

NAVIGATION = [
    NavigationEntry("practice:question_bank", _("Question bank"), position=36),
    NavigationEntry("practice:task_answers", _("Task answers"), position=37),
    NavigationEntry("practice:my_practice", _("Practice"), position=55),
]
