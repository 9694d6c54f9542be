"""Factories for rows; state (roles, invitations) goes through the real services."""
import itertools
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from accounts.models import User
from accounts.roles import OFFICE_ROLES, STAFF_ROLES
from accounts.services import role_grant
from placement.models import Candidate, ExamCycle, LandOffice, Vacancy

TEST_PASSWORD = "correct-horse-battery-staple"
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class LandOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LandOffice

    code = factory.Sequence(lambda n: f"TST-{n:03d}")
    name = factory.Sequence(lambda n: f"測試市第{n}地政事務所")
    name_en = factory.Sequence(lambda n: f"Test Land Office {n}")
    county = "測試市"
    county_en = "Test City"
    district = "中正區"
    address = "測試市中正區測量路1號"
    latitude = Decimal("25.03000")
    longitude = Decimal("121.56000")
    sort_order = factory.Sequence(int)


class ExamCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamCycle

    name = factory.Sequence(lambda n: f"11{n % 10}年 測試考試 {n}")
    year = 115


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    cycle = factory.SubFactory(ExamCycleFactory)
    exam_number = factory.Sequence(lambda n: f"3012{n:04d}")
    name = factory.Sequence(lambda n: f"考生{n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.com")
    exam_score = Decimal("75.50")
    exam_rank = factory.Sequence(lambda n: n + 1)
    residence_county = "臺北市"
    residence_district = "大安區"


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    cycle = factory.SubFactory(ExamCycleFactory)
    office = factory.SubFactory(LandOfficeFactory)
    seats = 2


_user_numbers = itertools.count(1)


def make_user(role: str | None = None, *, office=None, with_totp: bool = True, email: str | None = None,
              superuser: bool = False, name: str = "測試使用者") -> User:
    """Create a signed-up user with a verified email and, optionally, a role (and TOTP for staff)."""
    email = email or f"user{next(_user_numbers)}@example.com"
    user = User.objects.create_user(email=email, password=TEST_PASSWORD, name=name,
                                    is_staff=superuser, is_superuser=superuser)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if role in OFFICE_ROLES and office is None:
        office = LandOfficeFactory()
    if role:
        role_grant(user=user, role=role, office=office)
    if with_totp and (role in STAFF_ROLES or superuser):
        TOTP.activate(user, TEST_TOTP_SECRET)
    return user


def current_totp_code(secret: str = TEST_TOTP_SECRET, offset: int = 0) -> str:
    """Return the TOTP code an authenticator app would show now (offset in 30-second steps)."""
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


# A profile with every fact that publishing asks for; tests pass the facts they want to change.
COMPLETE_OFFICE_FACTS = {
    "field_survey_distance_km": Decimal("12.5"),
    "digitized_area_percent": 70, "graphical_area_percent": 30,
    "flat_land_percent": 60, "mountain_land_percent": 40,
    "field_conditions": "山區外業多，夏季午後雷陣雨。",
    "work_address": "測試市中正區測量路1號",
    "latitude": Decimal("25.03000"), "longitude": Decimal("121.56000"),
    "contact_name": "王課長", "contact_phone": "02-2345-6789", "contact_email": "survey@office.example.gov.tw",
}


def make_office_profile(office=None, *, published: bool = False, instruments=(("total_station", 3),), **facts):
    """Create an office's profile through the services: complete facts, instruments, published if asked."""
    from offices.services import office_instrument_add, office_profile_publish, office_profile_save

    office = office or LandOfficeFactory()
    profile = office_profile_save(office=office, facts={**COMPLETE_OFFICE_FACTS, **facts})
    for kind, count in instruments:
        office_instrument_add(profile=profile, kind=kind, count=count)
    if published:
        office_profile_publish(profile=profile)
    return profile
