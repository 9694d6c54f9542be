"""Statistics of an assignment, and of two assignments side by side.

The achieved preference rank is the 1-based place of the received office in the candidate's own
list; ``None`` stands for unplaced, which counts as worse than any rank.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from placement.engine.checks import assignment_indices
from placement.engine.types import Instance


@dataclass(frozen=True)
class AssignmentStats:
    """Counts describing one assignment.

    ``rank_distribution`` has a key for every rank from 1 to the longest preference list (zero
    counts included, so two distributions line up) and the key ``None`` for unplaced candidates.
    ``seats_filled`` has an entry for every office.
    """

    candidates: int
    seats: int
    placed: int
    unplaced: int
    first_choice: int
    rank_distribution: dict[int | None, int]
    seats_filled: dict[Hashable, int]


@dataclass(frozen=True)
class Comparison:
    """Two assignments side by side; ``moves`` are (candidate, office_a, office_b).

    ``gains`` are the candidates with a better achieved rank in B than in A, ``losses`` those with a
    worse one; each is in candidate order.
    """

    a: AssignmentStats
    b: AssignmentStats
    moves: list[tuple[Hashable, Hashable | None, Hashable | None]]
    gains: list[Hashable]
    losses: list[Hashable]


def _achieved_ranks(instance: Instance, match: list[int]) -> list[int | None]:
    """Return each candidate's achieved 1-based preference rank, ``None`` when unplaced."""
    pref = instance._pref
    return [pref[c].index(o) + 1 if o >= 0 else None for c, o in enumerate(match)]


def _stats(instance: Instance, match: list[int], ranks: list[int | None]) -> AssignmentStats:
    """Return the statistics of a validated assignment."""
    longest = max((len(ranking) for ranking in instance._pref), default=0)
    distribution: dict[int | None, int] = dict.fromkeys(range(1, longest + 1), 0)
    distribution[None] = 0
    for rank in ranks:
        distribution[rank] += 1
    filled = [0] * len(instance.office_ids)
    for o in match:
        if o >= 0:
            filled[o] += 1
    unplaced = distribution[None]
    return AssignmentStats(
        candidates=len(match),
        seats=sum(instance._cap),
        placed=len(match) - unplaced,
        unplaced=unplaced,
        first_choice=distribution.get(1, 0),
        rank_distribution=distribution,
        seats_filled=dict(zip(instance.office_ids, filled, strict=True)),
    )


def assignment_stats(instance: Instance, assignment: Mapping[Hashable, Hashable | None]) -> AssignmentStats:
    """Return the statistics of one assignment (validated like ``blocking_pairs`` does)."""
    match = assignment_indices(instance, assignment)
    return _stats(instance, match, _achieved_ranks(instance, match))


def compare(
    instance: Instance,
    assignment_a: Mapping[Hashable, Hashable | None],
    assignment_b: Mapping[Hashable, Hashable | None],
) -> Comparison:
    """Return both assignments' statistics and who moves, gains and loses from A to B."""
    match_a = assignment_indices(instance, assignment_a)
    match_b = assignment_indices(instance, assignment_b)
    ranks_a = _achieved_ranks(instance, match_a)
    ranks_b = _achieved_ranks(instance, match_b)
    # Index -1 (unplaced) picks the None appended at the end.
    office_ids = instance.office_ids + (None,)
    # Unplaced sorts after every real rank.
    unplaced = len(office_ids) + 1
    moves = []
    gains = []
    losses = []
    for c, candidate in enumerate(instance.candidate_ids):
        if match_a[c] == match_b[c]:
            continue
        moves.append((candidate, office_ids[match_a[c]], office_ids[match_b[c]]))
        rank_a = unplaced if ranks_a[c] is None else ranks_a[c]
        rank_b = unplaced if ranks_b[c] is None else ranks_b[c]
        if rank_b < rank_a:
            gains.append(candidate)
        elif rank_b > rank_a:
            losses.append(candidate)
    return Comparison(
        a=_stats(instance, match_a, ranks_a),
        b=_stats(instance, match_b, ranks_b),
        moves=moves,
        gains=gains,
        losses=losses,
    )
