"""Scoped lookups of focus groups: an id outside the user's scope answers 404, exactly like a missing one.

A leader runs the groups of the offices where they hold the leader role. A member reaches a group only while they
are an active member of it and hold a focus-group role at its office, so a grant at office A never opens office
B's group. A candidate reaches only what concerns their own candidacy, and never a score or a note.
"""
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.roles import Role
from accounts.scopes import offices_where_user_holds
from placement.models import Candidate

from .models import CandidateQuestion, FocusGroup

GROUP_ROLES = frozenset({Role.FOCUS_GROUP_LEADER, Role.FOCUS_GROUP_MEMBER})


def led_office_ids(user) -> frozenset[int]:
    return offices_where_user_holds(user, {Role.FOCUS_GROUP_LEADER})


def groups_led_by(user) -> QuerySet[FocusGroup]:
    return FocusGroup.objects.filter(office_id__in=led_office_ids(user))


def groups_rated_by(user) -> QuerySet[FocusGroup]:
    """Return the groups where the user is an active member, at offices where they still hold a group role."""
    return FocusGroup.objects.filter(
        office_id__in=offices_where_user_holds(user, GROUP_ROLES),
        members__user=user, members__removed_at__isnull=True,
    )


def group_get_for_leader(user, pk: int, *, lock: bool = False) -> FocusGroup:
    groups = groups_led_by(user).select_related("office", "cycle", "leader")
    return get_object_or_404(groups.select_for_update(of=("self",)) if lock else groups, pk=pk)


def group_get_for_member(user, pk: int) -> FocusGroup:
    """Return a group the user rates in; its leader reaches it too, as a rater of their own group."""
    scope = groups_rated_by(user) | groups_led_by(user)
    return get_object_or_404(FocusGroup.objects.filter(pk__in=scope.values("pk")).select_related("office", "cycle",
                                                                                              "leader"), pk=pk)


def roster_candidate_get(group: FocusGroup, candidate_id: int) -> Candidate:
    return get_object_or_404(Candidate.objects.filter(focus_group_entries__group=group).select_related("user"),
                             pk=candidate_id)


def candidacies_of(user) -> QuerySet[Candidate]:
    if Role.CANDIDATE not in user.roles:
        return Candidate.objects.none()
    return Candidate.objects.filter(user=user)


def question_get_for_candidate(user, pk: int) -> CandidateQuestion:
    return get_object_or_404(CandidateQuestion.objects.filter(candidate__in=candidacies_of(user))
                             .select_related("group__office", "candidate"), pk=pk)


def question_get_for_member(user, pk: int) -> CandidateQuestion:
    scope = groups_rated_by(user) | groups_led_by(user)
    return get_object_or_404(CandidateQuestion.objects.filter(group__in=scope.values("pk"))
                             .select_related("group__office", "candidate"), pk=pk)
