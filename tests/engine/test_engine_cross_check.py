"""Cross-check against the PyPI package ``matching`` (hospital/resident problem), a test-only dependency."""

import random
import warnings

import pytest
from engine_strategies import raw_instances
from hypothesis import given, settings

from placement.engine import Instance, solve

HospitalResident = pytest.importorskip("matching.games").HospitalResident


def solve_with_matching(capacities, preferences, priorities, optimal):
    """Return the assignment ``matching`` finds, after removing what its input rules forbid.

    ``matching`` wants mutual lists, non-empty lists and capacities of at least one, so pairs that
    are not mutually acceptable, offices without seats and players left with empty lists are
    dropped first; none of them can be part of any assignment anyway.
    """
    open_offices = {o for o, seats in capacities.items() if seats > 0}
    listed = {o: set(priorities.get(o, [])) for o in capacities}
    residents = {
        c: [o for o in ranking if o in open_offices and c in listed[o]] for c, ranking in preferences.items()
    }
    residents = {c: ranking for c, ranking in residents.items() if ranking}
    ranked = {o: {c for c, ranking in residents.items() if o in ranking} for o in capacities}
    hospitals = {o: [c for c in priorities.get(o, []) if c in ranked[o]] for o in open_offices}
    hospitals = {o: ranking for o, ranking in hospitals.items() if ranking}
    assignment = dict.fromkeys(preferences)
    if not residents:
        return assignment
    with warnings.catch_warnings():
        # Any warning would mean the cleaning above missed one of its rules.
        warnings.simplefilter("error")
        game = HospitalResident.create_from_dictionaries(
            residents, hospitals, {o: capacities[o] for o in hospitals}
        )
        solution = game.solve(optimal=optimal)
    for hospital, matched in solution.items():
        for resident in matched:
            assignment[resident.name] = hospital.name
    return assignment


@settings(max_examples=800, deadline=None)
@given(raw=raw_instances(max_candidates=9, max_offices=6, max_seats=3))
def test_same_as_matching_resident_optimal(raw):
    """Candidates proposing gives the resident-optimal assignment of ``matching``."""
    capacities, preferences, priorities = raw
    ours = solve(Instance(capacities, preferences, priorities), "candidates").assignment
    assert ours == solve_with_matching(capacities, preferences, priorities, "resident")


@settings(max_examples=800, deadline=None)
@given(raw=raw_instances(max_candidates=9, max_offices=6, max_seats=3))
def test_same_as_matching_hospital_optimal(raw):
    """Offices proposing gives the hospital-optimal assignment of ``matching``."""
    capacities, preferences, priorities = raw
    ours = solve(Instance(capacities, preferences, priorities), "offices").assignment
    assert ours == solve_with_matching(capacities, preferences, priorities, "hospital")


@pytest.mark.parametrize("seed", range(5))
def test_same_as_matching_on_larger_random_instances(seed):
    """On seeded random instances of 150 candidates the assignments agree."""
    rng = random.Random(seed)
    offices = [f"o{i}" for i in range(25)]
    candidates = [f"c{i}" for i in range(150)]
    capacities = {o: rng.randint(0, 8) for o in offices}
    preferences = {c: rng.sample(offices, rng.randint(0, 8)) for c in candidates}
    priorities = {}
    for o in offices:
        applicants = [c for c in candidates if o in preferences[c]]
        # Offices also list some candidates who did not rank them, and leave some applicants out.
        pool = [c for c in applicants if rng.random() < 0.9] + rng.sample(candidates, 5)
        priorities[o] = rng.sample(sorted(set(pool)), len(set(pool)))
    instance = Instance(capacities, preferences, priorities)
    assert solve(instance).assignment == solve_with_matching(capacities, preferences, priorities, "resident")
