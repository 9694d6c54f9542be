"""The one place that turns ORM rows into engine inputs, and engine results back into rows.

A run never reads the database while it solves: it freezes the cycle's inputs into a snapshot (a plain dict keyed
by exam numbers and office codes, serialised as canonical JSON), and solves the snapshot. A replay solves the same
stored text with the same code, so equal hashes prove the published result follows from its inputs.
"""
import hashlib
import json
from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal

from placement import engine

from .models import (
    Assignment,
    Candidate,
    ExamCycle,
    LateVacancy,
    PlacementRun,
    PlaceResponse,
    PreferenceEntry,
    Publication,
    SuitabilityScore,
    Vacancy,
)

SNAPSHOT_FORMAT = 1


def canonical_json(data) -> str:
    """Return the canonical JSON text of data: sorted keys, no spaces, UTF-8 characters kept."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot_build(*, cycle: ExamCycle, policy: str, exam_weight: Decimal, seed: int) -> dict:
    """Return the cycle's current placement inputs for a policy, in four queries whatever the cycle's size."""
    capacities = dict(Vacancy.objects.filter(cycle=cycle).values_list("office__code", "seats"))
    exam_ranks = dict(Candidate.objects.filter(cycle=cycle).values_list("exam_number", "exam_rank"))
    preferences: dict[str, list[str]] = {number: [] for number in exam_ranks}
    # Only submitted lists take part; lists left unsubmitted are submitted at the deadline, before any run.
    entries = PreferenceEntry.objects.filter(
        preference_list__candidate__cycle=cycle, preference_list__submitted_at__isnull=False,
    ).order_by(
        "preference_list_id", "position"
    ).values_list("preference_list__candidate__exam_number", "office__code")
    for number, code in entries:
        # An office whose vacancy row was removed after the candidate ranked it cannot take anyone.
        if code in capacities:
            preferences[number].append(code)
    data = {
        "format": SNAPSHOT_FORMAT,
        "cycle": cycle.pk,
        "policy": policy,
        "exam_weight": str(Decimal(exam_weight).quantize(Decimal("0.001"))),
        "seed": seed,
        "capacities": capacities,
        "preferences": preferences,
        "exam_ranks": exam_ranks,
    }
    if policy == PlacementRun.Policy.BLENDED:
        suitability: dict[str, dict[str, str]] = {}
        scores = SuitabilityScore.objects.filter(candidate__cycle=cycle, office__code__in=capacities).values_list(
            "office__code", "candidate__exam_number", "score"
        )
        for code, number, score in scores:
            suitability.setdefault(code, {})[number] = str(score)
        data["suitability"] = suitability
    return data


# The answers that keep a seat: a candidate holding one is never moved by a later round.
HOLDING_STATES = (PlaceResponse.State.PENDING, PlaceResponse.State.CONFIRMED, PlaceResponse.State.DEFERRAL_REQUESTED)
# The answers that end a candidate's part in this cycle's placement: they are in no later round's pool.
DONE_STATES = (PlaceResponse.State.DECLINED, PlaceResponse.State.DEFERRED, PlaceResponse.State.LAPSED)


def published_runs(cycle: ExamCycle) -> list[PlacementRun]:
    """Return the runs in force, in round order: the main placement's current publication, then each round's."""
    main = Publication.objects.filter(cycle=cycle, round_number__isnull=True, superseded_by__isnull=True).first()
    rounds = Publication.objects.filter(cycle=cycle, round_number__isnull=False).order_by("round_number")
    return [publication.run for publication in ([main] if main else []) + list(rounds.select_related("run"))]


def round_snapshot_build(*, cycle: ExamCycle, policy: str, exam_weight: Decimal, seed: int) -> dict:
    """Return the inputs of the next supplementary round as a snapshot.

    Seats: the cycle's vacancies plus approved late vacancies; every seat not held by a candidate of a run in force
    (pending, confirmed or asking to defer) is offered again, so declined, deferred, lapsed and never-filled seats
    all count. Pool: the candidates who hold no seat and never gave one up, the unplaced first, then the reserve
    list, each in exam-rank order, with their submitted preference lists.
    """
    runs = published_runs(cycle)
    if not runs:
        raise ValueError("a supplementary round follows a published placement")
    seats = dict(Vacancy.objects.filter(cycle=cycle).values_list("office__code", "seats"))
    added: dict[str, int] = {}
    for code, count in LateVacancy.objects.filter(cycle=cycle, state=LateVacancy.State.APPROVED).values_list(
            "office__code", "seats"):
        added[code] = added.get(code, 0) + count
    responses = PlaceResponse.objects.filter(assignment__run__in=runs)
    confirmed = dict(responses.filter(state__in=HOLDING_STATES).values_list("candidate__exam_number",
                                                                            "office__code"))
    done = set(responses.filter(state__in=DONE_STATES).values_list("candidate__exam_number", flat=True))
    held: dict[str, int] = {}
    for code in confirmed.values():
        held[code] = held.get(code, 0) + 1
    freed = {code: count - held.get(code, 0) for code, count in seats.items() if count - held.get(code, 0) > 0}
    candidates = list(Candidate.objects.filter(cycle=cycle).order_by("on_reserve_list", "exam_rank", "pk")
                      .values_list("exam_number", "exam_rank"))
    pool = [number for number, _rank in candidates if number not in confirmed and number not in done]
    exam_ranks = {number: rank for number, rank in candidates if number in set(pool)}
    preferences: dict[str, list[str]] = {number: [] for number in pool}
    entries = PreferenceEntry.objects.filter(
        preference_list__candidate__cycle=cycle, preference_list__submitted_at__isnull=False,
        preference_list__candidate__exam_number__in=pool,
    ).order_by("preference_list_id", "position").values_list("preference_list__candidate__exam_number",
                                                             "office__code")
    for number, code in entries:
        if code in seats:
            preferences[number].append(code)
    suitability = None
    if policy == PlacementRun.Policy.BLENDED:
        suitability = {}
        for code, number, score in SuitabilityScore.objects.filter(
                candidate__cycle=cycle, candidate__exam_number__in=pool, office__code__in=seats).values_list(
                "office__code", "candidate__exam_number", "score"):
            suitability.setdefault(code, {})[number] = float(score)
    round_ = engine.round_instance(
        seats=seats, confirmed=confirmed, freed=freed, added=added, pool=pool, preferences=preferences,
        policy=policy, exam_ranks=exam_ranks if policy == PlacementRun.Policy.BLENDED else None,
        suitability=suitability, exam_weight=float(exam_weight), seed=seed)
    data = engine.round_snapshot(round_)
    data.update({"kind": "round", "cycle": cycle.pk, "follows": runs[-1].pk, "round": len(runs) + 1})
    return data


def solve_round_snapshot(data: dict) -> "Solved":
    """Solve a round snapshot and check its stability within the round's pool and seats."""
    round_ = engine.round_from_snapshot(data)
    result = engine.solve_round(round_)
    return Solved(instance=round_.instance, assignment=result.assignment, blocking_pairs=result.blocking_pairs)


def snapshot_for_run(run: PlacementRun) -> dict:
    """Return the current inputs of a run: the main placement's, or its supplementary round's."""
    build = round_snapshot_build if run.follows_id else snapshot_build
    return build(cycle=run.cycle, policy=run.policy, exam_weight=run.exam_weight, seed=run.seed)


def instance_for_snapshot(data: dict) -> engine.Instance:
    """Return the engine instance of any stored snapshot: the main placement's or a supplementary round's."""
    return engine.round_from_snapshot(data).instance if data.get("kind") == "round" else instance_from_snapshot(data)


def solve_any_snapshot(data: dict) -> "Solved":
    return solve_round_snapshot(data) if data.get("kind") == "round" else solve_snapshot(data)


@dataclass(frozen=True)
class Solved:
    instance: engine.Instance
    assignment: dict[Hashable, Hashable | None]
    blocking_pairs: list[tuple[Hashable, Hashable]]


def instance_from_snapshot(data: dict) -> engine.Instance:
    """Return the engine instance a snapshot describes, with the priorities of its policy."""
    capacities = data["capacities"]
    preferences = data["preferences"]
    exam_ranks = data["exam_ranks"]
    if data["policy"] == PlacementRun.Policy.EXAM_RANK:
        order = sorted(preferences, key=lambda number: (exam_ranks[number], number))
        return engine.exam_rank_instance(capacities, preferences, order)
    suitability = {
        code: {number: float(score) for number, score in scores.items()}
        for code, scores in data.get("suitability", {}).items()
    }
    blended = engine.blended_priorities(
        capacities, preferences, exam_ranks, suitability,
        exam_weight=float(data["exam_weight"]), seed=data["seed"],
    )
    return blended.instance(capacities, preferences)


def solve_snapshot(data: dict) -> Solved:
    """Solve a snapshot with candidate-proposing deferred acceptance and check the result's stability."""
    instance = instance_from_snapshot(data)
    assignment = engine.solve(instance, proposing=engine.CANDIDATES).assignment
    return Solved(instance=instance, assignment=assignment, blocking_pairs=engine.blocking_pairs(instance, assignment))


def assignment_hash(assignment: dict) -> str:
    """Return the SHA-256 of an assignment (exam number -> office code or null) as canonical JSON."""
    return sha256_hex(canonical_json(assignment))


def assignment_stats_json(solved: Solved) -> dict:
    """Return the statistics of a solved run in the JSON shape stored on the run and drawn by the charts."""
    stats = engine.assignment_stats(solved.instance, solved.assignment)
    return {
        "candidates": stats.candidates,
        "seats": stats.seats,
        "placed": stats.placed,
        "unplaced": stats.unplaced,
        "first_choice": stats.first_choice,
        # JSON keys are strings; a list of pairs keeps the ranks in order and the null for unplaced.
        "rank_distribution": [[rank, count] for rank, count in stats.rank_distribution.items()],
        "seats_filled": stats.seats_filled,
        "capacities": dict(solved.instance.capacities),
    }


def assignment_rows(*, run: PlacementRun, solved: Solved) -> list[Assignment]:
    """Return unsaved Assignment rows for a solved run, in exam-number order."""
    candidate_ids = dict(Candidate.objects.filter(cycle=run.cycle_id).values_list("exam_number", "pk"))
    office_ids = dict(Vacancy.objects.filter(cycle=run.cycle_id).values_list("office__code", "office_id"))
    preferences = solved.instance.preferences
    explanations = engine.explain(solved.instance, solved.assignment)
    rows = []
    for number, code in solved.assignment.items():
        rank = preferences[number].index(code) + 1 if code is not None else None
        rows.append(Assignment(
            run=run, candidate_id=candidate_ids[number], office_id=office_ids[code] if code else None,
            preference_rank=rank, explanation=explanation_json(explanations[number]),
        ))
    return rows


def explanation_json(explanation: engine.CandidateExplanation) -> list[dict]:
    """Return what a candidate's result page says about the offices it ranked higher, in the stored JSON shape."""
    return [
        {"office": detail.office, "preference_rank": detail.preference_rank, "seats": detail.seats,
         "reason": detail.reason, "candidate_position": detail.candidate_position,
         "cutoff_position": detail.cutoff_position}
        for detail in explanation.better_offices
    ]


def snapshot_load(run: PlacementRun) -> dict:
    return json.loads(run.snapshot)


def run_assignment(run: PlacementRun) -> dict:
    """Return a run's stored assignment keyed like its snapshot (exam number -> office code or None)."""
    rows = Assignment.objects.filter(run=run).values_list("candidate__exam_number", "office__code")
    return dict(rows)
