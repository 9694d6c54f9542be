"""The profile rules, checked without a database: shares add up to 100, ranges, years, facts for publishing."""
from datetime import date
from decimal import Decimal

from offices import rules

COMPLETE = {
    "field_survey_distance_km": Decimal("8"),
    "digitized_area_percent": 80, "graphical_area_percent": 20,
    "flat_land_percent": 50, "mountain_land_percent": 50,
    "work_address": "臺北市大安區", "latitude": Decimal("25.02"), "longitude": Decimal("121.54"),
    "contact_name": "林先生", "contact_phone": "02-1234-5678", "contact_email": "a@example.gov.tw",
}


def test_a_complete_profile_breaks_no_rule_and_may_be_published():
    assert rules.profile_fact_errors(COMPLETE) == {}
    assert rules.publishing_errors(COMPLETE, instrument_count=1) == {}


def test_a_draft_may_leave_every_fact_empty():
    assert rules.profile_fact_errors({}) == {}


def test_shares_that_do_not_add_up_to_100_are_marked_on_the_second_share():
    errors = rules.profile_fact_errors({**COMPLETE, "digitized_area_percent": 70, "graphical_area_percent": 20})
    assert errors == {"graphical_area_percent": [rules.MESSAGE_SHARES]}


def test_a_percentage_outside_0_to_100_is_marked_on_its_field_alone():
    errors = rules.profile_fact_errors({**COMPLETE, "flat_land_percent": 120, "mountain_land_percent": -20})
    assert errors == {"flat_land_percent": [rules.MESSAGE_PERCENT], "mountain_land_percent": [rules.MESSAGE_PERCENT]}


def test_one_share_without_the_other_is_refused():
    errors = rules.profile_fact_errors({"digitized_area_percent": 100})
    assert errors == {"graphical_area_percent": [rules.MESSAGE_SHARE_MISSING]}


def test_a_negative_distance_is_refused_and_zero_is_fine():
    assert rules.profile_fact_errors({"field_survey_distance_km": Decimal("-0.1")}) == {
        "field_survey_distance_km": [rules.MESSAGE_NEGATIVE]
    }
    assert rules.profile_fact_errors({"field_survey_distance_km": Decimal("0")}) == {}


def test_a_position_outside_taiwan_or_half_given_is_refused():
    assert rules.profile_fact_errors({"latitude": Decimal("35.6"), "longitude": Decimal("139.7")}) == {
        "latitude": [rules.MESSAGE_LATITUDE], "longitude": [rules.MESSAGE_LONGITUDE]
    }
    # Kinmen sits at the western edge of the box, and is in it.
    assert rules.profile_fact_errors({"latitude": Decimal("24.43"), "longitude": Decimal("118.32")}) == {}
    assert rules.profile_fact_errors({"latitude": Decimal("24.43")}) == {"longitude": [rules.MESSAGE_POSITION_PAIR]}


def test_publishing_names_every_missing_fact_and_the_missing_instruments():
    errors = rules.publishing_errors({"field_conditions": "平地為主"}, instrument_count=0)
    assert set(errors) == {*rules.REQUIRED_FOR_PUBLISHING, rules.INSTRUMENTS_FIELD}
    assert errors["work_address"] == [rules.MESSAGE_REQUIRED]
    assert errors[rules.INSTRUMENTS_FIELD] == [rules.MESSAGE_INSTRUMENT_REQUIRED]


def test_publishing_counts_blank_text_as_missing():
    errors = rules.publishing_errors({**COMPLETE, "contact_name": "   "}, instrument_count=2)
    assert errors == {"contact_name": [rules.MESSAGE_REQUIRED]}


def test_a_resurvey_year_in_the_future_or_before_1970_is_refused():
    today = date(2026, 12, 3)
    check = rules.resurvey_project_errors
    assert check(year=2026, area_hectares=Decimal("10"), parcel_count=0, today=today) == {}
    assert check(year=2027, area_hectares=Decimal("10"), parcel_count=5, today=today) == {
        "year": [rules.MESSAGE_YEAR_FUTURE]
    }
    assert check(year=1969, area_hectares=Decimal("10"), parcel_count=5, today=today) == {
        "year": [rules.MESSAGE_YEAR_EARLY]
    }


def test_a_resurvey_area_must_be_positive_and_parcels_not_negative():
    errors = rules.resurvey_project_errors(year=2020, area_hectares=Decimal("0"), parcel_count=-1,
                                           today=date(2026, 1, 1))
    assert errors == {"area_hectares": [rules.MESSAGE_AREA], "parcel_count": [rules.MESSAGE_NEGATIVE]}


def test_an_instrument_row_counts_at_least_one():
    assert rules.instrument_errors(count=0) == {"count": [rules.MESSAGE_COUNT]}
    assert rules.instrument_errors(count=1) == {}


def test_repeated_instrument_kinds_are_found():
    assert rules.duplicate_kinds(["uav", "level", "uav", "level", "other"]) == {"uav", "level"}


def test_the_rules_import_nothing_from_django():
    source = open(rules.__file__, encoding="utf-8").read()
    assert "django" not in source
