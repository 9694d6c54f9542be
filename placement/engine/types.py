"""Instance, Result and the errors of the placement engine.

An instance is the college-admissions (hospital/resident) problem with capacities:

* The offices are exactly the keys of ``capacities``; a capacity is an ``int`` >= 0.
* The candidates are exactly the keys of ``preferences``; each value is the candidate's strict
  ranking of offices, best first, as a list or tuple, and may be empty. An office the candidate did
  not rank is unacceptable to the candidate.
* ``priorities`` maps an office to its strict ranking of candidates, best first, as a list or
  tuple. A candidate missing from that list is unacceptable to the office. An office of
  ``capacities`` that is missing from ``priorities`` accepts nobody; a key of ``priorities`` that
  is not an office is an error. A list may name candidates who did not rank the office.

Acceptability is mutual: a candidate can only be placed at, or form a blocking pair with, an office
that it ranked and that lists it. Ids are any hashable values; an office id cannot be ``None``,
which means "unplaced" in an assignment.

Invalid input raises ``InvalidInstance`` (a ``ValueError``) whose message names the offending entry:
an unknown office in a preference list, an unknown candidate in a priority list, a repeated entry,
a negative or non-integer capacity, an unknown office among the keys of ``priorities``, or a ranking
that is not a list or tuple.

Internally the instance maps ids to integers once, so the algorithms work on lists of ints.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

CANDIDATES = "candidates"
OFFICES = "offices"


class InvalidInstance(ValueError):
    """Raised when the capacities, preferences or priorities are malformed."""


class InvalidAssignment(ValueError):
    """Raised when an assignment breaks a capacity, acceptability, or names unknown ids."""


def _ranking_problem(owner: str, owner_id: Hashable, ranking: Any, index: Mapping, kind: str) -> str | None:
    """Return what is wrong with one ranking (its type, or its first bad entry), or None."""
    if not isinstance(ranking, (list, tuple)):
        return f"the ranking of {owner} {owner_id!r} must be a list or tuple, not {type(ranking).__name__}"
    seen = set()
    for entry in ranking:
        try:
            is_known = entry in index
        except TypeError:
            return f"{owner} {owner_id!r} ranks an unhashable {kind} {entry!r}"
        if not is_known:
            return f"{owner} {owner_id!r} ranks unknown {kind} {entry!r}"
        if entry in seen:
            return f"{owner} {owner_id!r} ranks {kind} {entry!r} more than once"
        seen.add(entry)
    return None


def _to_ints(owner: str, rankings: Mapping[Hashable, Any], index: Mapping, kind: str) -> list[list[int]]:
    """Return every ranking as a list of ints, or raise naming the first bad ranking or entry.

    Rankings must be lists or tuples: a string is iterable too, but reading it as a list of
    characters would hide the mistake.
    """
    # The fast path converts everything in one comprehension and checks for duplicates with sets;
    # only when something is wrong does the slow path walk the rankings to name the culprit.
    try:
        ints = [
            [index[entry] for entry in ranking] if isinstance(ranking, (list, tuple)) else None
            for ranking in rankings.values()
        ]
    except (KeyError, TypeError):
        ints = None
    if ints is not None and all(lst is not None and len(set(lst)) == len(lst) for lst in ints):
        return ints
    for owner_id, ranking in rankings.items():
        problem = _ranking_problem(owner, owner_id, ranking, index, kind)
        if problem is not None:
            raise InvalidInstance(problem)
    raise InvalidInstance(f"the rankings of the {owner}s are invalid")


class Instance:
    """A validated placement problem; see the module docstring for the rules.

    ``office_ids`` and ``candidate_ids`` are tuples in input order; ``office_index`` and
    ``candidate_index`` map an id to its place in them (read-only by convention). The properties
    ``capacities``, ``preferences`` and ``priorities`` give the validated input back as read-only
    mappings of tuples; ``priorities`` has an entry for every office, empty when it had none.
    """

    __slots__ = (
        "office_ids",
        "candidate_ids",
        "office_index",
        "candidate_index",
        "_cap",
        "_pref",
        "_prio",
        "_prio_pos",
        "_pref_pos_cache",
        "_views",
    )

    def __init__(
        self,
        capacities: Mapping[Hashable, int],
        preferences: Mapping[Hashable, Sequence[Hashable]],
        priorities: Mapping[Hashable, Sequence[Hashable]],
    ) -> None:
        for name, value in (
            ("capacities", capacities),
            ("preferences", preferences),
            ("priorities", priorities),
        ):
            if not isinstance(value, Mapping):
                raise InvalidInstance(f"{name} must be a mapping, not {type(value).__name__}")

        for office, seats in capacities.items():
            if office is None:
                raise InvalidInstance("None cannot be an office id: it means unplaced")
            # bool is an int subclass, but True seats is almost certainly a mistake.
            if not isinstance(seats, int) or isinstance(seats, bool):
                raise InvalidInstance(f"office {office!r} has a non-integer capacity {seats!r}")
            if seats < 0:
                raise InvalidInstance(f"office {office!r} has a negative capacity {seats}")
        office_ids = tuple(capacities)
        office_index = {office: i for i, office in enumerate(office_ids)}
        candidate_ids = tuple(preferences)
        candidate_index = {candidate: i for i, candidate in enumerate(candidate_ids)}

        for office in priorities:
            if office not in office_index:
                raise InvalidInstance(f"priorities name unknown office {office!r}")

        # The algorithms work on ints: each candidate's list of office ints, each office's list of
        # candidate ints, and each office's dict from candidate int to its position there.
        pref = _to_ints("candidate", preferences, office_index, "office")
        given = _to_ints("office", priorities, candidate_index, "candidate")
        prio: list[list[int]] = [[] for _ in office_ids]
        for office, ints in zip(priorities, given, strict=True):
            prio[office_index[office]] = ints
        prio_pos = [{c: i for i, c in enumerate(ints)} for ints in prio]

        self.office_ids = office_ids
        self.candidate_ids = candidate_ids
        self.office_index = office_index
        self.candidate_index = candidate_index
        self._cap = [capacities[office] for office in office_ids]
        self._pref = pref
        self._prio = prio
        self._prio_pos = prio_pos
        self._pref_pos_cache: list[dict[int, int]] | None = None
        self._views: dict[str, Mapping] = {}

    def __repr__(self) -> str:
        return (
            f"Instance({len(self.candidate_ids)} candidates, {len(self.office_ids)} offices, "
            f"{sum(self._cap)} seats)"
        )

    @property
    def capacities(self) -> Mapping[Hashable, int]:
        """Return the seats of every office."""
        if "capacities" not in self._views:
            self._views["capacities"] = MappingProxyType(dict(zip(self.office_ids, self._cap, strict=True)))
        return self._views["capacities"]

    @property
    def preferences(self) -> Mapping[Hashable, tuple]:
        """Return every candidate's ranking of offices, best first."""
        if "preferences" not in self._views:
            offices = self.office_ids
            self._views["preferences"] = MappingProxyType(
                {
                    c: tuple(offices[o] for o in ints)
                    for c, ints in zip(self.candidate_ids, self._pref, strict=True)
                }
            )
        return self._views["preferences"]

    @property
    def priorities(self) -> Mapping[Hashable, tuple]:
        """Return every office's ranking of candidates, best first (empty: accepts nobody)."""
        if "priorities" not in self._views:
            candidates = self.candidate_ids
            self._views["priorities"] = MappingProxyType(
                {
                    o: tuple(candidates[c] for c in ints)
                    for o, ints in zip(self.office_ids, self._prio, strict=True)
                }
            )
        return self._views["priorities"]

    @property
    def _pref_pos(self) -> list[dict[int, int]]:
        """Return, per candidate, the dict from office int to its position in the candidate's list."""
        # Only the office-proposing algorithm needs these, so they are built on first use.
        if self._pref_pos_cache is None:
            self._pref_pos_cache = [{o: i for i, o in enumerate(ints)} for ints in self._pref]
        return self._pref_pos_cache

    def is_acceptable(self, candidate: Hashable, office: Hashable) -> bool:
        """Return whether the candidate ranked the office and the office lists the candidate."""
        c = self.candidate_index[candidate]
        o = self.office_index[office]
        return o in self._pref[c] and c in self._prio_pos[o]


@dataclass(frozen=True)
class Result:
    """The outcome of a placement: ``assignment`` maps every candidate to an office or ``None``."""

    assignment: dict[Hashable, Hashable | None]
    proposing: str = CANDIDATES
    method: str = "deferred_acceptance"

    def by_office(self) -> dict[Hashable, list[Hashable]]:
        """Return each office that received someone with its candidates, in assignment order."""
        by_office: dict[Hashable, list[Hashable]] = {}
        for candidate, office in self.assignment.items():
            if office is not None:
                by_office.setdefault(office, []).append(candidate)
        return by_office
