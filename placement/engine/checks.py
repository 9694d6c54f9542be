"""Validation of assignments and the stability check.

A pair (candidate, office) blocks an assignment when both find each other acceptable (the
candidate ranked the office and the office lists the candidate), the candidate is unplaced or
ranks the office above its own, and the office has a free seat or holds someone it ranks below
the candidate. Offices with zero seats never block.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from placement.engine.types import Instance, InvalidAssignment


def assignment_indices(instance: Instance, assignment: Mapping[Hashable, Hashable | None]) -> list[int]:
    """Return each candidate's office int (-1 when unplaced) after validating the assignment.

    A candidate missing from the assignment counts as unplaced. Raise ``InvalidAssignment`` for an
    unknown candidate or office, an office the candidate did not rank or that does not list the
    candidate, and an office holding more candidates than it has seats.
    """
    if not isinstance(assignment, Mapping):
        raise InvalidAssignment(f"the assignment must be a mapping, not {type(assignment).__name__}")
    candidate_index = instance.candidate_index
    office_index = instance.office_index
    pref = instance._pref
    prio_pos = instance._prio_pos
    match = [-1] * len(instance.candidate_ids)
    filled = [0] * len(instance.office_ids)
    for candidate, office in assignment.items():
        c = candidate_index.get(candidate, -1)
        if c < 0:
            raise InvalidAssignment(f"the assignment names unknown candidate {candidate!r}")
        if office is None:
            continue
        try:
            o = office_index[office]
        except (KeyError, TypeError):
            raise InvalidAssignment(
                f"candidate {candidate!r} is assigned unknown office {office!r}"
            ) from None
        if o not in pref[c]:
            raise InvalidAssignment(
                f"candidate {candidate!r} is assigned office {office!r}, which it did not rank"
            )
        if c not in prio_pos[o]:
            raise InvalidAssignment(
                f"candidate {candidate!r} is assigned office {office!r}, which does not accept it"
            )
        match[c] = o
        filled[o] += 1
    for o, count in enumerate(filled):
        if count > instance._cap[o]:
            raise InvalidAssignment(
                f"office {instance.office_ids[o]!r} is assigned {count} candidates "
                f"but has {instance._cap[o]} seats"
            )
    return match


def worst_admitted(instance: Instance, match: list[int]) -> tuple[list[int], list[int]]:
    """Return, per office int, the number of holders and the worst holder's position (-1 if none)."""
    prio_pos = instance._prio_pos
    filled = [0] * len(instance.office_ids)
    worst = [-1] * len(instance.office_ids)
    for c, o in enumerate(match):
        if o >= 0:
            filled[o] += 1
            position = prio_pos[o][c]
            if position > worst[o]:
                worst[o] = position
    return filled, worst


def blocking_pairs(
    instance: Instance, assignment: Mapping[Hashable, Hashable | None]
) -> list[tuple[Hashable, Hashable]]:
    """Return every (candidate, office) pair that blocks the assignment; empty when it is stable.

    Pairs come in candidate order, then in the candidate's preference order. The work is linear in
    the total length of the rankings: each candidate only scans the offices it ranked above its
    own, comparing its position with that office's worst admitted position.
    """
    match = assignment_indices(instance, assignment)
    filled, worst = worst_admitted(instance, match)
    cap = instance._cap
    pref = instance._pref
    prio_pos = instance._prio_pos
    candidate_ids = instance.candidate_ids
    office_ids = instance.office_ids
    pairs = []
    for c, o in enumerate(match):
        offices = pref[c]
        end = offices.index(o) if o >= 0 else len(offices)
        for i in range(end):
            better = offices[i]
            position = prio_pos[better].get(c)
            if position is None:
                continue
            if filled[better] < cap[better] or position < worst[better]:
                pairs.append((candidate_ids[c], office_ids[better]))
    return pairs


def is_stable(instance: Instance, assignment: Mapping[Hashable, Hashable | None]) -> bool:
    """Return whether the (valid) assignment has no blocking pair."""
    return not blocking_pairs(instance, assignment)
