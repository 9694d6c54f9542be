"""Benchmark a whole placement cycle at national scale: 10,000 candidates and 300 offices.

Run from the project root: ``.venv/bin/python bench/placement_cycle.py [--candidates N] [--offices N]``.
It creates a throw-away test database (SQLite in memory, or PostgreSQL when DATABASE_URL is set), seeds offices,
vacancies (1 to 5 seats), candidates and preference lists (5 to 15 offices each, skewed towards popular offices),
then times:

* the deadline: submitting every list left unsubmitted, with its audit entry and receipt email (no budget);
* a run: snapshot load + solve + stability check + saving every assignment and its explanation (budget 15 s);
* the examination staff's result page of the published run (budget 300 ms; median of 5 requests, first page and a
  filtered page).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("DJANGO_SETTINGS_MODULE") or "config.settings.test"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from django.urls import reverse  # noqa: E402

RUN_BUDGET_S = 15.0
PAGE_BUDGET_MS = 300.0


def seed(n_candidates: int, n_offices: int, rng: random.Random):
    from datetime import timedelta

    from core import clock
    from placement.models import Candidate, ExamCycle, LandOffice, PreferenceEntry, PreferenceList, Vacancy

    offices = LandOffice.objects.bulk_create(
        LandOffice(code=f"B{i:04d}", name=f"基準第{i}地政事務所", name_en=f"Bench Land Office {i}",
                   county=f"縣市{i % 22}", county_en=f"County {i % 22}",
                   latitude=Decimal("23.5") + Decimal(i % 30) / 10,
                   longitude=Decimal("120.5") + Decimal(i % 20) / 10, sort_order=i)
        for i in range(n_offices)
    )
    now = clock.now()
    cycle = ExamCycle.objects.create(
        name="基準週期", year=115, is_current=True, office_profiles_until=now - timedelta(days=40),
        submissions_until=now - timedelta(days=30), focus_groups_until=now - timedelta(days=20),
        preferences_until=now - timedelta(days=1),
    )
    Vacancy.objects.bulk_create(Vacancy(cycle=cycle, office=office, seats=rng.randint(1, 5)) for office in offices)
    candidates = Candidate.objects.bulk_create(
        (Candidate(cycle=cycle, exam_number=f"9{i:07d}", name=f"考生{i}", email=f"bench{i}@example.com",
                   exam_score=Decimal("60.00"), exam_rank=i + 1) for i in range(n_candidates)),
        batch_size=2000,
    )
    lists = PreferenceList.objects.bulk_create(
        (PreferenceList(candidate=candidate, updated_at=now) for candidate in candidates), batch_size=2000
    )
    weights = [1 / (rank + 1) ** 0.8 for rank in range(n_offices)]
    entries = []
    for preference_list in lists:
        chosen: dict[int, None] = {}
        wanted = rng.randint(5, 15)
        while len(chosen) < wanted:
            chosen.setdefault(rng.choices(range(n_offices), weights)[0])
        entries.extend(PreferenceEntry(preference_list=preference_list, office=offices[o], position=p)
                       for p, o in enumerate(chosen, start=1))
    PreferenceEntry.objects.bulk_create(entries, batch_size=5000)
    return cycle


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--offices", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.roles import Role
        from placement.models import PlacementRun
        from placement.services.preferences import preference_lists_submit_at_deadline
        from placement.services.publications import publication_create
        from placement.services.runs import placement_run_start
        from tests.factories import make_user

        started = time.perf_counter()
        cycle = seed(args.candidates, args.offices, random.Random(args.seed))
        print(f"database: {connection.vendor}; seeded {args.candidates} candidates, {args.offices} offices "
              f"in {time.perf_counter() - started:.1f} s")

        staff = make_user(Role.EXAM_STAFF)
        # The lists nobody submitted are submitted at the deadline, by the periodic task, before any run; timed on
        # its own, with its receipt emails rendered inline as tests' eager settings do.
        started = time.perf_counter()
        submitted = preference_lists_submit_at_deadline(cycle=cycle)
        print(f"deadline: {submitted} unsubmitted lists submitted, audited and emailed in "
              f"{time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        # Outside a transaction the on-commit callback runs at once, and tests' settings run the task eagerly.
        run = placement_run_start(cycle=cycle, policy=PlacementRun.Policy.EXAM_RANK, exam_weight=1,
                                           seed=1, acting_user=staff)
        run_seconds = time.perf_counter() - started
        run.refresh_from_db()
        assert run.status == PlacementRun.Status.SUCCEEDED, run.error
        print(f"run (load + solve + save), exam-rank policy: {run_seconds:.2f} s  "
              f"[budget {RUN_BUDGET_S:.0f} s] {'OK' if run_seconds < RUN_BUDGET_S else 'OVER'}  "
              f"(placed {run.stats['placed']}, blocking pairs {run.blocking_pairs})")

        started = time.perf_counter()
        blended = placement_run_start(cycle=cycle, policy=PlacementRun.Policy.BLENDED,
                                               exam_weight=Decimal("0.7"), seed=1, acting_user=staff)
        blended_seconds = time.perf_counter() - started
        print(f"run (load + solve + save), blended policy:   {blended_seconds:.2f} s")

        publication_create(run=run, acting_user=staff)
        blended.refresh_from_db()

        client = Client()
        client.force_login(staff)
        url = reverse("placement:cycle_results", kwargs={"pk": cycle.pk})
        pages = (("first page", {}), ("filtered (county, unplaced)", {"county": "縣市3", "placed": "false"}),
                 ("page 50", {"page": 50}))
        for label, params in pages:
            client.get(url, params)  # Warm-up: template compilation and the session.
            timings = []
            for _n in range(5):
                started = time.perf_counter()
                response = client.get(url, params)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            median = statistics.median(timings)
            print(f"results page, {label}: median {median:.0f} ms  [budget {PAGE_BUDGET_MS:.0f} ms] "
                  f"{'OK' if median < PAGE_BUDGET_MS else 'OVER'}")
    finally:
        teardown_databases(old_config, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
