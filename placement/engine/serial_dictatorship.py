"""Exam-rank placement, today's legal rule: the best exam rank picks first.

``exam_rank_instance`` expresses the rule as an instance in which every office ranks candidates
by exam order, so ``solve(..., proposing="candidates")`` applies it. ``serial_dictatorship``
implements the rule directly and independently; the tests prove that both agree.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

from placement.engine.types import CANDIDATES, Instance, InvalidInstance, Result


def exam_positions(
    exam_order: Sequence[Hashable], candidates: Mapping[Hashable, object]
) -> dict[Hashable, int]:
    """Return each candidate's 0-based exam position after checking the order covers them once."""
    if isinstance(exam_order, (str, bytes)) or isinstance(exam_order, Mapping):
        raise InvalidInstance("the exam order must be a sequence of candidate ids, best first")
    positions: dict[Hashable, int] = {}
    for i, candidate in enumerate(exam_order):
        try:
            known = candidate in candidates
        except TypeError:
            raise InvalidInstance(f"the exam order names an unhashable candidate {candidate!r}") from None
        if not known:
            raise InvalidInstance(f"the exam order names unknown candidate {candidate!r}")
        if candidate in positions:
            raise InvalidInstance(f"the exam order names candidate {candidate!r} more than once")
        positions[candidate] = i
    if len(positions) != len(candidates):
        missing = next(candidate for candidate in candidates if candidate not in positions)
        raise InvalidInstance(f"the exam order does not name candidate {missing!r}")
    return positions


def exam_rank_instance(
    capacities: Mapping[Hashable, int],
    preferences: Mapping[Hashable, Sequence[Hashable]],
    exam_order: Sequence[Hashable],
) -> Instance:
    """Return the instance in which every office ranks the candidates who ranked it by exam order.

    ``exam_order`` lists every candidate exactly once, best exam rank first. Candidates who did not
    rank an office are left out of its list, which changes nothing because they would never apply.
    """
    exam_positions(exam_order, preferences)
    priorities: dict[Hashable, list[Hashable]] = {office: [] for office in capacities}
    # Walking the exam order appends candidates to each office's list already sorted by rank.
    for candidate in exam_order:
        ranking = preferences[candidate]
        if not isinstance(ranking, (list, tuple)):
            # Instance below rejects it with a message naming the candidate.
            continue
        for office in ranking:
            try:
                applicants = priorities.get(office)
            except TypeError:
                # Instance below rejects the unhashable office with a message naming it.
                continue
            if applicants is not None:
                applicants.append(candidate)
    return Instance(capacities, preferences, priorities)


def serial_dictatorship(
    capacities: Mapping[Hashable, int],
    preferences: Mapping[Hashable, Sequence[Hashable]],
    exam_order: Sequence[Hashable],
) -> Result:
    """Return the assignment in which each candidate, in exam order, takes its best office with seats left."""
    # Building an instance only validates the input with the same rules and messages as ``solve``.
    Instance(capacities, preferences, {})
    exam_positions(exam_order, preferences)
    seats_left = dict(capacities)
    assignment: dict[Hashable, Hashable | None] = dict.fromkeys(preferences)
    for candidate in exam_order:
        for office in preferences[candidate]:
            if seats_left[office] > 0:
                seats_left[office] -= 1
                assignment[candidate] = office
                break
    return Result(assignment=assignment, proposing=CANDIDATES, method="serial_dictatorship")
