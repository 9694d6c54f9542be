"""Reads for the portfolio pages, and the one answer to "whose portfolio may an office's focus group see?".

The consent rule: a candidate who has never saved a choice of offices (Portfolio.consent_chosen_at is empty)
consents for the offices on their preference list; once they have saved one, exactly for the offices whose
PortfolioConsent is not withdrawn. This module imports no media_pipeline module, so media_pipeline's access rules
may build on `consenting_candidate_ids` without an import cycle; pages pass the videos and files they show in.
"""
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from placement import selectors as placement_selectors

from .models import Portfolio, PortfolioConsent, PortfolioVisit, ProcedureStep, VideoDescription


def consenting_candidate_ids(office_ids: Iterable[int]) -> QuerySet:
    """Return, as a subquery, the ids of candidates who let the focus groups of any of these offices see them."""
    office_ids = list(office_ids)
    explicit = PortfolioConsent.objects.filter(office_id__in=office_ids, withdrawn_at__isnull=True).values(
        "candidate_id")
    chosen = Portfolio.objects.filter(consent_chosen_at__isnull=False).values("candidate_id")
    by_default = placement_selectors.candidate_ids_ranking_offices(office_ids=office_ids).exclude(
        preference_list__candidate_id__in=chosen)
    # A compound statement takes no ORDER BY in its parts, and the preference entries have a default ordering.
    return explicit.order_by().union(by_default.order_by())


def portfolio_for_candidate(*, candidate) -> Portfolio | None:
    return Portfolio.objects.filter(candidate=candidate).first()


@dataclass(frozen=True)
class Consent:
    """One office that may see a candidate's portfolio: since when (None by default), when it last looked."""

    office_id: int
    by_default: bool
    granted_at: object = None
    last_viewed_at: object = None


@dataclass(frozen=True)
class ConsentOverview:
    chosen: bool  # False while the default rule applies.
    in_force: list[Consent]
    withdrawn: list[PortfolioConsent]

    @property
    def office_ids(self) -> list[int]:
        return [consent.office_id for consent in self.in_force]


def consent_overview(*, candidate) -> ConsentOverview:
    """Return which offices may see a candidate's portfolio now, which were withdrawn, and their last visits."""
    preference_office_ids = placement_selectors.preference_office_ids(candidate=candidate)
    portfolio = portfolio_for_candidate(candidate=candidate)
    chosen = portfolio is not None and portfolio.consent_chosen_at is not None
    visits = dict(PortfolioVisit.objects.filter(candidate=candidate).values_list("office_id", "last_viewed_at"))
    rows = list(PortfolioConsent.objects.filter(candidate=candidate).order_by("-granted_at", "office_id"))
    if chosen:
        in_force = [Consent(office_id=row.office_id, by_default=False, granted_at=row.granted_at,
                            last_viewed_at=visits.get(row.office_id)) for row in rows if row.in_force]
    else:
        in_force = [Consent(office_id=office_id, by_default=True, last_viewed_at=visits.get(office_id))
                    for office_id in preference_office_ids]
    withdrawn = [row for row in rows if not row.in_force] if chosen else []
    return ConsentOverview(chosen=chosen, in_force=in_force, withdrawn=withdrawn)


@dataclass
class ShownVideo:
    """A video as the portfolio shows it: its description (None until written) and the files attached to it."""

    video: object
    description: VideoDescription | None
    evidence: list = field(default_factory=list)


@dataclass(frozen=True)
class PortfolioPage:
    candidate: object
    summary: str
    videos: list[ShownVideo]
    evidence: list  # Files attached to the portfolio as a whole (or to a video the portfolio does not show).


def portfolio_page(*, candidate, videos, evidence_files) -> PortfolioPage:
    """Return a portfolio as the focus groups see it: the given videos described, and the files placed.

    Three queries however many videos and steps: the portfolio, the descriptions and their steps.
    """
    videos = list(videos)
    portfolio = portfolio_for_candidate(candidate=candidate)
    descriptions = {
        description.video_id: description
        for description in VideoDescription.objects.filter(video_id__in=[video.pk for video in videos])
        .prefetch_related(Prefetch("steps", queryset=ProcedureStep.objects.order_by("position")))
    }
    shown = {video.pk: ShownVideo(video=video, description=descriptions.get(video.pk)) for video in videos}
    whole = []
    for evidence in evidence_files:
        if evidence.video_id in shown:
            shown[evidence.video_id].evidence.append(evidence)
        else:
            whole.append(evidence)
    return PortfolioPage(candidate=candidate, summary=portfolio.summary if portfolio else "",
                         videos=list(shown.values()), evidence=whole)


def described_video_ids(*, video_ids) -> set[int]:
    """Return which of these videos have a description."""
    return set(VideoDescription.objects.filter(video_id__in=list(video_ids)).values_list("video_id", flat=True))


def description_for_video(*, video) -> VideoDescription | None:
    return VideoDescription.objects.filter(video=video).prefetch_related(
        Prefetch("steps", queryset=ProcedureStep.objects.order_by("position"))).first()


def summaries_for_candidates(*, candidate_ids) -> dict[int, str]:
    """Return the portfolio summary of each of these candidates that has one."""
    return dict(Portfolio.objects.filter(candidate_id__in=list(candidate_ids)).exclude(summary="")
                .values_list("candidate_id", "summary"))
