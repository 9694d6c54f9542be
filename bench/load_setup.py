"""Prepare the load test's database: the demo data, accounts for every simulated person, and their sessions.

bench/load.py runs this with the production-like environment it built, after creating the empty database:
``python bench/load_setup.py --members N --staff N --out sessions.json``. It migrates, loads the demo
(``manage.py load_demo``), then

* moves the demo cycle back into its candidate-submissions phase (the focus-group and preference deadlines still
  ahead), so that candidates may upload evidence and rank offices and members may score in the same run;
* gives each of the cycle's candidates an account;
* starts a second focus group, at the office most candidates ranked, with its own leader and N members who may
  score its roster (the demo's own group is finalised);
* adds an earlier cycle with a published placement, for the examination staff's results pages, and N staff
  accounts with TOTP enrolled;
* signs every account in, as a forced login does (a session row per account, the password and TOTP steps
  skipped), and writes the session keys and the ids the scenario needs to a JSON file.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from accounts.services import role_grant  # noqa: E402
from core import clock  # noqa: E402

PAST_CYCLE_NAME = "114年公務人員高等考試三級考試 測量製圖（負載測試）"


def _account(email: str, name: str, role: str, office=None) -> User:
    user = User.objects.filter(email=email).first() or User.objects.create_user(email=email, password=None, name=name)
    role_grant(user=user, role=role, office=office)
    if role != Role.CANDIDATE and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        # The staff gate lets through only accounts with TOTP enrolled; nobody types these codes.
        TOTP.activate(user, generate_totp_secret())
    return user


def _session_key(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _current_cycle_in_submissions(cycle) -> None:
    from placement.services.cycles import exam_cycle_set_deadlines

    now = clock.now()
    exam_cycle_set_deadlines(cycle=cycle, confirm_reopen=True, reason="Load test: every phase's pages at once.",
                             deadlines={"office_profiles_until": now - timedelta(days=30),
                                        "submissions_until": now + timedelta(days=7),
                                        "focus_groups_until": now + timedelta(days=14),
                                        "preferences_until": now + timedelta(days=21)})


def _candidate_accounts(cycle) -> list[dict]:
    rows = []
    for candidate in cycle.candidates.select_related("user").order_by("exam_rank"):
        if candidate.user is None:
            candidate.user = _account(candidate.email, candidate.name, Role.CANDIDATE)
            candidate.save(update_fields=["user"])
        chosen = list(candidate.preference_list.entries.values_list("office_id", flat=True)) if hasattr(
            candidate, "preference_list") else []
        rows.append({"session": _session_key(candidate.user), "candidate": candidate.pk, "preferences": chosen})
    return rows


def _load_group(cycle, n_members: int) -> dict:
    from focusgroups.services.groups import focus_group_create, member_add, roster_fix, scoring_open
    from placement.demo import DEMO_OFFICE_CODE
    from placement.models import LandOffice, PreferenceEntry
    from portfolios.selectors import consenting_candidate_ids

    busiest = (PreferenceEntry.objects.filter(preference_list__candidate__cycle=cycle)
               .exclude(office__code=DEMO_OFFICE_CODE).values("office_id").annotate(n=Count("id"))
               .order_by("-n", "office_id").first())
    office = LandOffice.objects.get(pk=busiest["office_id"])
    leader = _account(f"load-leader@{office.code.lower()}.example", "負載測試 組長", Role.FOCUS_GROUP_LEADER, office)
    members = [_account(f"load-member{i:03d}@{office.code.lower()}.example", f"負載測試 委員{i}",
                        Role.FOCUS_GROUP_MEMBER, office) for i in range(n_members)]
    group = focus_group_create(office=office, cycle=cycle, leader=leader)
    for member in members:
        member_add(group=group, email=member.email, acting_user=leader)
    roster = sorted(cycle.candidates.filter(pk__in=consenting_candidate_ids([office.pk])).values_list("pk", flat=True))
    roster_fix(group=group, candidate_ids=roster, version=None, acting_user=leader)
    group.refresh_from_db()
    scoring_open(group=group, version=None, acting_user=leader)
    return {"group": group.pk, "office": office.pk, "roster": roster,
            "criteria": list(group.criteria.order_by("position").values_list("pk", flat=True)),
            "sessions": [_session_key(member) for member in members]}


def _published_cycle(current, staff: User):
    """Copy the current cycle's candidates, vacancies and lists into an earlier cycle and publish a run of it."""
    from placement.models import Candidate, ExamCycle, PlacementRun, PreferenceEntry, Vacancy
    from placement.services.cycles import exam_cycle_set_deadlines
    from placement.services.preferences import preference_list_save
    from placement.services.publications import publication_create
    from placement.services.runs import placement_run_execute, placement_run_start

    past = ExamCycle.objects.create(name=PAST_CYCLE_NAME, year=114, is_current=False)
    copies = {}
    for candidate in current.candidates.order_by("exam_rank"):
        copies[candidate.pk] = Candidate.objects.create(
            cycle=past, exam_number=f"2{candidate.exam_number[1:]}", name=candidate.name,
            email=f"past-{candidate.email}", exam_score=candidate.exam_score, exam_rank=candidate.exam_rank,
            residence_county=candidate.residence_county, residence_district=candidate.residence_district,
            residence_latitude=candidate.residence_latitude, residence_longitude=candidate.residence_longitude)
    Vacancy.objects.bulk_create(Vacancy(cycle=past, office_id=vacancy.office_id, seats=vacancy.seats)
                                for vacancy in current.vacancies.all())
    lists = {}
    for entry in PreferenceEntry.objects.filter(preference_list__candidate__cycle=current).order_by(
            "preference_list__candidate_id", "position").values("preference_list__candidate_id", "office_id"):
        lists.setdefault(entry["preference_list__candidate_id"], []).append(entry["office_id"])
    for candidate_id, office_ids in lists.items():
        preference_list_save(candidate=copies[candidate_id], office_ids=office_ids)
    now = clock.now()
    exam_cycle_set_deadlines(cycle=past, deadlines={
        "office_profiles_until": now - timedelta(days=400), "submissions_until": now - timedelta(days=390),
        "focus_groups_until": now - timedelta(days=380), "preferences_until": now - timedelta(days=370)})
    run = placement_run_start(cycle=past, policy=PlacementRun.Policy.EXAM_RANK, exam_weight=Decimal(1), seed=114,
                              acting_user=staff)
    run.refresh_from_db()
    if run.status != PlacementRun.Status.SUCCEEDED:
        placement_run_execute(run_id=run.pk)
    # A second run, so that the run list has more than one row.
    placement_run_execute(run_id=placement_run_start(cycle=past, policy=PlacementRun.Policy.EXAM_RANK,
                                                     exam_weight=Decimal(1), seed=115, acting_user=staff).pk)
    publication_create(run=run, acting_user=staff)
    return past


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    from placement import selectors as placement_selectors
    from placement.models import LandOffice, Vacancy

    quiet = io.StringIO()
    timings = []
    for label, command, options in (("migrate", "migrate", {"interactive": False, "verbosity": 0}),
                                    ("load_demo", "load_demo", {})):
        started = time.perf_counter()
        call_command(command, stdout=quiet, **options)
        timings.append(f"{label} {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    cycle = placement_selectors.current_cycle()
    with transaction.atomic():
        _current_cycle_in_submissions(cycle)
        candidates = _candidate_accounts(cycle)
        group = _load_group(cycle, args.members)
        staff = [_account(f"load-exam{i:03d}@surveyplace.example", f"負載測試 考選部{i}", Role.EXAM_STAFF)
                 for i in range(args.staff)]
        past = _published_cycle(cycle, staff[0])
    with_profiles = list(LandOffice.objects.filter(profile__status="published").values_list("code", flat=True))
    plan = {
        "cycle": cycle.pk, "past_cycle": past.pk, "candidates": candidates, "group": group,
        "staff": [_session_key(user) for user in staff],
        "vacancy_offices": sorted(Vacancy.objects.filter(cycle=cycle, seats__gt=0).values_list("office_id", flat=True)),
        "office_codes": sorted(LandOffice.objects.values_list("code", flat=True)),
        "profile_codes": sorted(with_profiles),
        "counties": sorted(set(LandOffice.objects.values_list("county", flat=True))),
    }
    timings.append(f"accounts, groups, sessions and the published cycle {time.perf_counter() - started:.0f} s")
    Path(args.out).write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    print(f"{len(candidates)} candidates, {len(group['sessions'])} focus-group members scoring {len(group['roster'])} "
          f"candidates, {len(staff)} examination staff signed in ({', '.join(timings)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
