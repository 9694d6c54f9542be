"""Hypothesis strategies and brute-force references for the engine tests.

The references follow the definitions directly and share no code with the engine, so that the
tests compare two independent implementations.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter

from hypothesis import strategies as st


@st.composite
def raw_instances(draw, max_candidates: int = 5, max_offices: int = 4, max_seats: int = 3):
    """Draw (capacities, preferences, priorities) of a small instance.

    Ids are ints or strings; lists may be empty; acceptability need not be mutual; some offices
    may have no entry in the priorities at all. One draw in three is a conflicting instance instead.
    """
    if draw(st.integers(0, 2)) == 0:
        return draw(conflicting_instances(max_candidates, max_offices))
    n = draw(st.integers(0, max_candidates))
    m = draw(st.integers(0, max_offices))
    candidates, offices = _ids(draw, n, m)
    capacities = {o: draw(st.integers(0, max_seats)) for o in offices}
    preferences = {c: list(draw(st.permutations(offices)))[: draw(st.integers(0, m))] for c in candidates}
    priorities = {}
    for o in offices:
        if draw(st.integers(0, 5)):
            priorities[o] = list(draw(st.permutations(candidates)))[: draw(st.integers(0, n))]
    return capacities, preferences, priorities


@st.composite
def conflicting_instances(draw, max_candidates: int = 5, max_offices: int = 4):
    """Draw a balanced instance (about as many candidates as seats) with random complete lists.

    Balanced markets with uniformly random lists often have several stable assignments, so the
    optimality tests have something to choose between. Hypothesis biases permutations towards the
    identity, which makes everyone agree, so the lists come from Python's generator seeded by a
    drawn integer.
    """
    rng = random.Random(draw(st.integers(0, 2**64)))
    m = rng.randint(min(2, max_offices), max_offices)
    seats = [rng.choice([1, 1, 1, 2]) for _ in range(m)]
    n = max(0, min(max_candidates, sum(seats) + rng.choice([-1, 0, 0, 0, 1])))
    candidates, offices = _ids(draw, n, m)

    def shuffled(items):
        order = list(items)
        rng.shuffle(order)
        # Now and then a list is cut short, so unacceptable pairs occur too.
        return order[: rng.randint(0, len(order))] if rng.random() < 0.1 else order

    capacities = dict(zip(offices, seats, strict=True))
    preferences = {c: shuffled(offices) for c in candidates}
    priorities = {o: shuffled(candidates) for o in offices}
    return capacities, preferences, priorities


def _ids(draw, n, m):
    """Return candidate and office ids: ints for one side and strings for the other."""
    if draw(st.booleans()):
        return [f"c{i}" for i in range(n)], [100 + i for i in range(m)]
    return list(range(n)), [f"o{i}" for i in range(m)]


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
