"""Record who viewed a candidate's personal data (Taiwan's Personal Data Protection Act, issue #13).

Changes to a candidate's data are in the audit history already (core.audit); this module records reading. Every
page that shows one candidate's data to someone other than that candidate calls `candidate_data_view_record`
right after its access check, and examination staff read the rows on the candidate's access log page.

Lists of many candidates (the staff candidate list, a focus group's roster, the portfolios an office may see) are
not recorded. They show a line per candidate that the viewer's role is entitled to anyway, each line leads to a
page that is recorded, and one row per listed candidate would multiply the writes of the busiest pages by their
length and bury each candidate's log under everyone's list views. The service still takes many candidates, for a
page that shows several candidates' full data at once.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone

from ..models import Candidate, CandidateDataView

logger = logging.getLogger(__name__)

# One row per viewer, candidate and kind of data within this many seconds. A focus group member scoring a
# candidate reloads the page on every draft save and the player fetches a video in many range requests, and the
# load test opens scoring pages many times a second; one row per five minutes still tells the candidate and the
# examination staff who saw what and when, to the few minutes an oversight reader needs, while it bounds the writes
# to one per person, candidate and kind per window however often the page is opened.
DEDUPE_SECONDS = 300

CACHE_KEY = "placement:candidate-data-view:{viewer}:{candidate}:{what}"


def candidate_data_view_record(*, viewer, candidates: Candidate | Iterable[Candidate], what: str,
                               url_name: str = "") -> int:
    """Record that `viewer` saw `what` of each candidate, in one insert; return how many rows were written.

    No row is written for a candidate viewing their own data, for anonymous users, or when the same viewer saw
    the same kind of the same candidate's data within DEDUPE_SECONDS.

    A failure to record is logged and never raised: the log is a record for oversight, not an access check (the
    page's own access check has already passed), and a focus group member must not lose the scoring page because
    the log table is locked or the cache is down.
    """
    if viewer is None or not viewer.is_authenticated:
        return 0
    if isinstance(candidates, Candidate):
        candidates = [candidates]
    what = CandidateDataView.What(what)  # A wrong kind is a programming error, so it raises here.
    others = {candidate.pk: candidate for candidate in candidates if candidate.user_id != viewer.pk}
    if not others:
        return 0
    fresh = _claim(viewer.pk, list(others), what)
    if not fresh:
        return 0
    now = timezone.now()
    rows = [CandidateDataView(viewer=viewer, viewer_email=viewer.email, candidate_id=candidate_id, what=what,
                              url_name=url_name[:100], viewed_at=now) for candidate_id in fresh]
    try:
        # Its own savepoint, so a failed insert never spoils a transaction the caller has open.
        with transaction.atomic():
            CandidateDataView.objects.bulk_create(rows)
    except DatabaseError:
        logger.exception("Could not record that user %s viewed %s of candidates %s.", viewer.pk, what, fresh)
        _release(viewer.pk, fresh, what)
        return 0
    return len(rows)


def _key(viewer_id: int, candidate_id: int, what: str) -> str:
    return CACHE_KEY.format(viewer=viewer_id, candidate=candidate_id, what=what)


def _claim(viewer_id: int, candidate_ids: list[int], what: str) -> list[int]:
    """Return the candidates not recorded for this viewer and kind within the window, claiming them for it.

    The window lives in the shared cache, not in a query of the table: a page seen again within the window then
    costs no database query at all. `cache.add` sets a key only if it is absent, so two requests at once claim a
    candidate once. Without a cache the rows are written anyway: a duplicate row is harmless, a missing one is not.
    """
    try:
        return [candidate_id for candidate_id in candidate_ids
                if cache.add(_key(viewer_id, candidate_id, what), 1, timeout=DEDUPE_SECONDS)]
    except Exception:  # Any cache backend's connection error; the cache is an optimisation here.
        logger.warning("The cache is unreachable; recording candidate data views without the dedupe window.",
                       exc_info=True)
        return candidate_ids


def _release(viewer_id: int, candidate_ids: list[int], what: str) -> None:
    """Give back the claims of rows that were not written, so the next view records them."""
    try:
        cache.delete_many([_key(viewer_id, candidate_id, what) for candidate_id in candidate_ids])
    except Exception:  # As in _claim: the cache is an optimisation.
        logger.warning("Could not release candidate data view claims.", exc_info=True)
