"""Reads for the media pages; each fixes its query shape so a list never grows queries with its rows."""
from django.db.models import Count, Q, QuerySet

from placement.access_log import entries_about
from placement.models import Candidate, LandOffice
from placement.phases import submissions_open

from .access import PLAYABLE
from .models import EvidenceFile, Video


def video_list_for_owner(*, candidate: Candidate | None = None, office: LandOffice | None = None) -> QuerySet[Video]:
    owner = {"candidate": candidate} if candidate is not None else {"office": office}
    return Video.objects.filter(**owner).order_by("-created_at", "-pk")


def evidence_list_for_candidate(*, candidate: Candidate) -> QuerySet[EvidenceFile]:
    return EvidenceFile.objects.filter(candidate=candidate).select_related("video").order_by("-created_at", "-pk")


def video_evidence_count(*, video: Video) -> int:
    """Return how many evidence files support this video (they stay, for the portfolio as a whole, if it goes)."""
    return video.evidence_files.count()


def offices_managed(*, office_ids) -> QuerySet[LandOffice]:
    return LandOffice.objects.filter(pk__in=office_ids).order_by("sort_order", "name")


def submissions_open_for_owner(*, candidate: Candidate | None) -> bool:
    """Return whether an owner may still add or remove videos and evidence.

    A candidate may until their cycle's submissions close, when the focus groups start evaluating what they
    submitted; an office (no candidate) always may, since the focus groups do not evaluate office videos.
    """
    return candidate is None or submissions_open(candidate.cycle)


def office_videos_playable(*, office: LandOffice) -> QuerySet[Video]:
    """Return an office's introduction videos that can be watched now, newest first, for its public page."""
    return Video.objects.filter(PLAYABLE, office=office).order_by("-created_at", "-pk")


def video_list_for_evaluators(*, candidate: Candidate) -> QuerySet[Video]:
    """Return the candidate's videos a focus group can watch (playable ones), in the owner's list order."""
    return video_list_for_owner(candidate=candidate).filter(PLAYABLE)


def video_counts_for_evaluators(*, candidate_ids) -> dict[int, int]:
    """Return how many videos a focus group can watch for each of these candidates (absent: none)."""
    return dict(Video.objects.filter(PLAYABLE, candidate_id__in=list(candidate_ids)).order_by()
                .values("candidate_id").annotate(total=Count("pk")).values_list("candidate_id", "total"))


def evidence_counts_for_candidates(*, candidate_ids) -> dict[int, int]:
    """Return how many evidence files each of these candidates has (absent: none)."""
    return dict(EvidenceFile.objects.filter(candidate_id__in=list(candidate_ids)).order_by()
                .values("candidate_id").annotate(total=Count("pk")).values_list("candidate_id", "total"))


def candidate_history_condition(candidate: Candidate) -> Q:
    """Return the condition for the audit entries about a candidate's videos and evidence files.

    Most video events name the video only, not its owner, so the candidate's access log finds them through the
    candidate's rows; a removed video's earlier entries are left out with it, and its removal entry names the
    candidate (services.shared.video_owner_data).
    """
    return (entries_about(Video, Video.objects.filter(candidate=candidate))
            | entries_about(EvidenceFile, EvidenceFile.objects.filter(candidate=candidate)))
