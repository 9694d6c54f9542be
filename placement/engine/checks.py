"""Validation of assignments and the stability check.

A pair (candidate, office) blocks an assignment when both find each other acceptable (the
candidate ranked the office and the office lists the candidate), the candidate is unplaced or
ranks the office above its own, and the office has a free seat or holds someone it ranks below
the candidate. Offices with zero seats never block.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from placement.engine.types import Instance, InvalidAssignment


def _office_ints(instance: Instance, assignment: Mapping[Hashable, Hashable | None]) -> list[int]:
    """Return each candidate's office int (-1 when unplaced), checking only that the ids are known."""
    if not isinstance(assignment, Mapping):
        raise InvalidAssignment(f"the assignment must be a mapping, not {type(assignment).__name__}")
    office_index = instance.office_index
    # An assignment from ``solve`` lists every candidate in instance order, so the offices can be
    # mapped in one comprehension; anything else takes the general loop below.
    if len(assignment) == len(instance.candidate_ids) and tuple(assignment) == instance.candidate_ids:
        lookup = {**office_index, None: -1}
        try:
            return [lookup[office] for office in assignment.values()]
        except (KeyError, TypeError):
            pass
    candidate_index = instance.candidate_index
    match = [-1] * len(instance.candidate_ids)
    for candidate, office in assignment.items():
        try:
            c = candidate_index[candidate]
        except (KeyError, TypeError):
            raise InvalidAssignment(f"the assignment names unknown candidate {candidate!r}") from None
        if office is None:
            continue
        try:
            match[c] = office_index[office]
        except (KeyError, TypeError):
            raise InvalidAssignment(
                f"candidate {candidate!r} is assigned unknown office {office!r}"
            ) from None
    return match


def _validated(
    instance: Instance, assignment: Mapping[Hashable, Hashable | None]
) -> tuple[list[int], list[int], list[int], list[int]]:
    """Return the validated assignment as ints, with what the stability check needs.

    The four lists are: each candidate's office int (-1 when unplaced); the position of that
    office in the candidate's list (the list length when unplaced); and per office, the number of
    holders and the worst holder's priority position (-1 when it holds nobody).
    """
    match = _office_ints(instance, assignment)
    pref = instance._pref
    prio_pos = instance._prio_pos
    cap = instance._cap
    ends = [0] * len(match)
    filled = [0] * len(cap)
    worst = [-1] * len(cap)
    for c, o in enumerate(match):
        offices = pref[c]
        if o < 0:
            ends[c] = len(offices)
            continue
        try:
            ends[c] = offices.index(o)
        except ValueError:
            raise InvalidAssignment(
                f"candidate {instance.candidate_ids[c]!r} is assigned office "
                f"{instance.office_ids[o]!r}, which it did not rank"
            ) from None
        position = prio_pos[o].get(c)
        if position is None:
            raise InvalidAssignment(
                f"candidate {instance.candidate_ids[c]!r} is assigned office "
                f"{instance.office_ids[o]!r}, which does not accept it"
            )
        filled[o] += 1
        if position > worst[o]:
            worst[o] = position
    for o, count in enumerate(filled):
        if count > cap[o]:
            raise InvalidAssignment(
                f"office {instance.office_ids[o]!r} is assigned {count} candidates but has {cap[o]} seats"
            )
    return match, ends, filled, worst


def assignment_indices(instance: Instance, assignment: Mapping[Hashable, Hashable | None]) -> list[int]:
    """Return each candidate's office int (-1 when unplaced) after validating the assignment.

    A candidate missing from the assignment counts as unplaced. Raise ``InvalidAssignment`` for an
    unknown candidate or office, an office the candidate did not rank or that does not list the
    candidate, and an office holding more candidates than it has seats.
    """
    return _validated(instance, assignment)[0]


def blocking_pairs(
    instance: Instance, assignment: Mapping[Hashable, Hashable | None]
) -> list[tuple[Hashable, Hashable]]:
    """Return every (candidate, office) pair that blocks the assignment; empty when it is stable.

    The assignment is validated as in ``assignment_indices``. Pairs come in candidate order, then
    in the candidate's preference order. The work is linear in the total length of the rankings:
    each candidate only scans the offices it ranked above its own, comparing its position there
    with the office's worst admitted position.
    """
    match, ends, filled, worst = _validated(instance, assignment)
    cap = instance._cap
    pref = instance._pref
    prio_pos = instance._prio_pos
    candidate_ids = instance.candidate_ids
    office_ids = instance.office_ids
    pairs = []
    for c, end in enumerate(ends):
        if not end:
            continue
        offices = pref[c]
        for i in range(end):
            better = offices[i]
            position = prio_pos[better].get(c)
            if position is not None and (filled[better] < cap[better] or position < worst[better]):
                pairs.append((candidate_ids[c], office_ids[better]))
    return pairs


def is_stable(instance: Instance, assignment: Mapping[Hashable, Hashable | None]) -> bool:
    """Return whether the (valid) assignment has no blocking pair."""
    return not blocking_pairs(instance, assignment)
