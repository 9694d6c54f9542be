"""The rules an office profile's facts follow, in plain Python so they are checked the same way everywhere.

Each check returns {field name: [message, ...]} with the messages in English; the forms and services translate
them with gettext when they show them. Nothing here imports Django, so the rules are tested without a database.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

# Taiwan's box, the same one the land-office loader accepts: it holds the main island, Penghu, Kinmen and Matsu.
LATITUDE_RANGE = (Decimal("21"), Decimal("27"))
LONGITUDE_RANGE = (Decimal("118"), Decimal("123"))
PERCENT_RANGE = (0, 100)
# Cadastral re-survey in Taiwan began in the 1970s; an earlier year is a typing mistake.
EARLIEST_RESURVEY_YEAR = 1970

# The pairs of shares that describe one whole, and so must add up to 100.
SHARE_PAIRS = (
    ("digitized_area_percent", "graphical_area_percent"),
    ("flat_land_percent", "mountain_land_percent"),
)



def gettext_noop(message: str) -> str:
    """Return the message as it is; the name lets `makemessages` collect it into the catalogue."""
    return message


MESSAGE_NEGATIVE = gettext_noop("Enter a value of 0 or more.")
MESSAGE_PERCENT = gettext_noop("Enter a percentage from 0 to 100.")
MESSAGE_SHARES = gettext_noop("The two shares must add up to 100%.")
MESSAGE_SHARE_MISSING = gettext_noop("Enter both shares, or neither.")
MESSAGE_LATITUDE = gettext_noop("Enter a latitude inside Taiwan (21 to 27).")
MESSAGE_LONGITUDE = gettext_noop("Enter a longitude inside Taiwan (118 to 123).")
MESSAGE_POSITION_PAIR = gettext_noop("Enter both latitude and longitude, or neither.")
MESSAGE_YEAR_FUTURE = gettext_noop("The year cannot be in the future.")
MESSAGE_YEAR_EARLY = gettext_noop("Enter a year from 1970 on.")
MESSAGE_AREA = gettext_noop("Enter an area greater than 0.")
MESSAGE_COUNT = gettext_noop("Enter a count of 1 or more.")
MESSAGE_REQUIRED = gettext_noop("This is required before the profile can be published.")
MESSAGE_INSTRUMENT_REQUIRED = gettext_noop("List at least one instrument before publishing.")

# The facts a published profile must have: every one is needed to compare offices.
REQUIRED_FOR_PUBLISHING = (
    "field_survey_distance_km",
    "digitized_area_percent",
    "graphical_area_percent",
    "flat_land_percent",
    "mountain_land_percent",
    "work_address",
    "latitude",
    "longitude",
    "contact_name",
    "contact_phone",
    "contact_email",
)
INSTRUMENTS_FIELD = "instruments"

Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def profile_fact_errors(facts: Mapping[str, object]) -> Errors:
    """Return what is wrong with a profile's facts: ranges, shares adding up to 100, a position inside Taiwan.

    Missing facts are allowed here (a draft may be incomplete); `publishing_errors` asks for them.
    """
    errors: Errors = {}
    distance = facts.get("field_survey_distance_km")
    if distance is not None and distance < 0:
        _add(errors, "field_survey_distance_km", MESSAGE_NEGATIVE)
    for pair in SHARE_PAIRS:
        _check_share_pair(errors, facts, pair)
    latitude, longitude = facts.get("latitude"), facts.get("longitude")
    if latitude is not None and not LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]:
        _add(errors, "latitude", MESSAGE_LATITUDE)
    if longitude is not None and not LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]:
        _add(errors, "longitude", MESSAGE_LONGITUDE)
    if (latitude is None) != (longitude is None):
        _add(errors, "longitude" if longitude is None else "latitude", MESSAGE_POSITION_PAIR)
    return errors


def _check_share_pair(errors: Errors, facts: Mapping[str, object], pair: tuple[str, str]) -> None:
    values = [facts.get(field) for field in pair]
    in_range = True
    for field, value in zip(pair, values, strict=True):
        if value is not None and not PERCENT_RANGE[0] <= value <= PERCENT_RANGE[1]:
            _add(errors, field, MESSAGE_PERCENT)
            in_range = False
    if not in_range:
        return
    present = [value for value in values if value is not None]
    if len(present) == 1:
        _add(errors, pair[1] if values[1] is None else pair[0], MESSAGE_SHARE_MISSING)
    elif len(present) == 2 and sum(present) != 100:
        _add(errors, pair[1], MESSAGE_SHARES)


def publishing_errors(facts: Mapping[str, object], *, instrument_count: int) -> Errors:
    """Return what keeps a profile from being published: wrong facts, then each missing required fact."""
    errors = profile_fact_errors(facts)
    for field in REQUIRED_FOR_PUBLISHING:
        if _is_blank(facts.get(field)) and field not in errors:
            _add(errors, field, MESSAGE_REQUIRED)
    if instrument_count < 1:
        _add(errors, INSTRUMENTS_FIELD, MESSAGE_INSTRUMENT_REQUIRED)
    return errors


def resurvey_project_errors(*, year: int | None, area_hectares: Decimal | None, parcel_count: int | None,
                            today: date) -> Errors:
    """Return what is wrong with one re-survey project: a year in the future, no area, a negative parcel count."""
    errors: Errors = {}
    if year is not None:
        if year > today.year:
            _add(errors, "year", MESSAGE_YEAR_FUTURE)
        elif year < EARLIEST_RESURVEY_YEAR:
            _add(errors, "year", MESSAGE_YEAR_EARLY)
    if area_hectares is not None and area_hectares <= 0:
        _add(errors, "area_hectares", MESSAGE_AREA)
    if parcel_count is not None and parcel_count < 0:
        _add(errors, "parcel_count", MESSAGE_NEGATIVE)
    return errors


def instrument_errors(*, count: int | None) -> Errors:
    """Return what is wrong with one instrument row: fewer than one."""
    if count is not None and count < 1:
        return {"count": [MESSAGE_COUNT]}
    return {}


def duplicate_kinds(kinds: Iterable[str]) -> set[str]:
    """Return the instrument kinds listed more than once."""
    seen: set[str] = set()
    repeated: set[str] = set()
    for kind in kinds:
        (repeated if kind in seen else seen).add(kind)
    return repeated
