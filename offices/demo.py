"""Demo profiles: the offices with vacancies in the demo cycle publish what their work is like."""
import random
from decimal import Decimal

from django.db import transaction

from placement import selectors as placement_selectors

from .selectors import profile_for_office
from .services import office_instrument_add, office_profile_publish, office_profile_save, resurvey_project_add

DEMO_SEED = 2026
CONDITIONS = [
    ("市區巷弄狹窄，界址多為建物牆角，外業以全測站為主。",
     "Narrow urban lanes; most boundary points are building corners."),
    ("山坡地多，夏季午後雷陣雨，外業需注意邊坡與毒蛇。",
     "Many hillside parcels; summer afternoon storms; mind slopes and snakes."),
    ("農地平坦開闊，GNSS 收訊良好，常配合重測作業。",
     "Flat open farmland with good GNSS reception; frequent re-survey work."),
    ("沿海風大，鹽分高，儀器需每日清潔。", "Windy coast with salt in the air; instruments are cleaned daily."),
]
ABILITIES = ("熟悉數值法地籍測量與導線計算，能獨立操作全測站。",
             "Numerical cadastral survey and traverse computation; operates a total station alone.")
COMMUNICATION = ("常需與地主、鄰地所有權人現場溝通，說明界址並協調指界。",
                 "Explaining boundaries to owners and neighbours on site and coordinating their pointing-out.")
CULTURE = ("同仁互相支援外業，重視安全與準時。",
           "Colleagues back each other up in the field; safety and punctuality count.")
INSTRUMENT_KINDS = ["total_station", "gnss_rtk", "theodolite", "level", "uav", "scanner_3d"]


def _facts(office, rng: random.Random) -> dict:
    digitized = rng.choice([40, 55, 70, 85, 100])
    flat = rng.choice([20, 45, 60, 80, 95])
    conditions, conditions_en = rng.choice(CONDITIONS)
    return {
        "field_survey_distance_km": Decimal(rng.randint(30, 400)) / 10,
        "digitized_area_percent": digitized, "graphical_area_percent": 100 - digitized,
        "flat_land_percent": flat, "mountain_land_percent": 100 - flat,
        "field_conditions": conditions, "field_conditions_en": conditions_en,
        "required_abilities": ABILITIES[0], "required_abilities_en": ABILITIES[1],
        "communication_expectations": COMMUNICATION[0], "communication_expectations_en": COMMUNICATION[1],
        "culture_and_customs": CULTURE[0], "culture_and_customs_en": CULTURE[1],
        "work_address": office.address or office.name,
        "latitude": office.latitude, "longitude": office.longitude,
        "contact_name": "測量課", "contact_phone": "02-0000-0000",
        "contact_email": f"survey-{office.code.lower()}@demo.surveyplace.local",
    }


def demo_load() -> int:
    """Publish a profile for every office with vacancies in the current cycle that has none; return how many."""
    cycle = placement_selectors.current_cycle()
    if cycle is None:
        return 0
    created = 0
    with transaction.atomic():
        for office in placement_selectors.result_offices(cycle=cycle):
            if profile_for_office(office) is not None:
                continue
            # A seeded demo, the same on every machine, not a secret (bandit B311).
            rng = random.Random(f"{DEMO_SEED}:{office.code}")  # nosec B311
            profile = office_profile_save(office=office, facts=_facts(office, rng))
            for kind in rng.sample(INSTRUMENT_KINDS, k=rng.randint(2, 4)):
                office_instrument_add(profile=profile, kind=kind, count=rng.randint(1, 6))
            for year in sorted(rng.sample(range(2019, 2026), k=rng.randint(0, 3))):
                resurvey_project_add(profile=profile, year=year, area_hectares=Decimal(rng.randint(50, 900)),
                                     parcel_count=rng.randint(300, 6000))
            office_profile_publish(profile=profile)
            created += 1
    return created
