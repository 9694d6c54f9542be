"""Hypothesis strategies and brute-force references for the engine tests.

The references follow the definitions directly and share no code with the engine, so that the
tests compare two independent implementations.
"""

from __future__ import annotations

import itertools
from collections import Counter

from hypothesis import strategies as st


@st.composite
def raw_instances(draw, max_candidates: int = 5, max_offices: int = 4, max_seats: int = 3):
    """Draw (capacities, preferences, priorities) of a small instance.

    Ids are ints or strings; lists may be empty; acceptability need not be mutual; some offices
    may have no entry in the priorities at all. About half of the instances are dense (complete
    lists, one seat per office), where conflicting rankings often allow several stable assignments.
    """
    dense = draw(st.booleans())
    n = draw(st.integers(0, max_candidates))
    m = draw(st.integers(0, max_offices))
    if draw(st.booleans()):
        candidates = [f"c{i}" for i in range(n)]
        offices = [100 + i for i in range(m)]
    else:
        candidates = list(range(n))
        offices = [f"o{i}" for i in range(m)]
    capacities = {o: 1 if dense else draw(st.integers(0, max_seats)) for o in offices}
    preferences = {}
    for c in candidates:
        order = draw(st.permutations(offices))
        length = m if dense and draw(st.integers(0, 4)) else draw(st.integers(0, m))
        preferences[c] = list(order[:length])
    priorities = {}
    for o in offices:
        if not dense and draw(st.integers(0, 5)) == 0:
            continue
        order = draw(st.permutations(candidates))
        length = n if dense and draw(st.integers(0, 4)) else draw(st.integers(0, n))
        priorities[o] = list(order[:length])
    return capacities, preferences, priorities


def naive_blocking_pairs(capacities, preferences, priorities, assignment):
    """Return the blocking pairs by checking every candidate-office pair against the definition."""
    holders = {o: [c for c, a in assignment.items() if a == o] for o in capacities}
    pairs = []
    for c, ranking in preferences.items():
        for o in capacities:
            listed = priorities.get(o, [])
            if o not in ranking or c not in listed:
                continue
            own = assignment.get(c)
            if own is not None and ranking.index(own) <= ranking.index(o):
                continue
            if len(holders[o]) < capacities[o] or any(listed.index(h) > listed.index(c) for h in holders[o]):
                pairs.append((c, o))
    return pairs


def all_assignments(capacities, preferences, priorities):
    """Yield every assignment that respects capacities and mutual acceptability."""
    candidates = list(preferences)
    options = [[None] + [o for o in preferences[c] if c in priorities.get(o, [])] for c in candidates]
    for choice in itertools.product(*options):
        counts = Counter(o for o in choice if o is not None)
        if all(count <= capacities[o] for o, count in counts.items()):
            yield dict(zip(candidates, choice, strict=True))


def all_stable_assignments(capacities, preferences, priorities):
    """Return every stable assignment, by brute force."""
    return [
        a
        for a in all_assignments(capacities, preferences, priorities)
        if not naive_blocking_pairs(capacities, preferences, priorities, a)
    ]


def rank_of(ranking, office):
    """Return the office's place in the ranking; unplaced is worse than any ranked office."""
    return len(ranking) if office is None else ranking.index(office)


def all_rankings(offices):
    """Yield every strict ranking of every subset of the offices (including the empty one)."""
    for k in range(len(offices) + 1):
        yield from itertools.permutations(offices, k)
