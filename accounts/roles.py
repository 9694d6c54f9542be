"""The five roles of SurveyPlace and the groups of them that policies refer to."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    OFFICE_STAFF = "office_staff", _("Land office staff")
    FOCUS_GROUP_LEADER = "focus_group_leader", _("Focus group leader")
    FOCUS_GROUP_MEMBER = "focus_group_member", _("Focus group member")
    EXAM_STAFF = "exam_staff", _("Examination staff")


# Roles held by people who work at a land office; each such grant names the office.
OFFICE_ROLES = frozenset({Role.OFFICE_STAFF, Role.FOCUS_GROUP_LEADER, Role.FOCUS_GROUP_MEMBER})
# Every role except candidate is staff, and staff must use TOTP before reaching any staff page.
STAFF_ROLES = OFFICE_ROLES | {Role.EXAM_STAFF}
