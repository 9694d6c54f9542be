"""Demo data: land offices, one exam cycle with synthetic candidates and vacancies, and a user per role.

Everything is seeded and matched by natural keys, so loading twice changes nothing.
"""
import base64
import hashlib
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from accounts.models import User
from accounts.roles import STAFF_ROLES, Role
from accounts.services import role_grant
from core import clock

from .geo import haversine_km
from .models import Candidate, ExamCycle, LandOffice, PreferenceEntry, PreferenceList, SuitabilityScore, Vacancy
from .services.cycles import exam_cycle_set_deadlines
from .services.offices import land_offices_load
from .services.preferences import preference_list_save

DEMO_CYCLE_NAME = "115年公務人員高等考試三級考試 測量製圖"
# Public by design: the README gives it so anyone can try the demo accounts (bandit B105).
DEMO_PASSWORD = "SurveyPlace-demo-2026"  # nosec B105
DEMO_OFFICE_CODE = "TPE-DAAN"
DEMO_CANDIDATE_COUNT = 150
DEMO_VACANCY_OFFICES = 40
DEMO_SEED = 115

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余盧梁趙顏柯翁魏孫戴"
GIVEN = "志明家豪怡君淑芬雅婷建宏俊傑美玲冠宇宗翰佩珊詩涵承恩子軒宜蓁品妤柏翰思妤彥廷欣怡育誠書豪雅雯"


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    name: str
    office_code: str | None = None
    superuser: bool = False


DEMO_ACCOUNTS = [
    DemoAccount(Role.EXAM_STAFF, "exam@surveyplace.example", "考選部 陳分發", superuser=True),
    DemoAccount(Role.OFFICE_STAFF, "office@surveyplace.example", "大安所 林承辦", DEMO_OFFICE_CODE),
    DemoAccount(Role.FOCUS_GROUP_LEADER, "leader@surveyplace.example", "大安所 黃課長", DEMO_OFFICE_CODE),
    DemoAccount(Role.FOCUS_GROUP_MEMBER, "member@surveyplace.example", "大安所 張測量員", DEMO_OFFICE_CODE),
    DemoAccount(Role.CANDIDATE, "candidate@surveyplace.example", "王小明"),
]
DEMO_CANDIDATE_RANK = 7  # The demo candidate account is linked to this exam rank.


def demo_totp_secret(email: str) -> str:
    """Return the fixed TOTP secret of a demo staff account, so the demo can print it."""
    digest = hashlib.sha256(f"surveyplace-demo-totp:{email}".encode()).digest()[:20]
    return base64.b32encode(digest).decode("ascii")


def _synthetic_name(rng: random.Random) -> str:
    given = "".join(rng.sample(GIVEN, 2))
    return rng.choice(SURNAMES) + given


def _load_cycle(rng: random.Random) -> ExamCycle:
    cycle, _created = ExamCycle.objects.get_or_create(
        name=DEMO_CYCLE_NAME,
        defaults={"year": 115, "is_current": not ExamCycle.objects.filter(is_current=True).exists()},
    )
    offices = list(LandOffice.objects.order_by("sort_order"))
    if not cycle.candidates.exists():
        exam_numbers = rng.sample(range(1, 10_000), DEMO_CANDIDATE_COUNT)
        score = Decimal("82.40")
        candidates = []
        for rank in range(1, DEMO_CANDIDATE_COUNT + 1):
            home = rng.choice(offices)
            email = (
                DEMO_ACCOUNTS[-1].email if rank == DEMO_CANDIDATE_RANK else f"candidate{rank:03d}@surveyplace.example"
            )
            candidates.append(Candidate(
                cycle=cycle, exam_number=f"3012{exam_numbers[rank - 1]:04d}",
                name=DEMO_ACCOUNTS[-1].name if rank == DEMO_CANDIDATE_RANK else _synthetic_name(rng),
                email=email, exam_score=score, exam_rank=rank,
                residence_county=home.county, residence_district=home.district,
                residence_latitude=home.latitude + Decimal(rng.randint(-200, 200)) / 10_000,
                residence_longitude=home.longitude + Decimal(rng.randint(-200, 200)) / 10_000,
            ))
            score -= Decimal(rng.randint(1, 12)) / 100
        Candidate.objects.bulk_create(candidates)
    if not cycle.vacancies.exists():
        chosen = {office.code: office for office in rng.sample(offices, DEMO_VACANCY_OFFICES - 1)}
        chosen.setdefault(DEMO_OFFICE_CODE, LandOffice.objects.get(code=DEMO_OFFICE_CODE))
        Vacancy.objects.bulk_create(
            Vacancy(cycle=cycle, office=office, seats=rng.choices([1, 2, 3, 4, 5], weights=[40, 30, 15, 10, 5])[0])
            for office in list(chosen.values())[:DEMO_VACANCY_OFFICES]
        )
    return cycle


def _load_account(spec: DemoAccount, cycle: ExamCycle) -> User:
    user = User.objects.filter(email=spec.email).first()
    if user is None:
        user = User.objects.create_user(
            email=spec.email, password=DEMO_PASSWORD, name=spec.name,
            is_staff=spec.superuser, is_superuser=spec.superuser,
        )
    EmailAddress.objects.get_or_create(user=user, email=spec.email, defaults={"verified": True, "primary": True})
    office = LandOffice.objects.get(code=spec.office_code) if spec.office_code else None
    role_grant(user=user, role=spec.role, office=office)
    if spec.role == Role.CANDIDATE:
        Candidate.objects.filter(cycle=cycle, email=spec.email, user__isnull=True).update(user=user)
    if spec.role in STAFF_ROLES and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, demo_totp_secret(spec.email))
        RecoveryCodes.activate(user)
    return user


def _load_timeline(cycle: ExamCycle) -> None:
    """Put a cycle without deadlines in its preference phase, with two weeks left to rank offices."""
    if any(deadline for _phase, deadline in cycle.deadlines()):
        return
    now = clock.now()
    exam_cycle_set_deadlines(cycle=cycle, deadlines={
        "office_profiles_until": now - timedelta(days=30), "submissions_until": now - timedelta(days=20),
        "focus_groups_until": now - timedelta(days=10), "preferences_until": now + timedelta(days=14),
    })


def _load_preferences(rng: random.Random, cycle: ExamCycle) -> None:
    """Give every synthetic candidate a list of 3 to 8 offices, mostly near home; the demo account starts empty."""
    if PreferenceList.objects.filter(candidate__cycle=cycle).exists():
        return
    offices = [vacancy.office for vacancy in cycle.vacancies.filter(seats__gt=0).select_related("office")]
    for candidate in cycle.candidates.exclude(exam_rank=DEMO_CANDIDATE_RANK).order_by("exam_rank"):
        def distance(office, home=candidate):
            # Noise keeps neighbours from ranking in exactly the same order.
            return haversine_km(float(home.residence_latitude), float(home.residence_longitude),
                                float(office.latitude), float(office.longitude)) * rng.uniform(0.6, 1.6)

        ranked = sorted(offices, key=distance)[: rng.randint(3, 8)]
        preference_list_save(candidate=candidate, office_ids=[office.pk for office in ranked])


DEMO_SCORED_OFFICES = 12


def _load_suitability(rng: random.Random, cycle: ExamCycle) -> None:
    """Give a dozen offices (the demo office among them) suitability scores for the candidates who ranked them.

    They stand for offices whose focus groups evaluated elsewhere and sent a file, so the blended policy has
    something to blend and differs visibly from exam-rank placement in the demo.
    """
    if SuitabilityScore.objects.filter(candidate__cycle=cycle).exists():
        return
    office_ids = sorted(cycle.vacancies.filter(seats__gt=0).values_list("office_id", flat=True))
    demo_office_id = LandOffice.objects.get(code=DEMO_OFFICE_CODE).pk
    scored = {demo_office_id, *rng.sample(office_ids, min(DEMO_SCORED_OFFICES - 1, len(office_ids)))}
    applicants = PreferenceEntry.objects.filter(
        preference_list__candidate__cycle=cycle, office_id__in=scored
    ).order_by("office_id", "preference_list__candidate__exam_rank").values_list(
        "office_id", "preference_list__candidate_id")
    SuitabilityScore.objects.bulk_create(
        SuitabilityScore(office_id=office_id, candidate_id=candidate_id,
                         score=Decimal(rng.randint(550, 980)) / 10, source=SuitabilityScore.Source.IMPORT)
        for office_id, candidate_id in applicants
    )


def demo_load() -> ExamCycle:
    """Load every piece of demo data; running it again changes nothing."""
    # The demo is the same on every machine: a seeded standard generator, not a secret (bandit B311).
    rng = random.Random(DEMO_SEED)  # nosec B311
    with transaction.atomic():
        land_offices_load()
        cycle = _load_cycle(rng)
        for spec in DEMO_ACCOUNTS:
            _load_account(spec, cycle)
        _load_timeline(cycle)
        _load_preferences(random.Random(DEMO_SEED + 1), cycle)  # nosec B311
        _load_suitability(random.Random(DEMO_SEED + 2), cycle)  # nosec B311
    return cycle
