"""Benchmark the placement engine on seeded NRMP-like instances, and compare with ``matching``.

Run from the project root: ``.venv/bin/python bench/matching.py [--seed N] [--repeat N]``.

An instance of size n has n candidates, round(6000 * n / 44000) offices and round(40000 * n / 44000)
seats (every office has at least one seat; the rest follow office popularity). Each candidate ranks
5 to 15 distinct offices drawn with a popularity skew (office weight 1 / (popularity rank) ** 0.8),
and each office ranks everyone who ranked it in a seeded random order.

Times are wall-clock (``time.perf_counter``), the median of ``--repeat`` runs. Peak memory is measured
separately with ``tracemalloc``: the peak of Python allocations during ``Instance(...)`` + ``solve`` +
``blocking_pairs``, above what was allocated before (the generated input), in a run of its own
because tracing slows the code down.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import threading
import time
import tracemalloc
import warnings
from itertools import accumulate

# This file is itself called matching.py: drop its folder from the path so that ``import matching``
# finds the PyPI package, and put the project root on the path for ``placement``.
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != HERE]
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from placement.engine import ENGINE_VERSION, Instance, blocking_pairs, solve  # noqa: E402

NRMP_CANDIDATES = 44_000
NRMP_OFFICES = 6_000
NRMP_SEATS = 40_000
SIZES = (5_000, 20_000, 44_000)
MATCHING_SIZE = 5_000

TARGET_SECONDS = 1.5
TARGET_MEGABYTES = 400
TARGET_SPEEDUP = 75


def generate(candidates: int, seed: int) -> tuple[dict, dict, dict]:
    """Return capacities, preferences and priorities of a seeded NRMP-like instance."""
    rng = random.Random(seed)
    offices = max(1, round(NRMP_OFFICES * candidates / NRMP_CANDIDATES))
    seats = max(offices, round(NRMP_SEATS * candidates / NRMP_CANDIDATES))
    office_ids = [f"o{i}" for i in range(offices)]
    # Popularity: a random order of offices with weights decaying like a Zipf law.
    popularity = office_ids[:]
    rng.shuffle(popularity)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(offices)]
    cum_weights = list(accumulate(weights))

    capacities = dict.fromkeys(office_ids, 1)
    for office in rng.choices(popularity, cum_weights=cum_weights, k=seats - offices):
        capacities[office] += 1

    preferences = {}
    applicants: dict[str, list[str]] = {office: [] for office in office_ids}
    for i in range(candidates):
        candidate = f"c{i}"
        length = min(rng.randint(5, 15), offices)
        ranking: dict[str, None] = {}
        while len(ranking) < length:
            for office in rng.choices(popularity, cum_weights=cum_weights, k=length):
                ranking[office] = None
                if len(ranking) == length:
                    break
        preferences[candidate] = list(ranking)
        for office in ranking:
            applicants[office].append(candidate)
    for pool in applicants.values():
        rng.shuffle(pool)
    return capacities, preferences, applicants


def run_engine(capacities: dict, preferences: dict, priorities: dict) -> tuple[float, float, float, dict]:
    """Return the seconds of build, solve and check, and the assignment."""
    start = time.perf_counter()
    instance = Instance(capacities, preferences, priorities)
    built = time.perf_counter()
    result = solve(instance, proposing="candidates")
    solved = time.perf_counter()
    pairs = blocking_pairs(instance, result.assignment)
    checked = time.perf_counter()
    if pairs:
        raise SystemExit(f"the engine returned an unstable assignment: {pairs[:5]}")
    return built - start, solved - built, checked - solved, result.assignment


def engine_peak_megabytes(capacities: dict, preferences: dict, priorities: dict) -> float:
    """Return the tracemalloc peak (MB) of the engine's build, solve and check above the baseline."""
    gc.collect()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    instance = Instance(capacities, preferences, priorities)
    result = solve(instance, proposing="candidates")
    blocking_pairs(instance, result.assignment)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (peak - baseline) / 1e6


def run_matching(capacities: dict, preferences: dict, priorities: dict) -> tuple[float, float, float, dict]:
    """Return the seconds of build, solve and stability check by ``matching``, and its assignment.

    ``matching`` deep-copies its linked player objects recursively, which exceeds the default
    recursion limit at a few thousand candidates, so it runs in a thread with a large stack and a
    raised limit.
    """
    outcome: list = []

    def work() -> None:
        outcome.append(_run_matching(capacities, preferences, priorities))

    old_limit = sys.getrecursionlimit()
    old_stack = threading.stack_size(512 * 1024 * 1024)
    sys.setrecursionlimit(1_000_000)
    try:
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    if not outcome:
        raise SystemExit("matching failed")
    return outcome[0]


def _run_matching(capacities: dict, preferences: dict, priorities: dict) -> tuple[float, float, float, dict]:
    """Return the seconds of build, solve and stability check by ``matching``, and its assignment."""
    from matching.games import HospitalResident

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(preferences, priorities, capacities)
    built = time.perf_counter()
    solution = game.solve(optimal="resident")
    solved = time.perf_counter()
    stable = game.check_stability()
    checked = time.perf_counter()
    if not stable:
        raise SystemExit("matching returned an unstable assignment")
    assignment = dict.fromkeys(preferences)
    for hospital, residents in solution.items():
        for resident in residents:
            assignment[resident.name] = hospital.name
    return built - start, solved - built, checked - solved, assignment


def verdict(ok: bool) -> str:
    """Return PASS or FAIL."""
    return "PASS" if ok else "FAIL"


def main() -> int:
    """Run the benchmark and return the exit status (1 when a target fails)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the median is reported")
    args = parser.parse_args()

    import matching

    print(
        f"placement.engine {ENGINE_VERSION}, matching {matching.__version__}, Python {sys.version.split()[0]}"
    )
    print(f"seed {args.seed}, median of {args.repeat} runs; memory = tracemalloc peak above the input")
    print()
    header = (
        f"{'candidates':>10} {'offices':>7} {'seats':>6} {'entries':>8} "
        f"{'build s':>8} {'solve s':>8} {'check s':>8} {'total s':>8} {'peak MB':>8} {'unplaced':>8}"
    )
    print(header)
    print("-" * len(header))
    failures = 0
    engine_totals = {}
    instances = {}
    for size in SIZES:
        capacities, preferences, priorities = generate(size, args.seed + size)
        instances[size] = (capacities, preferences, priorities)
        runs = [run_engine(capacities, preferences, priorities) for _ in range(args.repeat)]
        build = statistics.median(run[0] for run in runs)
        solve_time = statistics.median(run[1] for run in runs)
        check = statistics.median(run[2] for run in runs)
        total = statistics.median(sum(run[:3]) for run in runs)
        engine_totals[size] = (total, runs[0][3])
        peak = engine_peak_megabytes(capacities, preferences, priorities)
        entries = sum(len(ranking) for ranking in preferences.values())
        unplaced = sum(office is None for office in runs[0][3].values())
        print(
            f"{size:>10,} {len(capacities):>7,} {sum(capacities.values()):>6,} {entries:>8,} "
            f"{build:>8.3f} {solve_time:>8.3f} {check:>8.3f} {total:>8.3f} {peak:>8.1f} {unplaced:>8,}"
        )
        if size == NRMP_CANDIDATES:
            nrmp_total, nrmp_peak = total, peak

    print()
    capacities, preferences, priorities = instances[MATCHING_SIZE]
    m_build, m_solve, m_check, m_assignment = run_matching(capacities, preferences, priorities)
    m_total = m_build + m_solve + m_check
    e_total, e_assignment = engine_totals[MATCHING_SIZE]
    same = m_assignment == e_assignment
    print(
        f"matching at {MATCHING_SIZE:,} candidates (one run): build {m_build:.3f} s, solve {m_solve:.3f} s, "
        f"stability check {m_check:.3f} s, total {m_total:.3f} s"
    )
    print(
        f"engine at {MATCHING_SIZE:,} candidates: total {e_total:.3f} s; same assignment as matching: {same}"
    )
    speedup = m_total / e_total
    print()
    checks = [
        (
            f"NRMP scale ({NRMP_CANDIDATES:,}): Instance + solve + blocking_pairs {nrmp_total:.3f} s "
            f"< {TARGET_SECONDS} s",
            nrmp_total < TARGET_SECONDS,
        ),
        (
            f"NRMP scale ({NRMP_CANDIDATES:,}): peak memory {nrmp_peak:.1f} MB < {TARGET_MEGABYTES} MB",
            nrmp_peak < TARGET_MEGABYTES,
        ),
        (
            f"{MATCHING_SIZE:,} candidates: {speedup:.0f}x faster than matching >= {TARGET_SPEEDUP}x",
            speedup >= TARGET_SPEEDUP,
        ),
        (f"{MATCHING_SIZE:,} candidates: same assignment as matching", same),
    ]
    for text, ok in checks:
        failures += not ok
        print(f"{verdict(ok)}  {text}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
