"""Benchmark focus-group scoring: 300 candidates, 10 raters and 8 criteria, about 10% of the ratings missing.

Run from the project root: ``.venv/bin/python bench/focusgroups.py [--candidates N] [--raters N] [--criteria N]``.
It times ``focusgroups.scoring.aggregate`` on seeded random scores (median of several runs after a warm-up; budget
100 ms). The aggregation needs no Django, so this part runs without a database.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from focusgroups.scoring import CriterionWeight, Score, aggregate  # noqa: E402

AGGREGATION_BUDGET_MS = 100.0
RUNS = 7
MISSING_SHARE = 0.10


def seed_scores(n_candidates: int, n_raters: int, n_criteria: int, rng: random.Random):
    """Return (criteria, scores, raters, candidates) with each rater a little harsher or more lenient than the next."""
    criteria = [CriterionWeight(key=f"c{j}", weight=rng.choice([1, 1, 2, 3])) for j in range(n_criteria)]
    raters = [f"r{i}" for i in range(n_raters)]
    candidates = [f"k{i:04d}" for i in range(n_candidates)]
    severity = {rater: rng.uniform(-1, 1) for rater in raters}
    merit = {candidate: rng.uniform(1.5, 4.5) for candidate in candidates}
    scores = [
        Score(rater=rater, candidate=candidate, criterion=criterion.key,
              value=min(5, max(1, round(merit[candidate] + severity[rater] + rng.gauss(0, 0.7)))))
        for candidate in candidates for rater in raters for criterion in criteria
        if rng.random() >= MISSING_SHARE
    ]
    return criteria, scores, raters, candidates


def bench_aggregation(n_candidates: int = 300, n_raters: int = 10, n_criteria: int = 8, seed: int = 2026) -> float:
    """Return the median milliseconds of ``aggregate`` over the seeded group."""
    criteria, scores, raters, candidates = seed_scores(n_candidates, n_raters, n_criteria, random.Random(seed))
    aggregate(criteria, scores, raters=raters, candidates=candidates)  # Warm-up.
    timings = []
    for _n in range(RUNS):
        started = time.perf_counter()
        aggregate(criteria, scores, raters=raters, candidates=candidates)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=300)
    parser.add_argument("--raters", type=int, default=10)
    parser.add_argument("--criteria", type=int, default=8)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    median = bench_aggregation(args.candidates, args.raters, args.criteria, args.seed)
    over = median >= AGGREGATION_BUDGET_MS
    print(f"aggregation of {args.candidates} candidates x {args.raters} raters x {args.criteria} criteria "
          f"(~{MISSING_SHARE:.0%} missing): median {median:.1f} ms of {RUNS}  "
          f"[target: aggregation under {AGGREGATION_BUDGET_MS:.0f} ms median] {'OK' if not over else 'OVER'}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
