"""Properties of deferred acceptance and blocking_pairs, checked against brute force on small instances."""

import random

import pytest
from engine_strategies import (
    all_rankings,
    all_stable_assignments,
    conflicting_instances,
    naive_blocking_pairs,
    rank_of,
    raw_instances,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from placement.engine import Instance, blocking_pairs, solve

BOTH = ["candidates", "offices"]


@pytest.mark.parametrize("proposing", BOTH)
@settings(max_examples=600, deadline=None)
@given(raw=raw_instances(max_candidates=7, max_offices=5))
def test_result_is_stable_and_feasible(proposing, raw):
    """The result is stable and respects capacities and mutual acceptability."""
    capacities, preferences, priorities = raw
    instance = Instance(capacities, preferences, priorities)
    assignment = solve(instance, proposing).assignment
    assert set(assignment) == set(preferences)
    for candidate, office in assignment.items():
        if office is not None:
            assert office in preferences[candidate]
            assert candidate in priorities.get(office, [])
    for office, seats in capacities.items():
        assert sum(1 for o in assignment.values() if o == office) <= seats
    assert naive_blocking_pairs(capacities, preferences, priorities, assignment) == []
    assert blocking_pairs(instance, assignment) == []


# Balanced instances with random complete lists often have several stable assignments (about one
# in six), which is where optimality and strategy-proofness can fail; the general instances add
# zero seats, missing priority lists and one-sided acceptability.
SMALL = pytest.mark.parametrize(
    "strategy", [conflicting_instances(5, 4), raw_instances(5, 4)], ids=["conflicting", "general"]
)
TINY = pytest.mark.parametrize(
    "strategy", [conflicting_instances(4, 3), raw_instances(4, 3)], ids=["conflicting", "general"]
)


@SMALL
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_candidates_proposing_is_candidate_optimal(strategy, data):
    """When candidates propose, no stable assignment gives any candidate a better office."""
    capacities, preferences, priorities = data.draw(strategy)
    assignment = solve(Instance(capacities, preferences, priorities), "candidates").assignment
    stable = all_stable_assignments(capacities, preferences, priorities)
    assert assignment in stable
    for other in stable:
        for candidate, ranking in preferences.items():
            assert rank_of(ranking, assignment[candidate]) <= rank_of(ranking, other[candidate])


@SMALL
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_offices_proposing_is_office_optimal(strategy, data):
    """When offices propose, no stable assignment gives any office better candidates.

    Every office fills the same number of seats in all stable assignments (the rural hospitals
    theorem), so its k-th best admitted candidate is compared for every k; and every candidate
    gets its worst stable office.
    """
    capacities, preferences, priorities = data.draw(strategy)
    assignment = solve(Instance(capacities, preferences, priorities), "offices").assignment
    stable = all_stable_assignments(capacities, preferences, priorities)
    assert assignment in stable
    for other in stable:
        for candidate, ranking in preferences.items():
            assert rank_of(ranking, assignment[candidate]) >= rank_of(ranking, other[candidate])
        for office in capacities:
            listed = priorities.get(office, [])
            mine = sorted(listed.index(c) for c, o in assignment.items() if o == office)
            theirs = sorted(listed.index(c) for c, o in other.items() if o == office)
            assert len(mine) == len(theirs)
            assert all(a <= b for a, b in zip(mine, theirs, strict=True))


def shuffled(mapping, rng):
    """Return the mapping with its entries in a random order."""
    items = list(mapping.items())
    rng.shuffle(items)
    return dict(items)


@pytest.mark.parametrize("proposing", BOTH)
@settings(max_examples=300, deadline=None)
@given(raw=raw_instances(max_candidates=8, max_offices=5), seed=st.integers(0, 2**32))
def test_result_does_not_depend_on_input_order(proposing, raw, seed):
    """Reordering the entries of the input dicts does not change the assignment or blocking pairs."""
    capacities, preferences, priorities = raw
    rng = random.Random(seed)
    first = Instance(capacities, preferences, priorities)
    second = Instance(shuffled(capacities, rng), shuffled(preferences, rng), shuffled(priorities, rng))
    assert solve(first, proposing).assignment == solve(second, proposing).assignment
    # blocking_pairs of a hand-made assignment: the same set of pairs either way.
    hand_made = {c: (ranking[0] if ranking else None) for c, ranking in preferences.items()}
    try:
        expected = set(blocking_pairs(first, hand_made))
    except ValueError:
        return
    assert set(blocking_pairs(second, shuffled(hand_made, rng))) == expected


@TINY
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_no_candidate_gains_by_misreporting(strategy, data):
    """No candidate gets a better office (by its true list) by submitting any other list."""
    capacities, preferences, priorities = data.draw(strategy)
    truth = solve(Instance(capacities, preferences, priorities)).assignment
    for candidate, true_ranking in preferences.items():
        honest = rank_of(true_ranking, truth[candidate])
        for lie in all_rankings(list(capacities)):
            lied = dict(preferences)
            lied[candidate] = list(lie)
            got = solve(Instance(capacities, lied, priorities)).assignment[candidate]
            # An office missing from the true list is worse than staying unplaced.
            achieved = (
                rank_of(true_ranking, got) if got is None or got in true_ranking else len(true_ranking) + 1
            )
            assert achieved >= honest, (candidate, lie)


@settings(max_examples=600, deadline=None)
@given(raw=raw_instances(max_candidates=6, max_offices=4), data=st.data())
def test_blocking_pairs_matches_definition_on_any_assignment(raw, data):
    """blocking_pairs finds exactly the pairs the definition names, for any valid assignment."""
    capacities, preferences, priorities = raw
    instance = Instance(capacities, preferences, priorities)
    left = dict(capacities)
    assignment = {}
    for candidate, ranking in preferences.items():
        options = [None] + [o for o in ranking if left[o] > 0 and candidate in priorities.get(o, [])]
        office = data.draw(st.sampled_from(options))
        if office is not None:
            left[office] -= 1
        assignment[candidate] = office
    expected = naive_blocking_pairs(capacities, preferences, priorities, assignment)
    # The engine lists pairs in candidate order, then in the candidate's preference order.
    order = list(preferences)
    expected.sort(key=lambda pair: (order.index(pair[0]), preferences[pair[0]].index(pair[1])))
    assert blocking_pairs(instance, assignment) == expected
