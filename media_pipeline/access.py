"""Per-role scoped lookups for videos and evidence: an id outside the user's scope answers 404 like a missing one.

Who manages: a candidate their own candidacies' videos and evidence; office staff their offices' videos.
Who watches: the managers; every signed-in user an office's playable videos (office facts are public to the
platform); examination staff every candidate's playable videos and evidence; a focus group leader or member
those of the candidates who consent for their own office. Consent belongs to the app that records it
(portfolios), which registers its rule here at start-up, so media imports nothing from it; without a registered
rule no focus group sees any candidate.
"""
from collections.abc import Callable, Iterable

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import Role
from accounts.scopes import offices_where_user_holds, user_holds_role_at
from placement.models import Candidate, LandOffice

from .models import EvidenceFile, Video

# Roles that evaluate the candidates connected to the office where they hold the role.
OFFICE_EVALUATOR_ROLES = frozenset({Role.FOCUS_GROUP_LEADER, Role.FOCUS_GROUP_MEMBER})
PLAYABLE = Q(kind=Video.Kind.UPLOAD, state=Video.State.READY) | Q(
    kind=Video.Kind.YOUTUBE,
    state__in=[Video.State.VERIFIED, Video.State.NOT_VERIFIED, Video.State.PENDING, Video.State.DEFERRED],
)


# Returns, as a subquery, the ids of the candidates who let these offices' focus groups see their work.
ConsentRule = Callable[[Iterable[int]], QuerySet]
_consenting_candidate_ids: ConsentRule | None = None


def consent_rule_register(rule: ConsentRule) -> None:
    """Let `rule` decide which candidates an office's focus group may watch; called once at start-up."""
    global _consenting_candidate_ids
    _consenting_candidate_ids = rule


def managed_office_ids(user) -> frozenset[int]:
    """Return the offices whose videos a user manages (office staff grants only)."""
    return offices_where_user_holds(user, {Role.OFFICE_STAFF})


def candidacy_for_user(user) -> Candidate | None:
    """Return the candidacy whose videos a candidate manages: the current cycle's, else the latest."""
    if Role.CANDIDATE not in user.roles:
        return None
    return (Candidate.objects.filter(user=user).select_related("cycle")
            .order_by("-cycle__is_current", "-cycle__year", "-cycle_id").first())


def evaluated_candidates(user) -> Q | None:
    """Return a filter on candidate_id for the candidates a user evaluates, or None when they evaluate none."""
    if Role.EXAM_STAFF in user.roles:
        return Q(candidate_id__isnull=False)
    offices = offices_where_user_holds(user, OFFICE_EVALUATOR_ROLES)
    if not offices or _consenting_candidate_ids is None:
        return None
    return Q(candidate_id__in=_consenting_candidate_ids(offices))


def videos_managed_by(user) -> QuerySet[Video]:
    scope = Q()
    if Role.CANDIDATE in user.roles:
        scope |= Q(candidate__user=user)
    offices = managed_office_ids(user)
    if offices:
        scope |= Q(office_id__in=offices)
    return Video.objects.filter(scope) if scope else Video.objects.none()


def videos_watchable_by(user) -> QuerySet[Video]:
    scope = Q(office__isnull=False) & PLAYABLE
    evaluated = evaluated_candidates(user)
    if evaluated is not None:
        scope |= evaluated & PLAYABLE
    if Role.CANDIDATE in user.roles:
        scope |= Q(candidate__user=user)
    offices = managed_office_ids(user)
    if offices:
        scope |= Q(office_id__in=offices)
    return Video.objects.filter(scope)


def evidence_managed_by(user) -> QuerySet[EvidenceFile]:
    if Role.CANDIDATE not in user.roles:
        return EvidenceFile.objects.none()
    return EvidenceFile.objects.filter(candidate__user=user)


def evidence_viewable_by(user) -> QuerySet[EvidenceFile]:
    evaluated = evaluated_candidates(user)
    if evaluated is None:
        return evidence_managed_by(user)
    own = Q(candidate__user=user) if Role.CANDIDATE in user.roles else Q(pk__in=[])
    return EvidenceFile.objects.filter(evaluated | own)


def office_get_for_manage(user, office_id: int) -> LandOffice:
    if not user_holds_role_at(user, Role.OFFICE_STAFF, office_id):
        raise Http404
    return get_object_or_404(LandOffice, pk=office_id)


def video_get_for_manage(user, pk: int) -> Video:
    return get_object_or_404(videos_managed_by(user).select_related("candidate", "office"), pk=pk)


def video_get_for_watch(user, pk: int) -> Video:
    return get_object_or_404(videos_watchable_by(user).select_related("candidate", "office"), pk=pk)


def video_may_manage(user, video: Video) -> bool:
    return videos_managed_by(user).filter(pk=video.pk).exists()


def evidence_get_for_manage(user, pk: int) -> EvidenceFile:
    return get_object_or_404(evidence_managed_by(user), pk=pk)


def evidence_get_for_view(user, pk: int) -> EvidenceFile:
    # The candidate comes along for the access log, which records who other than them opened the file.
    return get_object_or_404(evidence_viewable_by(user).select_related("candidate"), pk=pk)
