"""Deferred acceptance (Gale-Shapley) for offices with capacities.

Both directions are iterative loops over a stack of free agents, so the depth never grows with
the input. When candidates propose the result is the candidate-optimal stable assignment, and no
candidate can gain by misreporting its ranking; when offices propose it is the office-optimal one.
"""

from __future__ import annotations

from collections.abc import Hashable
from heapq import heappush, heapreplace

from placement.engine.types import CANDIDATES, OFFICES, Instance, Result


def solve(instance: Instance, proposing: str = CANDIDATES) -> Result:
    """Return the stable assignment that is optimal for the proposing side."""
    if proposing == CANDIDATES:
        match = _candidates_propose(instance)
    elif proposing == OFFICES:
        match = _offices_propose(instance)
    else:
        raise ValueError(f"proposing must be {CANDIDATES!r} or {OFFICES!r}, not {proposing!r}")
    return Result(assignment=_to_assignment(instance, match), proposing=proposing)


def _to_assignment(instance: Instance, match: list[int]) -> dict[Hashable, Hashable | None]:
    """Return the id-keyed assignment for a list of office ints (-1 meaning unplaced)."""
    # Index -1 (unplaced) picks the None appended at the end.
    office_ids = instance.office_ids + (None,)
    return dict(zip(instance.candidate_ids, [office_ids[o] for o in match], strict=True))


def _candidates_propose(instance: Instance) -> list[int]:
    """Return each candidate's office int (-1 when unplaced) in the candidate-optimal assignment."""
    pref = instance._pref
    prio_pos = instance._prio_pos
    cap = instance._cap
    prio = instance._prio
    # Each office keeps a heap of the negated priority positions it holds, so the top of the heap
    # is the worst admitted candidate. Storing plain ints avoids allocating a tuple per proposal;
    # the candidate is recovered from the office's priority list.
    held: list[list[int]] = [[] for _ in cap]
    next_choice = [0] * len(pref)
    free = list(range(len(pref) - 1, -1, -1))
    pop = free.pop
    push_free = free.append
    while free:
        c = pop()
        offices = pref[c]
        i = next_choice[c]
        end = len(offices)
        while i < end:
            o = offices[i]
            i += 1
            position = prio_pos[o].get(c)
            if position is None:
                continue
            heap = held[o]
            if len(heap) < cap[o]:
                heappush(heap, -position)
                break
            # An empty full heap means zero seats; otherwise compare with the worst admitted.
            if heap and -heap[0] > position:
                push_free(prio[o][-heapreplace(heap, -position)])
                break
        next_choice[c] = i

    match = [-1] * len(pref)
    for o, heap in enumerate(held):
        ranking = prio[o]
        for key in heap:
            match[ranking[-key]] = o
    return match


def _offices_propose(instance: Instance) -> list[int]:
    """Return each candidate's office int (-1 when unplaced) in the office-optimal assignment."""
    pref_pos = instance._pref_pos
    cap = instance._cap
    prio = instance._prio
    match = [-1] * len(pref_pos)
    # The candidate's own position of the office it holds, so a new offer is compared in O(1).
    held_position = [0] * len(pref_pos)
    filled = [0] * len(cap)
    next_choice = [0] * len(cap)
    # An office may be pushed again each time it loses a candidate; a stale entry is harmless
    # because the inner loop re-checks seats and the remaining list.
    free = [o for o in range(len(cap) - 1, -1, -1) if cap[o] > 0]
    while free:
        o = free.pop()
        ranking = prio[o]
        p = next_choice[o]
        end = len(ranking)
        seats = cap[o]
        while filled[o] < seats and p < end:
            c = ranking[p]
            p += 1
            position = pref_pos[c].get(o)
            if position is None:
                continue
            current = match[c]
            if current == -1:
                match[c] = o
                held_position[c] = position
                filled[o] += 1
            elif position < held_position[c]:
                match[c] = o
                held_position[c] = position
                filled[o] += 1
                filled[current] -= 1
                free.append(current)
        next_choice[o] = p
    return match
