"""A residence names a real district of its county, on the residence form and in imports (#15, #16)."""
import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

import placement
from accounts.roles import Role
from placement.geo import TAIWAN_COUNTIES, TOWNSHIPS, place_name
from placement.models import Candidate
from placement.services.candidates import candidate_residence_set, residence_problem
from placement.services.common import PlacementError
from placement.services.imports import candidates_import
from placement.tabular import TableError
from tests.factories import CandidateFactory, LandOfficeFactory, make_user

pytestmark = pytest.mark.django_db

# The number of townships, districts and county-administered cities (鄉鎮市區) of each county and city, as the
# Ministry of the Interior counts them since 頭份 and 員林 became cities (2015).
TOWNSHIP_COUNTS = {
    "臺北市": 12, "新北市": 29, "基隆市": 7, "桃園市": 13, "新竹市": 3, "新竹縣": 13, "苗栗縣": 18, "臺中市": 29,
    "彰化縣": 26, "南投縣": 13, "雲林縣": 20, "嘉義市": 2, "嘉義縣": 18, "臺南市": 37, "高雄市": 38, "屏東縣": 33,
    "宜蘭縣": 12, "花蓮縣": 13, "臺東縣": 16, "澎湖縣": 6, "金門縣": 6, "連江縣": 4,
}


# The list itself ---------------------------------------------------------------------------------------------------

def test_the_list_has_taiwans_22_counties_and_368_townships():
    """Every county and city is there with its own number of townships, each named once, in official spelling."""
    assert {county: len(names) for county, names in TOWNSHIPS.items()} == TOWNSHIP_COUNTS
    assert sum(len(names) for names in TOWNSHIPS.values()) == 368
    assert TAIWAN_COUNTIES[:2] == ("臺北市", "新北市") and len(TAIWAN_COUNTIES) == 22
    for county, names in TOWNSHIPS.items():
        assert len(set(names)) == len(names), county
        for name in names:
            assert re.fullmatch(r"\w{1,3}[區鄉鎮市]", name), name
            assert place_name(name) == name, name


def test_well_known_townships_sit_in_their_counties():
    """Spot checks, including the names that share a spelling with another county's district."""
    for county, district in [("臺北市", "大安區"), ("臺中市", "大安區"), ("新竹縣", "竹東鎮"), ("苗栗縣", "頭份市"),
                             ("彰化縣", "員林市"), ("雲林縣", "臺西鄉"), ("屏東縣", "霧臺鄉"), ("屏東縣", "恆春鎮"),
                             ("高雄市", "那瑪夏區"), ("臺南市", "中西區"), ("嘉義市", "東區"), ("金門縣", "烏坵鄉"),
                             ("連江縣", "東引鄉"), ("桃園市", "復興區"), ("臺東縣", "蘭嶼鄉")]:
        assert district in TOWNSHIPS[county], (county, district)
    assert "頭份鎮" not in TOWNSHIPS["苗栗縣"] and "中區" not in TOWNSHIPS["臺南市"]


def test_every_land_office_sits_in_a_real_district_of_its_county():
    """The shipped land offices, which the demo's residences copy, all validate."""
    path = Path(placement.__file__).parent / "data" / "land_offices.csv"
    with path.open(encoding="utf-8") as source:
        offices = list(csv.DictReader(source))
    assert len(offices) > 100
    assert [(o["code"], o["county"], o["district"]) for o in offices
            if residence_problem(o["county"], o["district"])] == []


def test_the_demo_records_real_residences():
    """The demo's candidates live where the form and the import would let them."""
    call_command("load_demo", stdout=io.StringIO())
    residences = set(Candidate.objects.values_list("residence_county", "residence_district"))
    assert len(residences) > 10
    assert [residence for residence in residences if residence_problem(*residence)] == []


def test_the_factories_record_a_real_residence(cycle):
    """Test candidates live in a real district too."""
    candidate = CandidateFactory(cycle=cycle)
    assert residence_problem(candidate.residence_county, candidate.residence_district) is None


# The residence form --------------------------------------------------------------------------------------------

@pytest.fixture
def candidate_client(client, cycle):
    user = make_user(Role.CANDIDATE)
    client.candidate = CandidateFactory(cycle=cycle, user=user)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def _post_residence(client, county, district):
    response = client.post(reverse("placement:residence_edit"), {"county": county, "district": district},
                           follow=True)
    client.candidate.refresh_from_db()
    return response, [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("district", ["不存在區", '=HYPERLINK("//x.tw")', "竹東鎮"])
def test_a_district_outside_the_county_is_refused_and_nothing_changes(candidate_client, district):
    """An unknown district, a formula or another county's district is refused with a message naming the county."""
    response, texts = _post_residence(candidate_client, "臺北市", district)
    assert texts == [f"{district} is not a district, township or city of 臺北市."]
    assert "distances are updated" not in response.content.decode()
    candidate = candidate_client.candidate
    assert (candidate.residence_county, candidate.residence_district) == ("臺北市", "大安區")


def test_a_real_district_is_saved_and_variant_spellings_are_understood(candidate_client):
    """台東縣 台東市 is recorded as 臺東縣 臺東市; no district at all is fine too."""
    _response, texts = _post_residence(candidate_client, "台東縣", "台東市")
    assert texts == ["Your residence is saved; distances are updated."]
    assert (candidate_client.candidate.residence_county, candidate_client.candidate.residence_district) == (
        "臺東縣", "臺東市")
    _response, texts = _post_residence(candidate_client, "新竹縣", "")
    assert texts == ["Your residence is saved; distances are updated."]
    assert candidate_client.candidate.residence_district == ""


def test_the_form_offers_each_countys_districts_without_a_script(candidate_client):
    """The district is a select grouped by county; the recorded district is chosen under its own county only."""
    candidate = candidate_client.candidate
    candidate.residence_county, candidate.residence_district = "臺南市", "東區"
    candidate.save()
    page = candidate_client.get(reverse("placement:preference_edit")).content.decode()
    select = re.search(r'<select name="district".*?</select>', page, re.S).group(0)
    assert select.count("<optgroup") == 22
    assert select.count("<option") == 369  # 368 districts and "—".
    groups = dict(re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S))
    assert '<option value="東區" selected>' in groups["臺南市"]
    assert [county for county, options in groups.items() if "selected" in options] == ["臺南市"]
    assert '<option value="香山區">' in groups["新竹市"]


def test_the_service_refuses_a_district_of_another_county(cycle):
    """Callers other than the form get the same check."""
    candidate = CandidateFactory(cycle=cycle)
    with translation.override("en"), pytest.raises(PlacementError, match="not a district, township or city of 臺北市"):
        candidate_residence_set(candidate=candidate, county="臺北市", district="竹東鎮")
    candidate.refresh_from_db()
    assert candidate.residence_district == "大安區"


# The import's residence columns ---------------------------------------------------------------------------------

def _import(cycle, *residences):
    rows = ["exam_number,name,email,exam_score,exam_rank,residence_county,residence_district"]
    rows += [f"3012000{n},考生{n},c{n}@example.com,80,{n},{county},{district}"
             for n, (county, district) in enumerate(residences, start=1)]
    return candidates_import(cycle=cycle, content="\n".join(rows).encode(), filename="c.csv",
                             send_invitations=False)


def test_an_imported_district_outside_its_county_is_a_row_error(cycle):
    """Each wrong district is reported in its row and column; nothing is saved."""
    with translation.override("en"), pytest.raises(TableError) as refused:
        _import(cycle, ("臺北市", "大安區"), ("臺北市", "不存在區"), ("新竹縣", '"=HYPERLINK(""//x.tw"")"'),
                ("臺北市", "竹東鎮"), ("", "大安區"))
    assert [(e.row, e.column, e.message) for e in refused.value.errors] == [
        (3, "residence_district", "不存在區 is not a district, township or city of 臺北市."),
        (4, "residence_district", '=HYPERLINK("//x.tw") is not a district, township or city of 新竹縣.'),
        (5, "residence_district", "竹東鎮 is not a district, township or city of 臺北市."),
        (6, "residence_county", "Give the county or city of the district 大安區."),
    ]
    assert not Candidate.objects.exists()


def test_imported_residences_in_variant_spelling_are_recorded_officially(cycle):
    """台 and 恒 are read as 臺 and 恆, and coordinates come from the office of that district."""
    office = LandOfficeFactory(county="屏東縣", district="恆春鎮")
    _import(cycle, ("台東縣", "台東市"), ("屏東縣", "恒春鎮"), ("", ""))
    residences = list(Candidate.objects.order_by("exam_rank").values_list(
        "residence_county", "residence_district", "residence_latitude"))
    assert residences == [("臺東縣", "臺東市", None), ("屏東縣", "恆春鎮", office.latitude), ("", "", None)]
