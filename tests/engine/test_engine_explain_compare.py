"""Explanations of outcomes, and statistics comparing assignments."""

import pytest
from engine_strategies import raw_instances
from hypothesis import given, settings

from placement.engine import (
    BLOCKING_PAIR,
    FULL_WITH_HIGHER_PRIORITY,
    NOT_ACCEPTABLE,
    ZERO_SEATS,
    Instance,
    OfficeExplanation,
    assignment_stats,
    compare,
    explain,
    solve,
)


def instance():
    """Return an instance that exercises every reason."""
    return Instance(
        capacities={"full": 2, "closed": 0, "picky": 3, "spare": 5},
        preferences={
            "ann": ["full", "spare"],
            "bob": ["full"],
            "cat": ["closed", "picky", "full", "spare"],
            "dan": ["full", "spare"],
        },
        priorities={
            "full": ["bob", "ann", "dan", "cat"],
            "closed": ["cat"],
            "picky": ["ann"],
            "spare": ["ann", "bob", "cat", "dan"],
        },
    )


def test_explanations_name_seats_cutoff_and_position():
    """A candidate learns, per better office, the seats, holders' positions, cutoff and its position."""
    inst = instance()
    assignment = solve(inst).assignment
    assert assignment == {"ann": "full", "bob": "full", "cat": "spare", "dan": "spare"}
    explanations = explain(inst, assignment)
    assert explanations["bob"].better_offices == ()
    assert explanations["bob"].preference_rank == 1
    dan = explanations["dan"]
    assert dan.office == "spare"
    assert dan.preference_rank == 2
    assert dan.better_offices == (
        OfficeExplanation(
            office="full",
            preference_rank=1,
            seats=2,
            reason=FULL_WITH_HIGHER_PRIORITY,
            candidate_position=3,
            holder_positions=(1, 2),
            cutoff_position=2,
        ),
    )
    cat = explanations["cat"]
    assert [(e.office, e.reason) for e in cat.better_offices] == [
        ("closed", ZERO_SEATS),
        ("picky", NOT_ACCEPTABLE),
        ("full", FULL_WITH_HIGHER_PRIORITY),
    ]
    picky = cat.better_offices[1]
    assert picky.candidate_position is None
    assert picky.holder_positions == ()
    assert picky.cutoff_position is None


def test_unplaced_candidate_gets_every_ranked_office_explained():
    """An unplaced candidate gets an explanation for every office it ranked."""
    inst = Instance(
        capacities={"x": 1, "y": 1},
        preferences={"a": ["x", "y"], "b": ["y", "x"], "c": ["x", "y"]},
        priorities={"x": ["a", "c"], "y": ["b", "c"]},
    )
    explanation = explain(inst, solve(inst).assignment, candidates=["c"])
    assert list(explanation) == ["c"]
    assert explanation["c"].office is None
    assert explanation["c"].preference_rank is None
    assert [
        (e.office, e.reason, e.candidate_position, e.cutoff_position) for e in explanation["c"].better_offices
    ] == [
        ("x", FULL_WITH_HIGHER_PRIORITY, 2, 1),
        ("y", FULL_WITH_HIGHER_PRIORITY, 2, 1),
    ]


def test_unstable_assignment_shows_blocking_pair():
    """An office the candidate could have taken is reported as a blocking pair."""
    inst = instance()
    explanations = explain(inst, {"dan": "spare"})
    assert explanations["dan"].better_offices[0].reason == BLOCKING_PAIR
    assert explanations["dan"].better_offices[0].holder_positions == ()


def test_explain_rejects_unknown_candidate():
    """Asking about an unknown candidate raises."""
    with pytest.raises(KeyError, match="zed"):
        explain(instance(), {}, candidates=["zed"])


@settings(max_examples=200, deadline=None)
@given(raw=raw_instances(max_candidates=7, max_offices=5))
def test_stable_assignments_are_fully_explained(raw):
    """In a stable assignment every better office has one of the three reasons, matching its numbers."""
    capacities, preferences, priorities = raw
    inst = Instance(capacities, preferences, priorities)
    for proposing in ("candidates", "offices"):
        assignment = solve(inst, proposing).assignment
        for candidate, explanation in explain(inst, assignment).items():
            ranking = preferences[candidate]
            received = explanation.office
            expected = ranking if received is None else ranking[: ranking.index(received)]
            assert [e.office for e in explanation.better_offices] == list(expected)
            for e in explanation.better_offices:
                assert e.reason in (ZERO_SEATS, NOT_ACCEPTABLE, FULL_WITH_HIGHER_PRIORITY)
                assert e.seats == capacities[e.office]
                assert len(e.holder_positions) == sum(1 for o in assignment.values() if o == e.office)
                if e.reason == ZERO_SEATS:
                    assert e.seats == 0
                elif e.reason == NOT_ACCEPTABLE:
                    assert candidate not in priorities.get(e.office, [])
                else:
                    assert len(e.holder_positions) == e.seats
                    assert e.cutoff_position == max(e.holder_positions) < e.candidate_position


def test_assignment_stats():
    """Statistics count placed, unplaced, first choices, the rank distribution and seats filled."""
    inst = instance()
    stats = assignment_stats(inst, solve(inst).assignment)
    assert stats.candidates == 4
    assert stats.seats == 10
    assert stats.placed == 4
    assert stats.unplaced == 0
    assert stats.first_choice == 2
    assert stats.rank_distribution == {1: 2, 2: 1, 3: 0, 4: 1, None: 0}
    assert stats.seats_filled == {"full": 2, "closed": 0, "picky": 0, "spare": 2}
    empty = assignment_stats(inst, {})
    assert empty.unplaced == 4
    assert empty.rank_distribution[None] == 4


def test_compare_lists_moves_gains_and_losses():
    """Comparing two assignments lists who moves, who gains and who loses from A to B."""
    inst = instance()
    a = solve(inst).assignment
    b = {"ann": "spare", "bob": "full", "cat": "full", "dan": None}
    comparison = compare(inst, a, b)
    assert comparison.moves == [("ann", "full", "spare"), ("cat", "spare", "full"), ("dan", "spare", None)]
    assert comparison.gains == ["cat"]
    assert comparison.losses == ["ann", "dan"]
    assert comparison.a == assignment_stats(inst, a)
    assert comparison.b.unplaced == 1


@settings(max_examples=200, deadline=None)
@given(raw=raw_instances(max_candidates=7, max_offices=5))
def test_no_candidate_gains_from_candidate_optimal_to_office_optimal(raw):
    """Moving from the candidate-optimal to the office-optimal assignment makes no candidate better off."""
    capacities, preferences, priorities = raw
    inst = Instance(capacities, preferences, priorities)
    a = solve(inst, "candidates").assignment
    b = solve(inst, "offices").assignment
    comparison = compare(inst, a, b)
    assert comparison.gains == []
    assert {c for c, _, _ in comparison.moves} == set(comparison.losses)
    # Both stable assignments place the same number of candidates and fill the same seats.
    assert comparison.a.placed == comparison.b.placed
    assert comparison.a.seats_filled == comparison.b.seats_filled
    assert sum(comparison.a.rank_distribution.values()) == len(preferences)
