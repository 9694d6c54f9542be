"""Why each candidate did not get an office it ranked higher.

For every office a candidate ranked above the one it received (every ranked office when it is
unplaced) the explanation gives the office's seats, the priority positions of those holding them,
the cutoff (the worst admitted position), the candidate's own position there, and a reason code:

* ``zero_seats``: the office has no seats (checked first, since nobody could get it);
* ``not_acceptable``: the office does not list the candidate;
* ``full_with_higher_priority``: every seat is held by someone the office ranks higher;
* ``blocking_pair``: none of the above; only possible when the assignment is not stable.

Positions are 1-based (1 = the office's first choice), ready to show to people.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from placement.engine.checks import assignment_indices
from placement.engine.types import Instance

ZERO_SEATS = "zero_seats"
NOT_ACCEPTABLE = "not_acceptable"
FULL_WITH_HIGHER_PRIORITY = "full_with_higher_priority"
BLOCKING_PAIR = "blocking_pair"


@dataclass(frozen=True)
class OfficeExplanation:
    """Why the candidate did not get one office it preferred."""

    office: Hashable
    preference_rank: int
    seats: int
    reason: str
    candidate_position: int | None
    holder_positions: tuple[int, ...]
    cutoff_position: int | None


@dataclass(frozen=True)
class CandidateExplanation:
    """The candidate's outcome and one explanation per office it ranked higher."""

    candidate: Hashable
    office: Hashable | None
    preference_rank: int | None
    better_offices: tuple[OfficeExplanation, ...]


def explain(
    instance: Instance,
    assignment: Mapping[Hashable, Hashable | None],
    candidates: Iterable[Hashable] | None = None,
) -> dict[Hashable, CandidateExplanation]:
    """Return the explanation of every candidate, or only of ``candidates`` when given."""
    match = assignment_indices(instance, assignment)
    prio_pos = instance._prio_pos
    holders: list[list[int]] = [[] for _ in instance.office_ids]
    for c, o in enumerate(match):
        if o >= 0:
            holders[o].append(prio_pos[o][c] + 1)
    holder_positions = [tuple(sorted(positions)) for positions in holders]

    if candidates is None:
        selected = range(len(instance.candidate_ids))
    else:
        selected = []
        for candidate in candidates:
            if candidate not in instance.candidate_index:
                raise KeyError(f"unknown candidate {candidate!r}")
            selected.append(instance.candidate_index[candidate])

    explanations = {}
    for c in selected:
        o = match[c]
        offices = instance._pref[c]
        end = offices.index(o) if o >= 0 else len(offices)
        details = []
        for i in range(end):
            better = offices[i]
            seats = instance._cap[better]
            position = prio_pos[better].get(c)
            held = holder_positions[better]
            cutoff = held[-1] if held else None
            if seats == 0:
                reason = ZERO_SEATS
            elif position is None:
                reason = NOT_ACCEPTABLE
            elif len(held) >= seats and cutoff is not None and cutoff < position + 1:
                reason = FULL_WITH_HIGHER_PRIORITY
            else:
                reason = BLOCKING_PAIR
            details.append(
                OfficeExplanation(
                    office=instance.office_ids[better],
                    preference_rank=i + 1,
                    seats=seats,
                    reason=reason,
                    candidate_position=None if position is None else position + 1,
                    holder_positions=held,
                    cutoff_position=cutoff,
                )
            )
        explanations[instance.candidate_ids[c]] = CandidateExplanation(
            candidate=instance.candidate_ids[c],
            office=None if o < 0 else instance.office_ids[o],
            preference_rank=None if o < 0 else end + 1,
            better_offices=tuple(details),
        )
    return explanations
