"""Supplementary rounds: placing the still-eligible candidates into the seats opened after a published run.

A published run is never changed. After it, placed candidates confirm, decline or defer, and offices report late
vacancies. A supplementary round is a new, smaller instance built from that state:

* The offices are the keys of ``seats`` (the offices of the run the round follows; an office that had no seats
  then but reports a late vacancy is listed with 0). An office's capacity in the round is the seats it freed
  (given up by declines or deferrals, or left empty by the previous run; the caller decides which count) plus the
  seats it added. Seats held by confirmed candidates are never offered again, so an office cannot free more seats
  than it had minus those its confirmed candidates hold.
* Only the candidates of ``pool`` take part, in the round's exam order, best first: usually the candidates left
  unplaced, then the reserve list (增額錄取) in exam-rank order; the caller decides the order. A candidate who is
  confirmed somewhere cannot also be in the pool: that would place one person twice.
* Preferences are kept as the candidates ranked them, including offices with no seats in the round. Such an
  office simply takes nobody, and ``explain`` reports it as ``zero_seats``, which tells a candidate why a
  higher choice was not offered.

Both policies of the main run are available. ``exam_rank`` lets each pool candidate in turn take its best office
with a seat left (serial dictatorship in pool order). ``blended`` runs candidate-proposing deferred acceptance
with blended priorities computed over the pool: exam standing is normalised over the pool's exam ranks (over
pool positions when no ranks are given), and suitability over each office's scores of pool candidates. Both
scales are fixed by the round's inputs and no candidate's ranking moves them, so ranking truthfully stays safe.

``round_snapshot`` returns the round's inputs as a plain, sorted, JSON-serialisable dict and
``round_from_snapshot`` rebuilds the same round from it, so a stored round can be replayed. Hashing is not done
here: ``placement.engine_io`` hashes snapshots and assignments (SHA-256 of their canonical JSON), and may add
keys of its own (cycle, the run the round follows) that ``round_from_snapshot`` ignores. Ids should be strings
(exam numbers, office codes), as in ``engine_io``'s snapshots, so that the dict survives JSON unchanged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from placement.engine.checks import blocking_pairs
from placement.engine.deferred_acceptance import solve
from placement.engine.priorities import BlendedPriorities, blended_priorities, exam_standings
from placement.engine.serial_dictatorship import exam_rank_instance
from placement.engine.types import CANDIDATES, Instance, InvalidInstance

EXAM_RANK = "exam_rank"
BLENDED = "blended"
POLICIES = (EXAM_RANK, BLENDED)
ROUND_SNAPSHOT_FORMAT = 1


@dataclass(frozen=True, eq=False)
class RoundInstance:
    """A validated supplementary round: its inputs, the seats it offers and the instance it solves."""

    policy: str
    seats: dict[Hashable, int]
    confirmed: dict[Hashable, Hashable]
    freed: dict[Hashable, int]
    added: dict[Hashable, int]
    pool: tuple[Hashable, ...]
    preferences: dict[Hashable, tuple[Hashable, ...]]
    exam_ranks: dict[Hashable, float] | None
    suitability: dict[Hashable, dict[Hashable, float]] | None
    exam_weight: float | None
    seed: int | None
    capacities: dict[Hashable, int]
    instance: Instance
    blended: BlendedPriorities | None


@dataclass(frozen=True)
class RoundResult:
    """The outcome of a round: ``assignment`` maps every pool candidate, in pool order, to an office or ``None``."""

    assignment: dict[Hashable, Hashable | None]
    blocking_pairs: list[tuple[Hashable, Hashable]]
    policy: str


@dataclass(frozen=True)
class Placement:
    """The running placement after a round.

    ``offices`` maps every confirmed and every pool candidate to an office or ``None``; ``rounds`` maps every
    placed candidate to the round in which it got its seat (0 is the main run).
    """

    offices: dict[Hashable, Hashable | None]
    rounds: dict[Hashable, int]


def _seat_count(value: object) -> bool:
    """Return whether the value is a valid number of seats (an int >= 0, bools excluded)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _office_seats(name: str, given: Mapping[Hashable, int], seats: Mapping[Hashable, int]) -> dict[Hashable, int]:
    """Return the freed or added seats per office after checking the offices are known and counts valid."""
    if not isinstance(given, Mapping):
        raise InvalidInstance(f"the {name} seats must be a mapping of office to seats, not {type(given).__name__}")
    counts = {}
    for office, count in given.items():
        if office not in seats:
            raise InvalidInstance(f"{name} seats name unknown office {office!r}")
        if not _seat_count(count):
            raise InvalidInstance(
                f"office {office!r} has {count!r} {name} seats; give a whole number of seats, 0 or more"
            )
        counts[office] = count
    return counts


def _check_exam_ranks(exam_ranks: Mapping[Hashable, float], pool: tuple[Hashable, ...]) -> dict[Hashable, float]:
    """Return the exam ranks after checking they are numbers, cover exactly the pool and agree with its order."""
    if not isinstance(exam_ranks, Mapping):
        raise InvalidInstance("the exam ranks must be a mapping of candidate to rank (1 = best)")
    ranks, _ = exam_standings(exam_ranks, pool)
    # Serial dictatorship follows the pool order and the blended standing follows the ranks; if they disagreed
    # the two policies would place by two different exam orders.
    for previous, candidate in pairwise(pool):
        if ranks[candidate] < ranks[previous]:
            raise InvalidInstance(
                f"pool candidate {candidate!r} has a better exam rank than {previous!r}, who comes before them "
                "in the pool; list the pool in exam-rank order"
            )
    return ranks


def round_instance(
    *,
    seats: Mapping[Hashable, int],
    confirmed: Mapping[Hashable, Hashable],
    freed: Mapping[Hashable, int],
    added: Mapping[Hashable, int],
    pool: Sequence[Hashable],
    preferences: Mapping[Hashable, Sequence[Hashable]],
    policy: str = EXAM_RANK,
    exam_ranks: Mapping[Hashable, float] | None = None,
    suitability: Mapping[Hashable, Mapping[Hashable, float] | None] | None = None,
    exam_weight: float = 0.7,
    seed: int | None = None,
) -> RoundInstance:
    """Return the supplementary round for the pool over the seats freed and added since the previous run.

    ``seats`` are the offices' seats in the run the round follows, ``confirmed`` maps each confirmed candidate to
    its office, ``pool`` lists the eligible candidates best first, and ``preferences`` must have a list for each
    of them (other candidates' lists are ignored). ``exam_ranks`` (1 = best, ties allowed) is optional and must
    agree with the pool order; ``suitability``, ``exam_weight`` and ``seed`` are used by the blended policy only,
    and scores of candidates outside the pool are ignored. A ``seed`` of ``None`` draws a fresh one, kept in the
    result. Raise ``InvalidInstance`` naming the offending entry.
    """
    if policy not in POLICIES:
        raise InvalidInstance(f"the policy must be {EXAM_RANK!r} or {BLENDED!r}, not {policy!r}")
    if not isinstance(seats, Mapping):
        raise InvalidInstance(f"the seats must be a mapping of office to seats, not {type(seats).__name__}")
    for office, count in seats.items():
        if office is None:
            raise InvalidInstance("None cannot be an office id: it means unplaced")
        if not _seat_count(count):
            raise InvalidInstance(f"office {office!r} has {count!r} seats; give a whole number of seats, 0 or more")
    freed_seats = _office_seats("freed", freed, seats)
    added_seats = _office_seats("added", added, seats)

    if not isinstance(confirmed, Mapping):
        raise InvalidInstance("the confirmed placements must be a mapping of candidate to office")
    for candidate, office in confirmed.items():
        if office not in seats:
            raise InvalidInstance(f"confirmed candidate {candidate!r} holds unknown office {office!r}")
    held = Counter(confirmed.values())
    for office, count in freed_seats.items():
        if held[office] + count > seats[office]:
            raise InvalidInstance(
                f"office {office!r} frees {count} seats, but of its {seats[office]} seats "
                f"{held[office]} are held by confirmed candidates"
            )

    if isinstance(pool, (str, bytes)) or not isinstance(pool, Sequence):
        raise InvalidInstance("the pool must be a sequence of candidate ids, best first")
    members: set[Hashable] = set()
    for candidate in pool:
        if candidate in members:
            raise InvalidInstance(f"the pool names candidate {candidate!r} more than once")
        if candidate in confirmed:
            raise InvalidInstance(
                f"candidate {candidate!r} is confirmed at office {confirmed[candidate]!r} and cannot also be in "
                "the pool of a supplementary round"
            )
        if candidate not in preferences:
            raise InvalidInstance(f"pool candidate {candidate!r} has no preference list; give an empty one")
        members.add(candidate)
    pool = tuple(pool)
    pool_preferences = {candidate: preferences[candidate] for candidate in pool}
    ranks = _check_exam_ranks(exam_ranks, pool) if exam_ranks is not None else None

    capacities = {office: freed_seats.get(office, 0) + added_seats.get(office, 0) for office in seats}
    blended = None
    pool_suitability = None
    if policy == EXAM_RANK:
        # The exam order of the round is the pool order; exam_rank_instance validates the preferences.
        instance = exam_rank_instance(capacities, pool_preferences, pool)
        exam_weight = None
    else:
        if suitability is None:
            suitability = {}
        if not isinstance(suitability, Mapping):
            raise InvalidInstance("the suitability scores must be a mapping of office to scores")
        pool_suitability = {}
        for office, scores in suitability.items():
            if office not in seats:
                raise InvalidInstance(f"suitability scores given for unknown office {office!r}")
            kept = {c: score for c, score in (scores or {}).items() if c in members}
            if kept:
                pool_suitability[office] = kept
        blended = blended_priorities(
            capacities, pool_preferences, ranks if ranks is not None else pool, pool_suitability,
            exam_weight=exam_weight, seed=seed,
        )
        seed = blended.seed
        instance = blended.instance(capacities, pool_preferences)
    return RoundInstance(
        policy=policy,
        seats=dict(seats),
        confirmed=dict(confirmed),
        # Zero counts say nothing, so they are dropped: {office: 0} and {} make the same round and snapshot.
        freed={office: count for office, count in freed_seats.items() if count},
        added={office: count for office, count in added_seats.items() if count},
        pool=pool,
        preferences=dict(instance.preferences),
        exam_ranks=ranks,
        suitability=pool_suitability,
        exam_weight=exam_weight,
        seed=seed if policy == BLENDED else None,
        capacities=capacities,
        instance=instance,
        blended=blended,
    )


def solve_round(round_: RoundInstance) -> RoundResult:
    """Return the round's assignment of the pool, with its blocking pairs (empty: stable within the round)."""
    # Candidate-proposing deferred acceptance on the exam-rank instance is serial dictatorship in pool order (the
    # engine's tests prove it), so both policies go through the same solver as the main run.
    assignment = solve(round_.instance, proposing=CANDIDATES).assignment
    return RoundResult(
        assignment=assignment, blocking_pairs=blocking_pairs(round_.instance, assignment), policy=round_.policy
    )


def merge_round(
    *,
    confirmed: Mapping[Hashable, Hashable],
    assignment: Mapping[Hashable, Hashable | None],
    round_number: int,
    rounds: Mapping[Hashable, int] | None = None,
) -> Placement:
    """Return the running placement: the confirmed seats unchanged plus the round's assignment.

    ``rounds`` gives the round in which each confirmed candidate got its seat; confirmed candidates it does not
    name got theirs in the main run (0). Raise ``ValueError`` when a candidate is both confirmed and in the round.
    """
    if not isinstance(round_number, int) or isinstance(round_number, bool) or round_number < 1:
        raise ValueError(f"a supplementary round is numbered from 1, not {round_number!r}")
    rounds = dict(rounds or {})
    for candidate, number in rounds.items():
        if candidate not in confirmed:
            raise ValueError(f"a round is given for candidate {candidate!r}, who is not confirmed")
        if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number < round_number:
            raise ValueError(
                f"confirmed candidate {candidate!r} got its seat in round {number!r}, which is not before round "
                f"{round_number}"
            )
    for candidate in assignment:
        if candidate in confirmed:
            raise ValueError(
                f"candidate {candidate!r} is confirmed at office {confirmed[candidate]!r} and also in round "
                f"{round_number}"
            )
    offices: dict[Hashable, Hashable | None] = dict(confirmed)
    placed_in = {candidate: rounds.get(candidate, 0) for candidate in confirmed}
    for candidate, office in assignment.items():
        offices[candidate] = office
        if office is not None:
            placed_in[candidate] = round_number
    return Placement(offices=offices, rounds=placed_in)


def _sort_key(value: Hashable) -> tuple[str, object]:
    """Return a key that sorts ids of one type naturally and never compares a str with an int."""
    return type(value).__name__, value


def _sorted_dict(mapping: Mapping) -> dict:
    return {key: mapping[key] for key in sorted(mapping, key=_sort_key)}


def round_snapshot(round_: RoundInstance) -> dict:
    """Return the round's inputs as a sorted, JSON-serialisable dict that ``round_from_snapshot`` reads back.

    Lists whose order matters (the pool, each preference list) keep their order; every mapping, the snapshot
    itself included, is sorted by key, so its JSON text is canonical even without ``sort_keys``.
    """
    data = {
        "format": ROUND_SNAPSHOT_FORMAT,
        "policy": round_.policy,
        "seats": _sorted_dict(round_.seats),
        "confirmed": _sorted_dict(round_.confirmed),
        "freed": _sorted_dict(round_.freed),
        "added": _sorted_dict(round_.added),
        "pool": list(round_.pool),
        "preferences": {c: list(offices) for c, offices in _sorted_dict(round_.preferences).items()},
    }
    if round_.exam_ranks is not None:
        data["exam_ranks"] = _sorted_dict(round_.exam_ranks)
    if round_.policy == BLENDED:
        data["exam_weight"] = round_.exam_weight
        data["seed"] = round_.seed
        data["suitability"] = {
            office: _sorted_dict(scores) for office, scores in _sorted_dict(round_.suitability).items()
        }
    return _sorted_dict(data)


def round_from_snapshot(data: Mapping) -> RoundInstance:
    """Return the round a snapshot from ``round_snapshot`` describes, ignoring keys it does not know."""
    if data.get("format") != ROUND_SNAPSHOT_FORMAT:
        raise InvalidInstance(f"unknown round snapshot format {data.get('format')!r}")
    options = {}
    if data["policy"] == BLENDED:
        options = {"suitability": data["suitability"], "exam_weight": data["exam_weight"], "seed": data["seed"]}
    return round_instance(
        seats=data["seats"], confirmed=data["confirmed"], freed=data["freed"], added=data["added"],
        pool=data["pool"], preferences=data["preferences"], policy=data["policy"],
        exam_ranks=data.get("exam_ranks"), **options,
    )
