"""Reads of office discovery and comparison: offices with their seats, distance and published facts.

Every read fixes its query shape, so the discovery and comparison pages cost the same number of queries however many
offices, re-survey projects and instruments there are. Only published profiles give facts: a draft's values never
reach a filter, a sort, a map position or a comparison.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import cos, radians

from django.db.models import BooleanField, Case, Exists, F, FloatField, OuterRef, QuerySet, Value, When
from django.db.models.functions import ASin, Cast, Coalesce, Cos, Power, Radians, Sin, Sqrt

from core import clock
from placement import selectors as placement_selectors
from placement.geo import EARTH_RADIUS_KM
from placement.models import Candidate, ExamCycle, LandOffice
from placement.services.preferences import preference_list_editable

from . import taiwan_map
from .models import InstrumentKind, OfficeInstrument, OfficeProfile, ProfileStatus, ResurveyProject
from .selectors import published_profiles

MAX_COMPARED = 4

PUBLISHED_PROFILE = {"profile__status": ProfileStatus.PUBLISHED}


def _published_or_registered(field: str):
    # A published profile's map position is where the office says its staff work; the registry's position is
    # the fallback for offices without one.
    return Coalesce(
        Case(When(**PUBLISHED_PROFILE, then=Cast(F(f"profile__{field}"), FloatField()))),
        Cast(F(field), FloatField()),
    )


def great_circle_km(origin: tuple[float, float], latitude, longitude):
    """Return a database expression of the haversine distance in km from origin to the (latitude, longitude) columns.

    It is the formula of `placement.geo.haversine_km`, computed by the database so that filtering, sorting and
    paging by distance stay in one query.
    """
    origin_lat, origin_lon = (float(value) for value in origin)
    half_d_lat = (Radians(latitude) - Value(radians(origin_lat))) / Value(2.0)
    half_d_lon = (Radians(longitude) - Value(radians(origin_lon))) / Value(2.0)
    a = Power(Sin(half_d_lat), 2) + Value(cos(radians(origin_lat))) * Cos(Radians(latitude)) * Power(Sin(half_d_lon), 2)
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(a))


def discovery_offices(*, cycle: ExamCycle | None, origin: tuple[float, float] | None) -> QuerySet[LandOffice]:
    """Return every land office with its seats in the cycle, its map position and, given an origin, its distance."""
    offices = placement_selectors.office_list(cycle=cycle).annotate(
        published=Case(When(**PUBLISHED_PROFILE, then=Value(True)), default=Value(False), output_field=BooleanField()),
        map_latitude=_published_or_registered("latitude"),
        map_longitude=_published_or_registered("longitude"),
    )
    if origin is None:
        return offices
    return offices.annotate(distance_km=great_circle_km(origin, F("map_latitude"), F("map_longitude")))


def with_published_facts(offices: QuerySet[LandOffice], **lookups) -> QuerySet[LandOffice]:
    """Keep the offices whose published profile matches the lookups (on OfficeProfile's fields)."""
    return offices.filter(**PUBLISHED_PROFILE, **{f"profile__{name}": value for name, value in lookups.items()})


def with_instrument(offices: QuerySet[LandOffice], kind: str) -> QuerySet[LandOffice]:
    """Keep the offices whose published profile lists at least one instrument of this kind."""
    return offices.filter(Exists(OfficeInstrument.objects.filter(
        profile__office=OuterRef("pk"), profile__status=ProfileStatus.PUBLISHED, kind=kind,
    )))


def first_year_of_last(years: int) -> int:
    """Return the first calendar year of the last `years` years, this one included."""
    return clock.now().year - years + 1


def with_resurvey_since(offices: QuerySet[LandOffice], year: int) -> QuerySet[LandOffice]:
    """Keep the offices whose published profile has a re-survey project in this year or later."""
    return offices.filter(Exists(ResurveyProject.objects.filter(
        profile__office=OuterRef("pk"), profile__status=ProfileStatus.PUBLISHED, year__gte=year,
    )))


def attach_published_profiles(offices: list[LandOffice], *, listed: dict[int, int]) -> list[LandOffice]:
    """Set `published_profile` (None without one) and `list_position` (on the candidate's list) on each office.

    Three queries for any number of offices.
    """
    by_office = {profile.office_id: profile
                 for profile in published_profiles().filter(office__in=[office.pk for office in offices])}
    for office in offices:
        office.published_profile = by_office.get(office.pk)
        office.list_position = listed.get(office.pk)
    return offices


@dataclass(frozen=True)
class MapDot:
    office: dict  # code, name, name_en, seats, published
    x: float
    y: float


@dataclass(frozen=True)
class OfficeMap:
    shapes: tuple
    frames: tuple
    dots: list[MapDot]
    outside: int  # Offices whose position lies outside every frame of the map.
    width: int = taiwan_map.VIEW_WIDTH
    height: int = taiwan_map.VIEW_HEIGHT


def office_map(offices: QuerySet[LandOffice]) -> OfficeMap:
    """Return the map of these offices, in one query whatever their number."""
    rows = {row["code"]: row for row in offices.values("code", "name", "name_en", "seats", "published",
                                                      "map_latitude", "map_longitude")}
    dots, outside = taiwan_map.place_dots(
        (code, row["map_latitude"], row["map_longitude"]) for code, row in rows.items()
    )
    return OfficeMap(shapes=taiwan_map.outline(), frames=tuple(f for f in taiwan_map.FRAMES if f.inset),
                     dots=[MapDot(office=rows[dot.key], x=dot.x, y=dot.y) for dot in dots], outside=len(outside))


@dataclass(frozen=True)
class CandidateView:
    """What discovery needs to know about the signed-in candidate: their residence and their list."""

    candidate: Candidate | None
    origin: tuple[float, float] | None
    may_add: bool  # The list can still change.
    listed: dict[int, int]  # Office id → position on their list.


def candidate_view(user) -> CandidateView:
    """Return the user's current candidacy, residence and preference list (nothing for other users)."""
    candidate = placement_selectors.current_candidacy(user)
    if candidate is None:
        return CandidateView(candidate=None, origin=None, may_add=False, listed={})
    origin = None
    if candidate.residence_latitude is not None and candidate.residence_longitude is not None:
        origin = (float(candidate.residence_latitude), float(candidate.residence_longitude))
    listed = {office_id: position for position, office_id in
              enumerate(placement_selectors.preference_office_ids(candidate=candidate), start=1)}
    return CandidateView(candidate=candidate, origin=origin, may_add=preference_list_editable(candidate.cycle),
                         listed=listed)


# Comparison ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactRow:
    key: str  # Names the fact for the template, which words it.
    values: list  # One per office, in the order of the columns; None where an office has no such fact.
    detail: str = ""  # The instrument kind, for the instrument rows.


def compared_offices(*, cycle: ExamCycle | None, me: CandidateView, codes: list[str]) -> list[LandOffice]:
    """Return the offices with these codes, in the order given, each with its published profile (or None)."""
    by_code = {office.code: office
               for office in discovery_offices(cycle=cycle, origin=me.origin).filter(code__in=codes)}
    return attach_published_profiles([by_code[code] for code in codes if code in by_code], listed=me.listed)


TEXT_FACTS = ("field_conditions", "communication_expectations", "required_abilities", "culture_and_customs")


def comparison_rows(offices: list[LandOffice], *, language_code: str, with_distance: bool) -> list[FactRow]:
    """Return the facts of the offices row by row; every row but the registry's comes from a published profile."""
    profiles: list[OfficeProfile | None] = [office.published_profile for office in offices]
    english = language_code.startswith("en")

    def fact(read):
        return [read(profile) if profile is not None else None for profile in profiles]

    rows = [
        FactRow("county", [office.county_en if english else office.county for office in offices]),
        FactRow("seats", [office.seats for office in offices]),
    ]
    if with_distance:
        rows.append(FactRow("distance", [office.distance_km for office in offices]))
    rows += [
        FactRow("field_survey_distance", fact(lambda p: p.field_survey_distance_km)),
        FactRow("cadastral_shares", fact(lambda p: (p.digitized_area_percent, p.graphical_area_percent))),
        FactRow("land_shares", fact(lambda p: (p.flat_land_percent, p.mountain_land_percent))),
        FactRow("resurvey", fact(lambda p: list(p.resurvey_projects.all()))),
    ]
    counts = [{row.kind: row.count for row in profile.instruments.all()} if profile else None for profile in profiles]
    for kind, label in InstrumentKind.choices:
        if any(kind in by_kind for by_kind in counts if by_kind):
            rows.append(FactRow("instrument", [by_kind.get(kind, 0) if by_kind is not None else None
                                               for by_kind in counts], detail=label))
    # The English version for English readers when the office wrote one, otherwise the zh-Hant text.
    rows += [FactRow(name, fact(lambda p, name=name: (english and getattr(p, f"{name}_en")) or getattr(p, name)))
             for name in TEXT_FACTS]
    return rows
