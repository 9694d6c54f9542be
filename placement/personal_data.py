"""What placement holds about a candidate, for the privacy app: the exam record, the list, the result, the answers.

Erasing keeps what the published placement needs. The published rows (Assignment, Publication, PlacementRun with
its snapshot) carry their own copies of the exam number and name and are immutable by database triggers, so they
are never touched; the Candidate row stays because those rows point at it (PROTECT), with its exam number, score
and rank, which the published result and its hashes rest on. The contact details (email, residence, the address
the candidate invitation and the result email went to) are cleared, the name is masked, the preference entries are
removed (the run's snapshot keeps the order it placed by), and the account is unlinked, then deleted when nothing
else uses it.
"""
from django.apps import apps
from django.db import transaction
from django.db.models import ProtectedError

from accounts.models import Invitation, RoleGrant
from accounts.roles import Role
from core.audit import history_for
from core.registry import PersonalData

from .models import (
    Assignment,
    Candidate,
    PlaceResponse,
    PreferenceEntry,
    PreferenceList,
    PublicationEmail,
    SuitabilityScore,
)

MASK = "○"
# What an erased address becomes where a row must keep a valid one ("invalid" is reserved: RFC 2606).
ERASED_EMAIL = "erased@erased.invalid"


def masked_name(name: str) -> str:
    """Return a name with all but its first and last characters masked: 王小明 → 王○明, 王明 → 王○."""
    name = name.strip()
    if len(name) <= 1:
        return MASK
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK * (len(name) - 2) + name[-1]


def _history(subject) -> list[dict]:
    return [{"at": entry.timestamp.isoformat(), "event": (entry.additional_data or {}).get("event", ""),
             "changes": entry.changes} for entry in history_for(subject)]


def _data_views_model():
    # The log of who opened a candidate's pages is another change under way; count it in when it is installed.
    try:
        return apps.get_model("placement", "CandidateDataView")
    except LookupError:
        return None


def candidate_export(candidate: Candidate) -> PersonalData:
    """Return the candidate's exam record, list, placement result and answers, with their history."""
    preference_list = PreferenceList.objects.filter(candidate=candidate).first()
    preferences = None
    if preference_list is not None:
        entries = PreferenceEntry.objects.filter(preference_list=preference_list).select_related("office")
        preferences = {
            "updated_at": preference_list.updated_at, "submitted_at": preference_list.submitted_at,
            "submitted_sha256": preference_list.submitted_sha256,
            "submitted_automatically": preference_list.submitted_automatically,
            "entries": [{"position": entry.position, "office_code": entry.office.code, "office": entry.office.name}
                        for entry in entries],
            "history": _history(preference_list),
        }
    # Only published rows are the candidate's result; unpublished runs were the staff's comparisons.
    assignments = Assignment.objects.filter(candidate=candidate, run__publication__isnull=False).select_related(
        "run__publication").order_by("run__publication__published_at")
    responses = PlaceResponse.objects.filter(candidate=candidate).select_related("office").prefetch_related(
        "evidence")
    scores = SuitabilityScore.objects.filter(candidate=candidate).select_related("office")
    views_model = _data_views_model()
    views = (list(views_model.objects.filter(candidate=candidate).values("what", "url_name", "viewed_at"))
             if views_model else [])
    return PersonalData(data={
        "candidate": {
            "cycle": candidate.cycle.name, "exam_number": candidate.exam_number, "name": candidate.name,
            "email": candidate.email, "exam_score": candidate.exam_score, "exam_rank": candidate.exam_rank,
            "on_reserve_list": candidate.on_reserve_list,
            "residence": {"county": candidate.residence_county, "district": candidate.residence_district,
                          "latitude": candidate.residence_latitude, "longitude": candidate.residence_longitude},
            "history": _history(candidate),
        },
        "preferences": preferences,
        "placement_results": [{
            "published_at": assignment.run.publication.published_at,
            "round": assignment.run.publication.round_number or 1,
            "office_code": assignment.office_code, "office": assignment.office_name,
            "preference_rank": assignment.preference_rank,
        } for assignment in assignments],
        "answers_to_places": [{
            "office": response.office.name, "state": response.state, "responded_at": response.responded_at,
            "reason": response.reason, "deferral_reason": response.deferral_reason,
            "decided_at": response.decided_at, "decision_reason": response.decision_reason,
            "evidence_titles": [item.title for item in response.evidence.all()],
        } for response in responses],
        "suitability_scores": [{"office": score.office.name, "score": score.score, "source": score.source}
                               for score in scores],
        "views_of_my_data": views,
    })


def candidate_erase(candidate: Candidate) -> list[str]:
    """Clear the candidate's contact details and list, mask the name and let go of the account; no files here."""
    PreferenceEntry.objects.filter(preference_list__candidate=candidate).delete()
    # The free text of an answer goes; its state and the staff's decision are the record of the placement.
    PlaceResponse.objects.filter(candidate=candidate).update(reason="")
    # The log of the result email keeps that it was sent and when, not where to.
    PublicationEmail.objects.filter(assignment__candidate=candidate).update(recipient="")
    user = candidate.user
    # The invitation the import sent keeps the address it went to; the record that one was sent stays.
    Invitation.objects.filter(role=Role.CANDIDATE, cycle=candidate.cycle_id, email__iexact=candidate.email).update(
        email=ERASED_EMAIL)
    Candidate.objects.filter(pk=candidate.pk).update(
        name=masked_name(candidate.name), email="", residence_county="", residence_district="",
        residence_latitude=None, residence_longitude=None, user=None,
    )
    if user is not None:
        _account_release(user, candidate=candidate)
    return []


def _account_release(user, *, candidate: Candidate) -> None:
    """Delete the account when this candidacy was all it was for; otherwise keep it for the person's other uses."""
    if Candidate.objects.filter(user=user).exclude(pk=candidate.pk).exists():
        return
    other_roles = RoleGrant.objects.filter(user=user).exclude(role=Role.CANDIDATE)
    if other_roles.exists():
        RoleGrant.objects.filter(user=user, role=Role.CANDIDATE).delete()
        return
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError:
        # Something the person did elsewhere (a focus-group rating, say) still points at the account: close it
        # and drop the address it signs in with instead.
        user.is_active = False
        user.email = f"erased-{user.pk}@erased.invalid"
        user.name = ""
        user.set_unusable_password()
        user.save(update_fields=["is_active", "email", "name", "password"])
        RoleGrant.objects.filter(user=user).delete()
        user.emailaddress_set.all().delete()

