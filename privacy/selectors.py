"""The reads of the privacy pages, each in a fixed number of queries."""
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch

from placement.models import PlacementRun, Publication

from .access import own_candidacies
from .models import DataExport, Erasure
from .rules import ACTIVE_RUN_STATES, erasure_allowed, erasure_opens_at


@dataclass
class CandidacyPrivacy:
    """One of the user's candidacies as the "My data" page shows it."""

    candidate: object
    export: DataExport | None
    erasure: Erasure | None
    erasure_allowed: bool
    erasure_opens_at: object


def candidacy_privacy_list(user) -> list[CandidacyPrivacy]:
    """Return the user's candidacies, newest cycle first, with their latest archive and the erasure rule's answer."""
    candidates = (own_candidacies(user).select_related("cycle", "erasure")
                  .annotate(cycle_published=Exists(Publication.objects.filter(cycle=OuterRef("cycle_id"))),
                            cycle_run_active=Exists(PlacementRun.objects.filter(cycle=OuterRef("cycle_id"),
                                                                                status__in=ACTIVE_RUN_STATES)))
                  .prefetch_related(Prefetch("data_exports", queryset=DataExport.objects.order_by("-requested_at",
                                                                                                "-pk")))
                  .order_by("-cycle__year", "-pk"))
    rows = []
    for candidate in candidates:
        exports = list(candidate.data_exports.all())
        erasure = getattr(candidate, "erasure", None)
        rows.append(CandidacyPrivacy(candidate=candidate, export=exports[0] if exports else None, erasure=erasure,
                                     erasure_allowed=erasure_allowed(candidate.cycle,
                                                                     published=candidate.cycle_published,
                                                                     run_active=candidate.cycle_run_active),
                                     erasure_opens_at=erasure_opens_at(candidate.cycle,
                                                                       published=candidate.cycle_published)))
    return rows


def erasure_list():
    """Return every erasure, newest first, with its cycle."""
    return Erasure.objects.select_related("cycle").order_by("-erased_at", "-pk")
