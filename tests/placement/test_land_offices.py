"""The bundled land-office data and its loader."""
import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from placement.models import LandOffice
from placement.services.offices import LAND_OFFICES_FILE, LandOfficeFileError, land_offices_load

COUNTIES = [
    "臺北市", "新北市", "基隆市", "桃園市", "新竹市", "新竹縣", "苗栗縣", "臺中市", "彰化縣", "南投縣", "雲林縣",
    "嘉義市", "嘉義縣", "臺南市", "高雄市", "屏東縣", "宜蘭縣", "花蓮縣", "臺東縣", "澎湖縣", "金門縣", "連江縣",
]


def _rows():
    with LAND_OFFICES_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_county_and_city_has_its_land_offices():
    """All 22 counties and cities appear, with a little over a hundred offices in all."""
    rows = _rows()
    assert {row["county"] for row in rows} == set(COUNTIES)
    assert 100 <= len(rows) <= 130


def test_taipei_city_has_its_six_land_offices():
    """Taipei City lists exactly 松山, 大安, 中山, 古亭, 士林 and 建成."""
    names = {row["name"] for row in _rows() if row["county"] == "臺北市"}
    assert names == {f"臺北市{n}地政事務所" for n in ["松山", "大安", "中山", "古亭", "士林", "建成"]}


def test_each_office_lies_in_its_own_county():
    """Every office's coordinates are near the other offices of its county (no swapped rows)."""
    rows = _rows()
    for county in COUNTIES:
        points = [(float(r["latitude"]), float(r["longitude"])) for r in rows if r["county"] == county]
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        for p in points:
            assert abs(p[0] - lat) < 1.0 and abs(p[1] - lon) < 1.0, county


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    """The loader matches offices by code, so a second run creates and updates nothing."""
    first = land_offices_load()
    assert first.created == len(_rows())
    second = land_offices_load()
    assert (second.created, second.updated, second.unchanged) == (0, 0, len(_rows()))


@pytest.mark.django_db
def test_a_changed_row_updates_the_office(tmp_path):
    """Re-loading a file with a corrected address updates that office only."""
    land_offices_load()
    rows = _rows()
    rows[0]["address"] = "新地址 1 號"
    path = tmp_path / "offices.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=rows[0].keys())
        writer.writeheader()
        writer.writerows(rows)
    report = land_offices_load(path=path)
    assert report.updated == 1
    assert LandOffice.objects.get(code=rows[0]["code"]).address == "新地址 1 號"


@pytest.mark.django_db
def test_a_bad_file_loads_nothing_and_names_the_lines(tmp_path):
    """A file with a duplicate code and bad coordinates is refused whole, naming the lines."""
    path = tmp_path / "bad.csv"
    path.write_text(
        "code,name,name_en,county,county_en,district,address,latitude,longitude\n"
        "A-1,甲地政事務所,A,臺北市,Taipei City,大安區,,25.0,121.5\n"
        "A-1,乙地政事務所,B,臺北市,Taipei City,大安區,,north,121.5\n",
        encoding="utf-8",
    )
    with pytest.raises(LandOfficeFileError) as error:
        land_offices_load(path=path)
    assert {line for line, _message in error.value.problems} == {3}
    assert not LandOffice.objects.exists()
    with pytest.raises(CommandError, match="nothing loaded"):
        call_command("load_land_offices", file=path)
