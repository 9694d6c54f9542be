"""Office discovery: filters, distance, the map, comparison, and adding an office to a preference list."""
import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from core import clock
from offices.services import office_profile_save, resurvey_project_add
from placement.geo import haversine_km
from placement.models import PreferenceEntry
from placement.services.preferences import preference_list_save
from tests.factories import CandidateFactory, LandOfficeFactory, VacancyFactory, make_office_profile, make_user
from tests.offices.test_discovery_geo import (
    HSINCHU_STATION,
    KAOHSIUNG_85_SKY_TOWER,
    TAIPEI_101,
    TAIPEI_MAIN_STATION,
)

pytestmark = pytest.mark.django_db
DISCOVERY = reverse("offices:discovery")
COMPARE = reverse("offices:compare")


def _office_at(place, *, county="臺北市", seats=2, cycle=None, **kwargs):
    latitude, longitude = (Decimal(str(value)) for value in place)
    office = LandOfficeFactory(county=county, latitude=latitude, longitude=longitude, **kwargs)
    if cycle is not None and seats:
        VacancyFactory(cycle=cycle, office=office, seats=seats)
    return office


def _publish(office, *, resurvey_years=(), **facts):
    """Publish a complete profile at the office's own position, with the given facts and re-survey years."""
    profile = make_office_profile(office, published=True, latitude=office.latitude, longitude=office.longitude,
                                  **facts)
    for year in resurvey_years:
        resurvey_project_add(profile=profile, year=year, area_hectares=Decimal("120.5"), parcel_count=800)
    return profile


def _in_english(client):
    client.cookies["django_language"] = "en"


def _codes(response) -> list[str]:
    return [office.code for office in response.context["page"].object_list]


@pytest.fixture
def candidate_client(client, cycle):
    """A signed-in candidate of the current cycle who lives by Taipei Main Station."""
    user = make_user(Role.CANDIDATE)
    latitude, longitude = (Decimal(str(value)) for value in TAIPEI_MAIN_STATION)
    client.candidate = CandidateFactory(cycle=cycle, user=user, residence_latitude=latitude,
                                        residence_longitude=longitude)
    client.force_login(user)
    return client


@pytest.fixture
def offices(cycle):
    """Three published offices with different facts, one office without seats, and a draft that matches all."""
    this_year = clock.now().year
    taipei = _office_at(TAIPEI_101, cycle=cycle, seats=1, code="TPE-XINYI", name="臺北市信義地政事務所",
                        name_en="Xinyi Land Office")
    _publish(taipei, flat_land_percent=90, mountain_land_percent=10, digitized_area_percent=95,
             graphical_area_percent=5, instruments=(("total_station", 4), ("gnss_rtk", 2)),
             resurvey_years=(this_year - 1,))
    hsinchu = _office_at(HSINCHU_STATION, county="新竹市", cycle=cycle, seats=3, code="HSZ-HSINCHU",
                         name="新竹市新竹地政事務所", name_en="Hsinchu Land Office")
    _publish(hsinchu, flat_land_percent=50, mountain_land_percent=50, digitized_area_percent=60,
             graphical_area_percent=40, instruments=(("total_station", 2), ("uav", 1)),
             resurvey_years=(this_year - 6,))
    kaohsiung = _office_at(KAOHSIUNG_85_SKY_TOWER, county="高雄市", cycle=cycle, seats=0, code="KHH-XINXING",
                           name="高雄市新興地政事務所", name_en="Xinxing Land Office")
    _publish(kaohsiung, flat_land_percent=20, mountain_land_percent=80, digitized_area_percent=30,
             graphical_area_percent=70, instruments=(("theodolite", 1),))
    draft = _office_at(TAIPEI_MAIN_STATION, cycle=cycle, seats=2, code="TPE-DRAFT", name="臺北市草稿地政事務所",
                       name_en="Draft Land Office")
    draft_profile = make_office_profile(draft, published=False, flat_land_percent=55, mountain_land_percent=45,
                                        digitized_area_percent=55, graphical_area_percent=45,
                                        field_conditions="草稿才有的外業說明",
                                        instruments=(("total_station", 9), ("gnss_rtk", 9), ("uav", 9)))
    resurvey_project_add(profile=draft_profile, year=this_year, area_hectares=Decimal("10"), parcel_count=10)
    return {"taipei": taipei, "hsinchu": hsinchu, "kaohsiung": kaohsiung, "draft": draft}


# Filters ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [
    ({}, ["TPE-XINYI", "HSZ-HSINCHU", "KHH-XINXING", "TPE-DRAFT"]),
    ({"county": "新竹市"}, ["HSZ-HSINCHU"]),
    ({"q": "Xinxing"}, ["KHH-XINXING"]),
    ({"with_vacancies": "on"}, ["TPE-XINYI", "HSZ-HSINCHU", "TPE-DRAFT"]),
    ({"flat_land_min": "40", "flat_land_max": "60"}, ["HSZ-HSINCHU"]),
    ({"flat_land_max": "30"}, ["KHH-XINXING"]),
    ({"digitized_min": "60"}, ["TPE-XINYI", "HSZ-HSINCHU"]),
    ({"instrument": ["total_station"]}, ["TPE-XINYI", "HSZ-HSINCHU"]),
    ({"instrument": ["total_station", "uav"]}, ["HSZ-HSINCHU"]),
    ({"resurvey_years": "3"}, ["TPE-XINYI"]),
    ({"resurvey_years": "10"}, ["TPE-XINYI", "HSZ-HSINCHU"]),
    ({"county": "臺北市", "instrument": ["gnss_rtk"]}, ["TPE-XINYI"]),
])
def test_each_filter_narrows_to_the_matching_published_offices(candidate_client, offices, query, expected):
    """Each filter keeps exactly the offices whose published facts match; the draft never matches a fact filter."""
    response = candidate_client.get(DISCOVERY, query)
    assert response.status_code == 200
    assert sorted(_codes(response)) == sorted(expected)


def test_filters_live_in_the_url_so_a_bookmark_repeats_the_search(candidate_client, offices):
    """The form is a GET form that shows the search it made, so the address alone repeats it."""
    response = candidate_client.get(DISCOVERY, {"county": "臺北市", "instrument": "total_station"})
    content = response.content.decode()
    assert '<form method="get" class="filters discovery-filters"' in content
    assert re.search(r'<input[^>]*value="total_station"[^>]*checked', content)
    assert re.search(r'<option value="臺北市" selected>', content)
    assert _codes(response) == ["TPE-XINYI"]


def test_a_percentage_out_of_range_gets_a_field_message_and_filters_nothing(candidate_client, offices):
    """A share above 100 is refused with a message next to its field; the other filters still apply."""
    with translation.override("en"):
        response = candidate_client.get(DISCOVERY, {"digitized_min": "150", "county": "高雄市"},
                                        HTTP_ACCEPT_LANGUAGE="en")
    assert "digitized" in response.context["filter"].form.errors
    assert _codes(response) == ["KHH-XINXING"]


# Distance --------------------------------------------------------------------------------------------------------


def test_distance_filter_and_sort_measure_great_circles_from_the_residence(candidate_client, offices):
    """From Taipei Main Station: Taipei 101 is 5 km away, Hsinchu 61 km, Kaohsiung 298 km."""
    response = candidate_client.get(DISCOVERY, {"sort": "distance"})
    rows = response.context["page"].object_list
    assert [office.code for office in rows] == ["TPE-DRAFT", "TPE-XINYI", "HSZ-HSINCHU", "KHH-XINXING"]
    for office in rows:
        expected = haversine_km(*TAIPEI_MAIN_STATION, float(office.latitude), float(office.longitude))
        assert office.distance_km == pytest.approx(expected, rel=1e-6)
    assert [round(office.distance_km) for office in rows[1:]] == [5, 61, 298]
    assert _codes(candidate_client.get(DISCOVERY, {"distance": "100", "sort": "distance"})) == [
        "TPE-DRAFT", "TPE-XINYI", "HSZ-HSINCHU"]
    assert _codes(candidate_client.get(DISCOVERY, {"distance": "3"})) == ["TPE-DRAFT"]


def test_distance_counts_from_the_published_map_position_not_a_drafts(candidate_client, offices):
    """A published profile's map position moves the office; a draft's position does not."""
    office_profile_save(office=offices["draft"], facts={"latitude": Decimal("22.61170"),
                                                        "longitude": Decimal("120.30000")})
    response = candidate_client.get(DISCOVERY, {"distance": "3"})
    assert _codes(response) == ["TPE-DRAFT"]


def test_without_a_residence_the_distance_filter_says_how_to_enable_it(client, offices):
    """Examination staff have no residence: distance is neither shown nor filtered, and the help text says why."""
    client.force_login(make_user(Role.EXAM_STAFF))
    _in_english(client)
    response = client.get(DISCOVERY, {"distance": "3", "sort": "distance"})
    assert len(_codes(response)) == 4
    assert "Record where you live on your preference page" in response.content.decode()


def test_sort_by_vacancies_and_by_name(candidate_client, offices):
    """Most seats first; or by name in the page's language."""
    assert _codes(candidate_client.get(DISCOVERY, {"sort": "vacancies"}))[:2] == ["HSZ-HSINCHU", "TPE-DRAFT"]
    names = [office.name for office in candidate_client.get(DISCOVERY, {"sort": "name"}).context["page"].object_list]
    assert names == sorted(names)


# Published facts only --------------------------------------------------------------------------------------------


def test_a_draft_profile_shows_no_fact_in_discovery_or_comparison(candidate_client, offices):
    """The draft office is listed by name and seats, but none of its facts reach the table, map or comparison."""
    response = candidate_client.get(DISCOVERY)
    draft_row = next(office for office in response.context["page"].object_list if office.code == "TPE-DRAFT")
    assert draft_row.published_profile is None
    comparison = candidate_client.get(COMPARE, {"o": ["TPE-DRAFT", "TPE-XINYI"]})
    assert "草稿才有的外業說明" not in comparison.content.decode()
    facts = {row.key: row.values for row in comparison.context["rows"]}
    assert facts["land_shares"] == [None, (90, 10)]
    assert facts["resurvey"][0] is None
    instrument_rows = [row.values for row in comparison.context["rows"] if row.key == "instrument"]
    assert [values[0] for values in instrument_rows] == [None] * len(instrument_rows)


def test_the_map_draws_every_filtered_office_with_a_link(candidate_client, offices):
    """One dot per office that matches the filters, linking to the office, in an inline SVG with a title."""
    response = candidate_client.get(DISCOVERY, {"county": "臺北市"})
    office_map = response.context["office_map"]
    assert sorted(dot.office["code"] for dot in office_map.dots) == ["TPE-DRAFT", "TPE-XINYI"]
    content = response.content.decode()
    assert "<svg" in content and 'id="office-map-title"' in content
    assert f'href="{reverse("offices:public_profile", kwargs={"code": "TPE-XINYI"})}"' in content
    assert f'href="{reverse("placement:office_detail", kwargs={"code": "TPE-DRAFT"})}"' in content


# Comparison ------------------------------------------------------------------------------------------------------


def test_comparison_shows_the_offices_fact_by_fact_in_the_order_chosen(candidate_client, offices):
    """Columns follow the URL's order; each row is one fact, instruments one row per kind."""
    response = candidate_client.get(COMPARE, {"o": ["HSZ-HSINCHU", "TPE-XINYI"]})
    assert [office.code for office in response.context["offices"]] == ["HSZ-HSINCHU", "TPE-XINYI"]
    facts = {(row.key, str(row.detail)): row.values for row in response.context["rows"]}
    assert facts[("seats", "")] == [3, 1]
    assert facts[("land_shares", "")] == [(50, 50), (90, 10)]
    assert facts[("cadastral_shares", "")] == [(60, 40), (95, 5)]
    assert [round(km) for km in facts[("distance", "")]] == [61, 5]
    with translation.override("en"):
        kinds = {str(row.detail): row.values for row in response.context["rows"] if row.key == "instrument"}
    assert kinds == {"Total station": [2, 4], "GNSS/RTK receiver": [0, 2], "UAV (drone)": [1, 0]}


def test_comparing_more_than_four_offices_is_refused_with_a_message(candidate_client, offices, cycle):
    """Five offices: a clear message, and no table."""
    extra = _office_at(TAIPEI_101, cycle=cycle, code="TPE-EXTRA")
    codes = ["TPE-XINYI", "HSZ-HSINCHU", "KHH-XINXING", "TPE-DRAFT", extra.code]
    _in_english(candidate_client)
    response = candidate_client.get(COMPARE, {"o": codes})
    assert response.status_code == 200
    assert response.context["offices"] == [] and response.context["rows"] == []
    assert "You chose 5 offices; compare at most 4 at a time." in response.content.decode()
    assert len(candidate_client.get(COMPARE, {"o": codes[:4]}).context["offices"]) == 4


def test_a_repeated_or_unknown_code_does_not_count_twice(candidate_client, offices):
    """The same office twice is one column; an unknown code is named in a warning."""
    response = candidate_client.get(COMPARE, {"o": ["TPE-XINYI", "TPE-XINYI", "NOPE"]})
    assert [office.code for office in response.context["offices"]] == ["TPE-XINYI"]
    assert response.context["unknown"] == ["NOPE"]


# Adding to the preference list ----------------------------------------------------------------------------------


def _listed_codes(candidate) -> list[str]:
    return list(PreferenceEntry.objects.filter(preference_list__candidate=candidate).order_by("position")
                .values_list("office__code", flat=True))


def test_a_candidate_adds_an_office_at_the_end_of_their_list(candidate_client, offices):
    """The office goes last; the candidate comes back to the page they were on with a message."""
    preference_list_save(candidate=candidate_client.candidate, office_ids=[offices["hsinchu"].pk])
    back = f"{DISCOVERY}?county={quote('臺北市')}"
    url = reverse("offices:preference_add", kwargs={"code": "TPE-XINYI"})
    response = candidate_client.post(url, {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert _listed_codes(candidate_client.candidate) == ["HSZ-HSINCHU", "TPE-XINYI"]
    candidate_client.post(url, {"next": back})
    assert _listed_codes(candidate_client.candidate) == ["HSZ-HSINCHU", "TPE-XINYI"]
    page = candidate_client.get(DISCOVERY)
    listed = {office.code: office.list_position for office in page.context["page"].object_list}
    assert listed["HSZ-HSINCHU"] == 1 and listed["TPE-XINYI"] == 2 and listed["KHH-XINXING"] is None


def test_an_office_without_vacancies_is_refused_with_a_message(candidate_client, offices):
    """Kaohsiung offers no seat: nothing is added, and the candidate reads why."""
    url = reverse("offices:preference_add", kwargs={"code": "KHH-XINXING"})
    _in_english(candidate_client)
    response = candidate_client.post(url, follow=True)
    assert "was not added: Your list may only name offices with vacancies in this cycle." in (
        response.content.decode())
    assert _listed_codes(candidate_client.candidate) == []


def test_adding_is_refused_after_the_preference_deadline(candidate_client, offices, cycle):
    """Once the preference phase has ended the list stays as it was, and the add buttons disappear."""
    now = clock.now()
    cycle.office_profiles_until, cycle.submissions_until = now - timedelta(days=30), now - timedelta(days=20)
    cycle.focus_groups_until, cycle.preferences_until = now - timedelta(days=10), now - timedelta(days=1)
    cycle.save()
    url = reverse("offices:preference_add", kwargs={"code": "TPE-XINYI"})
    _in_english(candidate_client)
    response = candidate_client.post(url, follow=True)
    assert "The preference deadline has passed" in response.content.decode()
    assert _listed_codes(candidate_client.candidate) == []
    assert "offices:preference_add" not in candidate_client.get(DISCOVERY).content.decode()
    assert url not in candidate_client.get(DISCOVERY).content.decode()


def test_adding_touches_only_the_signed_in_candidates_own_list(candidate_client, offices, cycle):
    """Another candidate's list stays as it was; a redirect elsewhere than this site is ignored."""
    other = CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE))
    preference_list_save(candidate=other, office_ids=[offices["hsinchu"].pk])
    url = reverse("offices:preference_add", kwargs={"code": "TPE-XINYI"})
    response = candidate_client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == DISCOVERY
    assert _listed_codes(other) == ["HSZ-HSINCHU"]
    assert _listed_codes(candidate_client.candidate) == ["TPE-XINYI"]


def test_a_candidate_without_a_record_in_the_current_cycle_adds_nothing(client, offices):
    """A candidate account not yet linked to the cycle reads why nothing happened."""
    client.force_login(make_user(Role.CANDIDATE))
    url = reverse("offices:preference_add", kwargs={"code": "TPE-XINYI"})
    _in_english(client)
    response = client.post(url, follow=True)
    assert "no list to add to" in response.content.decode()
    assert not PreferenceEntry.objects.exists()


# Access ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.OFFICE_STAFF, Role.FOCUS_GROUP_LEADER,
                                  Role.FOCUS_GROUP_MEMBER, Role.EXAM_STAFF])
def test_every_signed_in_role_may_discover_and_compare(client, offices, role):
    """Discovery and comparison are open to everyone signed in; only candidates see add buttons."""
    client.force_login(make_user(role, office=offices["hsinchu"] if role != Role.CANDIDATE and role != Role.EXAM_STAFF
                                 else None))
    assert client.get(DISCOVERY).status_code == 200
    assert client.get(COMPARE, {"o": ["TPE-XINYI", "HSZ-HSINCHU"]}).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, offices):
    for url in (DISCOVERY, COMPARE):
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("role", [Role.OFFICE_STAFF, Role.FOCUS_GROUP_LEADER, Role.EXAM_STAFF])
def test_only_candidates_may_add_to_a_preference_list(client, offices, cycle, role):
    """Office and examination staff are refused, even for a candidate's office of their own."""
    CandidateFactory(cycle=cycle)
    client.force_login(make_user(role, office=offices["taipei"] if role != Role.EXAM_STAFF else None))
    response = client.post(reverse("offices:preference_add", kwargs={"code": "TPE-XINYI"}))
    assert response.status_code == 403
    assert not PreferenceEntry.objects.exists()


def test_adding_an_unknown_office_answers_404_and_a_get_is_refused(candidate_client, offices):
    assert candidate_client.post(reverse("offices:preference_add", kwargs={"code": "NOPE"})).status_code == 404
    assert candidate_client.get(reverse("offices:preference_add", kwargs={"code": "TPE-XINYI"})).status_code == 405


def test_the_land_offices_menu_entry_leads_to_discovery(candidate_client, offices):
    response = candidate_client.get(reverse("dashboard"))
    assert f'href="{DISCOVERY}"' in response.content.decode()


# Query counts ----------------------------------------------------------------------------------------------------


def _grow(cycle, count: int):
    this_year = clock.now().year
    for n in range(count):
        office = _office_at(HSINCHU_STATION, cycle=cycle, seats=1 + n % 3)
        _publish(office, instruments=(("total_station", 2), ("gnss_rtk", 1), ("level", 3), ("uav", 1)),
                 resurvey_years=(this_year - 2, this_year - 1))


def test_discovery_keeps_a_constant_number_of_queries(candidate_client, offices, cycle, page_queries):
    """Filtered and sorted by distance, the page costs the same with 4 offices or 30 with more facts each."""
    query = {"distance": "500", "sort": "distance", "instrument": "total_station"}
    few = page_queries(candidate_client, DISCOVERY, query).count
    _grow(cycle, 26)
    many = page_queries(candidate_client, DISCOVERY, query)
    assert len(many.response.context["office_map"].dots) == 28
    assert (few, many.count) == (14, 14)


def test_comparison_keeps_a_constant_number_of_queries(candidate_client, offices, cycle, page_queries):
    """Two offices with few facts cost the same as four with many."""
    few = page_queries(candidate_client, COMPARE, {"o": ["TPE-XINYI", "KHH-XINXING"]}).count
    _grow(cycle, 2)
    codes = ["TPE-XINYI", "HSZ-HSINCHU", *(office.code for office in
                                           type(offices["taipei"]).objects.order_by("-pk")[:2])]
    assert (few, page_queries(candidate_client, COMPARE, {"o": codes}).count) == (11, 11)


def test_the_office_page_offers_candidates_to_add_the_office(candidate_client, offices):
    """The registry's office page has the same button, for an office with seats."""
    page = candidate_client.get(reverse("placement:office_detail", kwargs={"code": "TPE-DRAFT"})).content.decode()
    add_url = reverse("offices:preference_add", kwargs={"code": "TPE-DRAFT"})
    assert f'action="{add_url}"' in page
    no_seats = reverse("placement:office_detail", kwargs={"code": "KHH-XINXING"})
    assert "add-to-preferences" not in candidate_client.get(no_seats).content.decode()
    candidate_client.post(add_url)
    assert _listed_codes(candidate_client.candidate) == ["TPE-DRAFT"]


def test_comparing_only_unknown_codes_names_them(candidate_client, offices):
    response = candidate_client.get(COMPARE, {"o": ["NOPE"]})
    assert response.context["offices"] == [] and response.context["unknown"] == ["NOPE"]
    assert "NOPE" in response.content.decode()
