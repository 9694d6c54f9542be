"""Blended office priorities: a weighted mix of exam standing and focus-group suitability.

For every office, each candidate who ranked it (and passes the optional ``acceptable`` test) gets

    score = exam_weight * exam_standing + (1 - exam_weight) * suitability

and the office's priority list is the candidates sorted by score, best first. Both parts are
normalised to [0, 1]:

* Exam standing comes from the exam rank (1 = best, equal ranks are ties) over all candidates of
  the cycle: ``(worst - rank) / (worst - best)``, so the best rank is 1 and the worst is 0. When all
  ranks are equal every standing is 1.
* Suitability is min-max normalised within the office, over every candidate the office scored,
  whether or not they ranked it: the best score is 1 and the lowest is 0; when all scores are equal
  every one is 1. A listed candidate without a score at an office that has scores gets 0 and is
  reported in ``unscored``.

Both scales are fixed by data that no candidate's ranking touches (the exam ranks of the whole
cycle, the office's own scores), so an office orders any two candidates the same way whoever else
applies: changing one candidate's list never changes how an office orders the others, which keeps
ranking truthfully safe under candidate-proposing deferred acceptance. (Rescaling over the
applicants only, as an earlier version did, let one candidate's list stretch the scale for the
rest.)

Offices without finalised focus-group scores (missing from ``suitability``, or mapped to ``None``
or to no scores at all) fall back to exam order: their score is the exam standing alone.

Scores are rounded to 12 decimal places before comparison, so that floating-point noise cannot
decide an order. Ties are broken by exam rank (better first), then by a lottery: each candidate
draws one number, the first 8 bytes of SHA-256 of ``f"{seed}:{candidate!r}"``, lowest first. The
same number is used at every office, it does not depend on the order of the input, and the seed is
returned so the run can be reproduced.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from placement.engine.types import Instance, InvalidInstance

SCORE_DECIMALS = 12


@dataclass(frozen=True)
class BlendedPriorities:
    """The priority lists of every office and what produced them."""

    priorities: dict[Hashable, list[Hashable]]
    scores: dict[Hashable, dict[Hashable, float]]
    seed: int
    exam_weight: float
    suitability_weight: float
    fallback_offices: tuple[Hashable, ...]
    unscored: dict[Hashable, tuple[Hashable, ...]]

    def instance(
        self, capacities: Mapping[Hashable, int], preferences: Mapping[Hashable, Sequence[Hashable]]
    ) -> Instance:
        """Return the instance with these priorities."""
        return Instance(capacities, preferences, self.priorities)


def lottery_number(seed: int, candidate: Hashable) -> int:
    """Return the candidate's lottery number for this seed (lower wins a tie)."""
    digest = hashlib.sha256(f"{seed}:{candidate!r}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _is_number(value: object) -> bool:
    """Return whether the value is a finite real number (bools excluded)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def exam_standings(
    exam_ranks: Mapping[Hashable, float] | Sequence[Hashable], candidates: Iterable[Hashable]
) -> tuple[dict[Hashable, float], dict[Hashable, float]]:
    """Return each candidate's exam rank and its standing in [0, 1] (best = 1).

    ``exam_ranks`` is either a mapping candidate -> rank (1 = best, ties allowed) or a sequence of
    candidate ids, best first. It must cover exactly the given candidates.
    """
    candidates = list(candidates)
    if isinstance(exam_ranks, Mapping):
        ranks = dict(exam_ranks)
    elif isinstance(exam_ranks, (str, bytes)):
        raise InvalidInstance("the exam ranks must be a mapping or a sequence of candidate ids")
    else:
        ranks = {}
        for i, candidate in enumerate(exam_ranks):
            if candidate in ranks:
                raise InvalidInstance(f"the exam order names candidate {candidate!r} more than once")
            ranks[candidate] = i + 1
    known = set(candidates)
    for candidate, rank in ranks.items():
        if candidate not in known:
            raise InvalidInstance(f"the exam ranks name unknown candidate {candidate!r}")
        if not _is_number(rank):
            raise InvalidInstance(f"candidate {candidate!r} has a non-numeric exam rank {rank!r}")
    for candidate in candidates:
        if candidate not in ranks:
            raise InvalidInstance(f"candidate {candidate!r} has no exam rank")
    if not ranks:
        return {}, {}
    best = min(ranks.values())
    worst = max(ranks.values())
    spread = worst - best
    standings = {c: (worst - r) / spread if spread else 1.0 for c, r in ranks.items()}
    return ranks, standings


def blended_priorities(
    offices: Iterable[Hashable],
    preferences: Mapping[Hashable, Sequence[Hashable]],
    exam_ranks: Mapping[Hashable, float] | Sequence[Hashable],
    suitability: Mapping[Hashable, Mapping[Hashable, float] | None],
    *,
    exam_weight: float = 0.7,
    seed: int | None = None,
    acceptable: Callable[[Hashable, Hashable], bool] | None = None,
) -> BlendedPriorities:
    """Return every office's priority list from blended exam standing and suitability.

    ``offices`` are the office ids (usually the keys of the capacities). ``suitability`` maps an
    office to its finalised focus-group scores (candidate -> number, higher is better); offices
    missing from it, or mapped to ``None`` or an empty mapping, fall back to exam order. Only
    candidates who ranked an office appear in its list, and of those only the ones for which
    ``acceptable(office, candidate)`` is true when it is given. A ``seed`` of ``None`` draws a
    fresh one, which is returned in the result.
    """
    if not _is_number(exam_weight) or not 0 <= exam_weight <= 1:
        raise InvalidInstance(f"the exam weight must be a number between 0 and 1, not {exam_weight!r}")
    if seed is None:
        seed = secrets.randbits(63)
    elif not isinstance(seed, int) or isinstance(seed, bool):
        raise InvalidInstance(f"the lottery seed must be an integer, not {seed!r}")
    suitability_weight = 1 - exam_weight

    office_list = list(offices)
    applicants: dict[Hashable, dict[Hashable, None]] = {office: {} for office in office_list}
    for candidate, ranking in preferences.items():
        if not isinstance(ranking, (list, tuple)):
            raise InvalidInstance(
                f"the ranking of candidate {candidate!r} must be a list or tuple, "
                f"not {type(ranking).__name__}"
            )
        for office in ranking:
            try:
                pool = applicants.get(office)
            except TypeError:
                pool = None
            if pool is None:
                raise InvalidInstance(f"candidate {candidate!r} ranks unknown office {office!r}")
            pool[candidate] = None
    ranks, standings = exam_standings(exam_ranks, preferences)

    for office, scores in suitability.items():
        if office not in applicants:
            raise InvalidInstance(f"suitability scores given for unknown office {office!r}")
        if scores is None:
            continue
        for candidate, score in scores.items():
            if candidate not in ranks:
                raise InvalidInstance(f"office {office!r} scores unknown candidate {candidate!r}")
            if not _is_number(score):
                raise InvalidInstance(
                    f"office {office!r} gives candidate {candidate!r} a non-numeric score {score!r}"
                )

    lottery: dict[Hashable, int] = {}
    priorities: dict[Hashable, list[Hashable]] = {}
    all_scores: dict[Hashable, dict[Hashable, float]] = {}
    fallback: list[Hashable] = []
    unscored: dict[Hashable, tuple[Hashable, ...]] = {}
    for office in office_list:
        pool = [c for c in applicants[office] if acceptable is None or acceptable(office, c)]
        scores = suitability.get(office)
        if not scores:
            fallback.append(office)
            blended = {c: round(standings[c], SCORE_DECIMALS) for c in pool}
        else:
            low = min(scores.values())
            spread = max(scores.values()) - low
            missing = tuple(c for c in pool if c not in scores)
            if missing:
                unscored[office] = missing
            blended = {}
            for c in pool:
                if c not in scores:
                    suit = 0.0
                else:
                    suit = (scores[c] - low) / spread if spread else 1.0
                value = exam_weight * standings[c] + suitability_weight * suit
                blended[c] = round(value, SCORE_DECIMALS)
        for c in pool:
            if c not in lottery:
                lottery[c] = lottery_number(seed, c)
        keys = {c: (-blended[c], ranks[c], lottery[c]) for c in pool}
        priorities[office] = sorted(pool, key=keys.__getitem__)
        all_scores[office] = blended
    return BlendedPriorities(
        priorities=priorities,
        scores=all_scores,
        seed=seed,
        exam_weight=exam_weight,
        suitability_weight=suitability_weight,
        fallback_offices=tuple(fallback),
        unscored=unscored,
    )
