"""Benchmark focus-group scoring: 300 candidates, 10 raters and 8 criteria, about 10% of the ratings missing.

Run from the project root: ``.venv/bin/python bench/focusgroups.py [--candidates N] [--raters N] [--criteria N]``.
It times ``focusgroups.scoring.aggregate`` on seeded random scores (median of several runs after a warm-up; budget
100 ms). The aggregation needs no Django, so this part runs without a database.

Then (unless ``--no-page``) it seeds the same group in a throw-away test database (SQLite in memory, or PostgreSQL
when DATABASE_URL is set), closes its scoring, and times the leader's aggregate page (budget 300 ms median), also
counting its queries for a group a tenth the size, which must be the same.
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
PAGE_BUDGET_MS = 300.0
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


def _seed_group(cycle, n_candidates: int, n_raters: int, n_criteria: int, rng: random.Random, *, first_rank=1):
    """Seed a closed group of a new office with submitted scores through bulk inserts; return (group, leader)."""
    from decimal import Decimal

    from accounts.roles import Role
    from core import clock
    from focusgroups.models import Criterion, FocusGroup, Member, Rating, RosterEntry, Submission
    from tests.factories import CandidateFactory, LandOfficeFactory, make_user

    now = clock.now()
    office = LandOfficeFactory()
    leader = make_user(Role.FOCUS_GROUP_LEADER, office=office)
    raters = [leader] + [make_user(Role.FOCUS_GROUP_MEMBER, office=office) for _n in range(n_raters - 1)]
    group = FocusGroup.objects.create(office=office, cycle=cycle, leader=leader, created_at=now,
                                      state=FocusGroup.State.CLOSED, scoring_opened_at=now, scoring_closed_at=now)
    Member.objects.bulk_create(Member(group=group, user=user, email=user.email, added_at=now) for user in raters)
    criteria = Criterion.objects.bulk_create(
        Criterion(group=group, position=j + 1, name=f"準則{j + 1}", weight=Decimal(rng.choice([1, 1, 2, 3])),
                  levels=["1", "2", "3", "4", "5"]) for j in range(n_criteria))
    candidates = [CandidateFactory(cycle=cycle, exam_rank=first_rank + i) for i in range(n_candidates)]
    RosterEntry.objects.bulk_create(RosterEntry(group=group, candidate=c, added_at=now) for c in candidates)
    Submission.objects.bulk_create(Submission(group=group, rater=user, candidate=c, submitted_at=now)
                                   for user in raters for c in candidates)
    severity = {user.pk: rng.uniform(-1, 1) for user in raters}
    Rating.objects.bulk_create(
        (Rating(group=group, rater=user, candidate=c, criterion=criterion, updated_at=now,
                score=min(5, max(1, round(3 + severity[user.pk] + rng.gauss(0, 0.9)))))
         for c in candidates for user in raters for criterion in criteria if rng.random() >= MISSING_SHARE),
        batch_size=2000)
    return group, leader


def bench_results_page(n_candidates: int, n_raters: int, n_criteria: int, seed: int) -> tuple[float, int, int]:
    """Return the median ms of the leader's aggregate page, and its query counts at full and a tenth the size."""
    import os

    os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("DJANGO_SETTINGS_MODULE") or "config.settings.test"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_databases, setup_test_environment, teardown_databases
    from django.urls import reverse

    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from tests.factories import ExamCycleFactory

        rng = random.Random(seed)
        cycle = ExamCycleFactory(is_current=True)
        small, small_leader = _seed_group(cycle, max(2, n_candidates // 10), n_raters, n_criteria, rng)
        group, leader = _seed_group(cycle, n_candidates, n_raters, n_criteria, rng, first_rank=n_candidates + 1)
        client = Client()

        def queries(for_group, user) -> int:
            client.force_login(user)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(reverse("focusgroups:results", kwargs={"pk": for_group.pk}))
            assert response.status_code == 200, response.status_code
            return len(captured)

        small_count = queries(small, small_leader)
        full_count = queries(group, leader)  # Also the warm-up of the timed page.
        url = reverse("focusgroups:results", kwargs={"pk": group.pk})
        timings = []
        for _n in range(RUNS):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        print(f"database: {connection.vendor}")
        return statistics.median(timings), full_count, small_count
    finally:
        teardown_databases(old_config, verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=300)
    parser.add_argument("--raters", type=int, default=10)
    parser.add_argument("--criteria", type=int, default=8)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-page", action="store_true", help="time only the aggregation (no database)")
    args = parser.parse_args()

    median = bench_aggregation(args.candidates, args.raters, args.criteria, args.seed)
    over = median >= AGGREGATION_BUDGET_MS
    print(f"aggregation of {args.candidates} candidates x {args.raters} raters x {args.criteria} criteria "
          f"(~{MISSING_SHARE:.0%} missing): median {median:.1f} ms of {RUNS}  "
          f"[target: aggregation under {AGGREGATION_BUDGET_MS:.0f} ms median] {'OK' if not over else 'OVER'}")
    if not args.no_page:
        page, full_count, small_count = bench_results_page(args.candidates, args.raters, args.criteria, args.seed)
        page_over = page >= PAGE_BUDGET_MS or full_count != small_count
        print(f"leader's aggregate page, {args.candidates} candidates: median {page:.0f} ms of {RUNS}; "
              f"{full_count} queries (and {small_count} at a tenth the size)  "
              f"[target: under {PAGE_BUDGET_MS:.0f} ms median, constant queries] {'OK' if not page_over else 'OVER'}")
        over |= page_over
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
