"""Supplementary rounds: seats opened after a published run go to the pool without moving anyone confirmed."""

import hashlib
import json
import random
from collections import Counter

import pytest
from engine_strategies import naive_blocking_pairs
from hypothesis import given, settings
from hypothesis import strategies as st

from placement.engine import (
    BLENDED,
    EXAM_RANK,
    ZERO_SEATS,
    InvalidInstance,
    explain,
    merge_round,
    round_from_snapshot,
    round_instance,
    round_snapshot,
    serial_dictatorship,
    solve_round,
)

POLICIES = pytest.mark.parametrize("policy", [EXAM_RANK, BLENDED])


@st.composite
def round_states(draw, max_candidates: int = 8, max_offices: int = 4):
    """Draw the state after a published run: seats, confirmed seats, freed and added seats, a pool, lists.

    Ids are strings, as exam numbers and office codes are in the snapshots. Lists come from Python's generator
    seeded by a drawn integer, because Hypothesis biases permutations towards the identity and everyone would
    agree. Candidates rank offices whether or not they have seats in the round, and some confirmed candidates get
    suitability scores, so the tests see both being left out of the round.
    """
    rng = random.Random(draw(st.integers(0, 2**64)))
    n = draw(st.integers(0, max_candidates))
    m = draw(st.integers(1, max_offices))
    candidates = [f"c{i}" for i in range(n)]
    offices = [f"o{i}" for i in range(m)]
    seats = {o: rng.randint(0, 3) for o in offices}
    confirmed = {}
    left = dict(seats)
    for c in candidates:
        open_offices = [o for o in offices if left[o]]
        if open_offices and rng.random() < 0.35:
            office = rng.choice(open_offices)
            confirmed[c] = office
            left[office] -= 1
    freed = {o: rng.randint(0, left[o]) for o in offices if rng.random() < 0.7}
    added = {o: rng.choice([0, 0, 1, 2]) for o in offices if rng.random() < 0.5}
    pool = [c for c in candidates if c not in confirmed and rng.random() < 0.9]
    rng.shuffle(pool)

    def ranking():
        order = list(offices)
        rng.shuffle(order)
        return order[: rng.randint(0, m)]

    preferences = {c: ranking() for c in candidates}
    # Exam ranks rise along the pool, with ties now and then.
    exam_ranks, rank = {}, 0
    for c in pool:
        rank += rng.choice([0, 1, 1, 2]) if exam_ranks else 1
        exam_ranks[c] = rank
    suitability = {
        o: {c: rng.randint(0, 10) for c in candidates if rng.random() < 0.6} for o in offices if rng.random() < 0.7
    }
    return {
        "seats": seats,
        "confirmed": confirmed,
        "freed": freed,
        "added": added,
        "pool": pool,
        "preferences": preferences,
        "exam_ranks": exam_ranks if draw(st.booleans()) else None,
        "suitability": suitability,
        "exam_weight": draw(st.sampled_from([0.0, 0.3, 0.7, 1.0])),
        "seed": draw(st.integers(0, 2**31)),
    }


def build(state, policy):
    return round_instance(**state, policy=policy)


def snapshot_hash(data):
    """Hash a snapshot the way engine_io does: SHA-256 of the canonical JSON."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@POLICIES
@settings(max_examples=200, deadline=None)
@given(state=round_states())
def test_round_never_moves_a_confirmed_candidate(policy, state):
    """A round places only pool candidates, into freed and added seats; every confirmed seat stays as it was."""
    result = solve_round(build(state, policy))
    confirmed = state["confirmed"]
    assert list(result.assignment) == state["pool"]
    assert not set(result.assignment) & set(confirmed)

    merged = merge_round(confirmed=confirmed, assignment=result.assignment, round_number=1)
    for candidate, office in confirmed.items():
        assert merged.offices[candidate] == office
        assert merged.rounds[candidate] == 0
    for candidate, office in result.assignment.items():
        assert merged.offices[candidate] == office
        assert (candidate in merged.rounds) == (office is not None)
        if office is not None:
            assert merged.rounds[candidate] == 1

    in_round = Counter(o for o in result.assignment.values() if o is not None)
    held = Counter(confirmed.values())
    for office, seats in state["seats"].items():
        opened = state["freed"].get(office, 0) + state["added"].get(office, 0)
        assert in_round[office] <= opened
        assert held[office] + in_round[office] <= seats + state["added"].get(office, 0)


@settings(max_examples=200, deadline=None)
@given(state=round_states())
def test_blended_round_is_stable_within_its_pool(state):
    """No pool candidate and office with a seat open in the round would both rather have each other."""
    round_ = build(state, BLENDED)
    result = solve_round(round_)
    priorities = round_.blended.priorities
    assert all(set(listed) <= set(state["pool"]) for listed in priorities.values())
    capacities = {o: state["freed"].get(o, 0) + state["added"].get(o, 0) for o in state["seats"]}
    preferences = {c: state["preferences"][c] for c in state["pool"]}
    assert naive_blocking_pairs(capacities, preferences, priorities, result.assignment) == []
    assert result.blocking_pairs == []


@settings(max_examples=200, deadline=None)
@given(state=round_states())
def test_exam_rank_round_is_serial_dictatorship_in_pool_order(state):
    """Under exam rank, each pool candidate in turn takes its best office with a freed or added seat left."""
    result = solve_round(build(state, EXAM_RANK))
    capacities = {o: state["freed"].get(o, 0) + state["added"].get(o, 0) for o in state["seats"]}
    preferences = {c: state["preferences"][c] for c in state["pool"]}
    expected = serial_dictatorship(capacities, preferences, state["pool"]).assignment
    assert result.assignment == expected
    assert result.blocking_pairs == []


@POLICIES
@settings(max_examples=150, deadline=None)
@given(state=round_states(), shuffle_seed=st.integers(0, 2**32))
def test_round_replays_from_its_snapshot(policy, state, shuffle_seed):
    """The stored snapshot, read back from JSON, gives the same round, assignment and hash.

    The snapshot does not depend on the order in which the inputs were listed (only the pool's and each
    preference list's order matter), so two runs over the same state hash the same.
    """
    round_ = build(state, policy)
    snapshot = round_snapshot(round_)
    text = json.dumps(snapshot, sort_keys=True)
    assert json.dumps(snapshot) == text
    replayed = round_from_snapshot(json.loads(text))
    assert round_snapshot(replayed) == snapshot
    assert snapshot_hash(round_snapshot(replayed)) == snapshot_hash(snapshot)
    assert solve_round(replayed).assignment == solve_round(round_).assignment

    rng = random.Random(shuffle_seed)

    def reordered(mapping):
        items = list(mapping.items())
        rng.shuffle(items)
        return dict(items)

    shuffled = {
        **state,
        **{key: reordered(state[key]) for key in ("seats", "confirmed", "freed", "added", "preferences")},
    }
    again = build(shuffled, policy)
    assert snapshot_hash(round_snapshot(again)) == snapshot_hash(snapshot)
    assert solve_round(again).assignment == solve_round(round_).assignment


def test_blended_round_without_a_seed_records_the_one_it_drew():
    """A blended round drawn with a fresh lottery seed replays from its snapshot with that seed."""
    state = {
        "seats": {"A": 1}, "confirmed": {}, "freed": {"A": 1}, "added": {},
        "pool": ["p", "q"], "preferences": {"p": ["A"], "q": ["A"]}, "exam_ranks": {"p": 1, "q": 1},
    }
    round_ = round_instance(**state, policy=BLENDED, seed=None)
    snapshot = round_snapshot(round_)
    assert isinstance(snapshot["seed"], int)
    replayed = round_from_snapshot(json.loads(json.dumps(snapshot)))
    assert solve_round(replayed).assignment == solve_round(round_).assignment


@POLICIES
@settings(max_examples=100, deadline=None)
@given(state=round_states(), data=st.data())
def test_confirmed_candidate_in_the_pool_is_refused(policy, state, data):
    """A candidate confirmed somewhere cannot take part in a round too; the error names them."""
    if not state["confirmed"]:
        return
    candidate = data.draw(st.sampled_from(sorted(state["confirmed"])))
    position = data.draw(st.integers(0, len(state["pool"])))
    pool = state["pool"][:position] + [candidate] + state["pool"][position:]
    # Exam ranks would be refused first for naming someone outside the original pool order, so none are given.
    with pytest.raises(InvalidInstance, match=f"candidate '{candidate}' is confirmed at office"):
        round_instance(**{**state, "pool": pool, "exam_ranks": None}, policy=policy)


GOOD = {
    "seats": {"A": 2, "B": 1},
    "confirmed": {"x": "A"},
    "freed": {"A": 1},
    "added": {"B": 1},
    "pool": ["p", "q", "r"],
    "preferences": {"x": ["A"], "p": ["A", "B"], "q": ["A"], "r": ["B", "A"]},
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pool": ["p", "x"]}, "candidate 'x' is confirmed at office 'A' and cannot also be in the pool"),
        ({"freed": {"A": -1}}, "office 'A' has -1 freed seats"),
        ({"added": {"B": -2}}, "office 'B' has -2 added seats"),
        ({"added": {"B": True}}, "office 'B' has True added seats"),
        ({"seats": {"A": 2, "B": -1}}, "office 'B' has -1 seats"),
        ({"freed": {"Z": 1}}, "freed seats name unknown office 'Z'"),
        ({"added": {"Z": 1}}, "added seats name unknown office 'Z'"),
        ({"confirmed": {"x": "Z"}}, "confirmed candidate 'x' holds unknown office 'Z'"),
        ({"preferences": {**GOOD["preferences"], "p": ["A", "Z"]}}, "candidate 'p' ranks unknown office 'Z'"),
        ({"freed": {"A": 2}}, "office 'A' frees 2 seats, but of its 2 seats 1 are held by confirmed candidates"),
        ({"pool": ["p", "q", "p"]}, "the pool names candidate 'p' more than once"),
        ({"pool": "pqr"}, "the pool must be a sequence"),
        ({"pool": ["p", "s"]}, "pool candidate 's' has no preference list"),
        ({"exam_ranks": {"p": 2, "q": 1, "r": 3}}, "'q' has a better exam rank than 'p'"),
        ({"exam_ranks": {"p": 1, "q": 2}}, "candidate 'r' has no exam rank"),
        ({"policy": "lottery"}, "the policy must be 'exam_rank' or 'blended'"),
    ],
)
def test_bad_round_input_is_refused_with_a_clear_message(change, message):
    """Bad input raises InvalidInstance saying what is wrong and with which office or candidate."""
    with pytest.raises(InvalidInstance, match=message.replace("(", r"\(")):
        round_instance(**{**GOOD, **change})


def test_blended_round_refuses_scores_for_an_unknown_office():
    """Suitability scores of an office that is not in the cycle are refused, not ignored."""
    with pytest.raises(InvalidInstance, match="suitability scores given for unknown office 'Z'"):
        round_instance(**GOOD, policy=BLENDED, suitability={"Z": {"p": 1}}, seed=1)


def test_merge_refuses_a_candidate_both_confirmed_and_in_the_round():
    """Merging cannot place one person twice."""
    with pytest.raises(ValueError, match="candidate 'x' is confirmed at office 'A' and also in round 2"):
        merge_round(confirmed={"x": "A"}, assignment={"x": "B"}, round_number=2)
    with pytest.raises(ValueError, match="numbered from 1"):
        merge_round(confirmed={}, assignment={}, round_number=0)


def test_worked_example_by_hand():
    """Two offices, one seat freed by a decline and one late seat, three pool candidates.

    Office A had 2 seats: x confirmed one, and the other went to a candidate who declined, so A frees 1 seat. Office
    B had 1 seat, left empty because nobody ranked it then (not freed here), and reports 1 late seat. The round
    offers A: 1 + 0 = 1 and B: 0 + 1 = 1; x's seat is never offered.

    Exam rank, pool p, q, r in that order: p takes A (its first choice, A's only seat); q ranked only A, which is
    now full, so q stays unplaced; r takes B. Blended with exam weight 0.2 and A's focus group scoring r 5, q 1:
    standings over the pool are p 1, q 0.5, r 0. At A, p scores 0.2 * 1 + 0.8 * 0 = 0.2 (unscored), q
    0.2 * 0.5 + 0.8 * 0 = 0.1 (lowest score), and r 0.2 * 0 + 0.8 * 1 = 0.8, so A ranks r, p, q. r proposes to B
    first and is held; p proposes to A and is held; q proposes to A and loses to p. Same assignment, but A's
    priorities now rank r first, and the confirmed x's score of 9 is left out of A's scale.
    """
    exam_rank = solve_round(round_instance(**GOOD))
    assert exam_rank.assignment == {"p": "A", "q": None, "r": "B"}
    blended = round_instance(
        **GOOD, policy=BLENDED, suitability={"A": {"r": 5, "q": 1, "x": 9}}, exam_weight=0.2, seed=1
    )
    assert blended.capacities == {"A": 1, "B": 1}
    assert blended.blended.priorities["A"] == ["r", "p", "q"]
    assert blended.blended.scores["A"] == {"p": 0.2, "q": 0.1, "r": 0.8}
    assert solve_round(blended).assignment == {"p": "A", "q": None, "r": "B"}

    merged = merge_round(confirmed=GOOD["confirmed"], assignment=exam_rank.assignment, round_number=1)
    assert merged.offices == {"x": "A", "p": "A", "q": None, "r": "B"}
    assert merged.rounds == {"x": 0, "p": 1, "r": 1}
    # A second round keeps the round each seat was won in.
    later = merge_round(
        confirmed={"x": "A", "p": "A", "r": "B"}, rounds={"p": 1, "r": 1}, assignment={"q": "B"}, round_number=2
    )
    assert later.rounds == {"x": 0, "p": 1, "r": 1, "q": 2}


def test_offices_without_seats_in_the_round_stay_in_the_lists_and_are_explained():
    """A candidate who ranked an office with no seat open in the round is told it had zero seats."""
    round_ = round_instance(**{**GOOD, "preferences": {**GOOD["preferences"], "q": ["B", "A"]}, "freed": {}})
    result = solve_round(round_)
    assert round_.preferences["q"] == ("B", "A")
    assert result.assignment == {"p": "B", "q": None, "r": None}
    explanation = explain(round_.instance, result.assignment)["q"]
    reasons = {detail.office: detail.reason for detail in explanation.better_offices}
    assert reasons["A"] == ZERO_SEATS
