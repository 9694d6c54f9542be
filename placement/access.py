"""Per-role scoped lookups: an id outside the user's scope answers 404, exactly like a missing one."""
from django.shortcuts import get_object_or_404

from accounts.roles import Role
from accounts.scopes import offices_where_user_holds

from .models import Candidate, ExamCycle, LandOffice, PlacementRun


def cycles_for_user(user):
    return ExamCycle.objects.all() if Role.EXAM_STAFF in user.roles else ExamCycle.objects.none()


def candidates_for_user(user):
    """Return the candidate rows a user may see: all for examination staff, their own for a candidate."""
    if Role.EXAM_STAFF in user.roles:
        return Candidate.objects.all()
    if Role.CANDIDATE in user.roles:
        return Candidate.objects.filter(user=user)
    return Candidate.objects.none()


def offices_for_user(user):
    # Office facts are public information for every signed-in role.
    return LandOffice.objects.all()


def cycle_get_for_user(user, pk: int) -> ExamCycle:
    return get_object_or_404(cycles_for_user(user), pk=pk)


def candidate_get_for_user(user, pk: int) -> Candidate:
    return get_object_or_404(candidates_for_user(user).select_related("cycle", "user"), pk=pk)


def may_read_access_log(user) -> bool:
    """Return whether a user may read candidates' access logs: examination staff only, never the candidate."""
    return Role.EXAM_STAFF in user.roles


def candidate_get_for_access_log(user, pk: int) -> Candidate:
    """Return a candidate whose access log the user may read; anyone but examination staff gets a 404."""
    candidates = Candidate.objects.all() if may_read_access_log(user) else Candidate.objects.none()
    return get_object_or_404(candidates.select_related("cycle"), pk=pk)


def office_get_for_user(user, code: str) -> LandOffice:
    return get_object_or_404(offices_for_user(user), code=code)


def runs_for_user(user):
    return PlacementRun.objects.all() if Role.EXAM_STAFF in user.roles else PlacementRun.objects.none()


def run_get_for_user(user, pk: int):
    return get_object_or_404(runs_for_user(user).select_related("cycle", "created_by"), pk=pk)


# Who sees an office's own placement list: its staff and its focus group leader, not its focus group members.
OFFICE_PLACEMENT_ROLES = frozenset({Role.OFFICE_STAFF, Role.FOCUS_GROUP_LEADER})


def own_office_get_for_user(user, code: str) -> LandOffice:
    """Return an office where the user is staff or focus group leader; any other office answers 404."""
    offices = offices_where_user_holds(user, OFFICE_PLACEMENT_ROLES)
    return get_object_or_404(LandOffice.objects.filter(pk__in=offices), code=code)
