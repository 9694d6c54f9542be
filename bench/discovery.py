"""Benchmark office discovery: 400 offices with full published profiles and 300 candidates.

Run from the project root: ``.venv/bin/python bench/discovery.py [--offices N] [--candidates N]``.
It creates a throw-away test database (SQLite in memory, or PostgreSQL when DATABASE_URL is set), seeds offices
around the real land offices' positions, each with a published profile, three re-survey projects and three to five
instruments, vacancies (0 to 5 seats) and candidates with a residence, then times, as a candidate, the median of
several requests after a warm-up (budget 150 ms each):

* the discovery page filtered by distance, instrument, flat-land share and re-survey activity, sorted by distance;
* the discovery page unfiltered (every office on the map);
* the comparison of four offices.
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("DJANGO_SETTINGS_MODULE") or "config.settings.test"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from django.urls import reverse  # noqa: E402

PAGE_BUDGET_MS = 150.0
REQUESTS = 7
KINDS = ("total_station", "gnss_rtk", "theodolite", "level", "uav", "scanner_3d", "other")


def _registry_positions() -> list[tuple[str, Decimal, Decimal]]:
    with (ROOT / "placement" / "data" / "land_offices.csv").open(encoding="utf-8") as rows:
        return [(row["county"], Decimal(row["latitude"]), Decimal(row["longitude"])) for row in csv.DictReader(rows)]


def _jitter(rng: random.Random) -> Decimal:
    return Decimal(rng.randint(-150, 150)) / Decimal(10_000)


def seed(n_offices: int, n_candidates: int, rng: random.Random):
    """Seed the cycle, offices with published profiles, vacancies and candidates; return (cycle, candidates)."""
    from core import clock
    from offices.models import OfficeInstrument, OfficeProfile, ProfileStatus, ResurveyProject
    from placement.models import Candidate, ExamCycle, LandOffice, Vacancy

    now = clock.now()
    positions = _registry_positions()
    offices = []
    for i in range(n_offices):
        county, latitude, longitude = positions[i % len(positions)]
        offices.append(LandOffice(
            code=f"B{i:04d}", name=f"{county}基準第{i}地政事務所", name_en=f"Bench Land Office {i}", county=county,
            county_en=county, district="中正區", latitude=latitude + _jitter(rng), longitude=longitude + _jitter(rng),
            sort_order=i,
        ))
    offices = LandOffice.objects.bulk_create(offices)
    cycle = ExamCycle.objects.create(name="基準週期", year=115, is_current=True)
    Vacancy.objects.bulk_create(Vacancy(cycle=cycle, office=office, seats=rng.randint(0, 5)) for office in offices)
    profiles = []
    for office in offices:
        flat, digitized = rng.randint(0, 100), rng.randint(0, 100)
        profiles.append(OfficeProfile(
            office=office, field_survey_distance_km=Decimal(rng.randint(10, 800)) / 10,
            digitized_area_percent=digitized, graphical_area_percent=100 - digitized,
            flat_land_percent=flat, mountain_land_percent=100 - flat,
            field_conditions="山區外業多，夏季午後雷陣雨。" * 5,
            communication_expectations="與民眾及地主協調界址。" * 5,
            required_abilities="導線測量、水準測量、地籍圖重測。" * 5, culture_and_customs="重視團隊合作。" * 5,
            work_address=f"{office.county}中正區測量路{office.pk}號", latitude=office.latitude,
            longitude=office.longitude, contact_name="王課長", contact_phone="02-2345-6789",
            contact_email=f"office{office.pk}@example.gov.tw", status=ProfileStatus.PUBLISHED, published_at=now,
        ))
    profiles = OfficeProfile.objects.bulk_create(profiles)
    ResurveyProject.objects.bulk_create(
        ResurveyProject(profile=profile, year=now.year - back, area_hectares=Decimal(rng.randint(1000, 90000)) / 100,
                        parcel_count=rng.randint(100, 5000))
        for profile in profiles for back in rng.sample(range(0, 10), 3)
    )
    OfficeInstrument.objects.bulk_create(
        OfficeInstrument(profile=profile, kind=kind, count=rng.randint(1, 8))
        for profile in profiles for kind in rng.sample(KINDS, rng.randint(3, 5))
    )
    candidates = Candidate.objects.bulk_create(
        Candidate(cycle=cycle, exam_number=f"9{i:07d}", name=f"考生{i}", email=f"bench{i}@example.com",
                  exam_score=Decimal("60.00"), exam_rank=i + 1, residence_county=positions[i % len(positions)][0],
                  residence_latitude=positions[i % len(positions)][1],
                  residence_longitude=positions[i % len(positions)][2])
        for i in range(n_candidates)
    )
    return cycle, candidates, offices


def _median_ms(client: Client, url: str, params) -> tuple[float, int]:
    response = client.get(url, params)  # Warm-up: template compilation, the session and the outline file.
    assert response.status_code == 200, response.status_code
    timings = []
    for _n in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url, params)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(timings), response


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offices", type=int, default=400)
    parser.add_argument("--candidates", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.roles import Role
        from tests.factories import make_user

        started = time.perf_counter()
        _cycle, candidates, offices = seed(args.offices, args.candidates, random.Random(args.seed))
        print(f"database: {connection.vendor}; seeded {args.offices} offices with published profiles and "
              f"{args.candidates} candidates in {time.perf_counter() - started:.1f} s")

        user = make_user(Role.CANDIDATE)
        candidate = candidates[0]
        candidate.user = user
        candidate.save(update_fields=["user"])
        client = Client()
        client.force_login(user)
        pages = (
            ("discovery, filtered and sorted by distance", reverse("offices:discovery"),
             {"distance": "150", "instrument": "total_station", "flat_land_min": "20", "resurvey_years": "5",
              "with_vacancies": "on", "sort": "distance"}),
            ("discovery, unfiltered (every office on the map)", reverse("offices:discovery"), {}),
            ("comparison of four offices", reverse("offices:compare"),
             {"o": [office.code for office in offices[:4]]}),
        )
        over = False
        for label, url, params in pages:
            median, response = _median_ms(client, url, params)
            shown = len(response.context["page"].object_list) if "page" in response.context else len(
                response.context["offices"])
            over |= median >= PAGE_BUDGET_MS
            print(f"{label}: median {median:.0f} ms of {REQUESTS} ({shown} offices shown)  "
                  f"[budget {PAGE_BUDGET_MS:.0f} ms] {'OK' if median < PAGE_BUDGET_MS else 'OVER'}")
    finally:
        teardown_databases(old_config, verbosity=0)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
