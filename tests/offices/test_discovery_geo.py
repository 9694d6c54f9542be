"""Distance and the offline map of office discovery, in plain Python: no database."""
import csv
import json
from pathlib import Path

import pytest

from offices import taiwan_map
from placement.geo import haversine_km

# Places whose coordinates are well known; the distances were worked out from these coordinates (and checked with
# the local flat-earth approximation, which agrees to 0.1 km at these ranges).
TAIPEI_101 = (25.0340, 121.5645)
KAOHSIUNG_85_SKY_TOWER = (22.6117, 120.3000)
TAIPEI_MAIN_STATION = (25.0478, 121.5170)
HSINCHU_STATION = (24.8016, 120.9716)
KEELUNG_STATION = (25.1319, 121.7400)
HUALIEN_STATION = (23.9929, 121.6011)
TAITUNG_STATION = (22.7937, 121.1232)

KNOWN_DISTANCES_KM = [
    (TAIPEI_101, KAOHSIUNG_85_SKY_TOWER, 298.5),
    (TAIPEI_MAIN_STATION, HSINCHU_STATION, 61.4),
    (TAIPEI_MAIN_STATION, KEELUNG_STATION, 24.3),
    (HUALIEN_STATION, TAITUNG_STATION, 142.0),
    (TAIPEI_MAIN_STATION, TAIPEI_101, 5.0),
]
LAND_OFFICES_CSV = Path(__file__).resolve().parents[2] / "placement" / "data" / "land_offices.csv"


@pytest.mark.parametrize(("start", "end", "expected_km"), KNOWN_DISTANCES_KM)
def test_great_circle_distance_between_known_places_in_taiwan(start, end, expected_km):
    """The distance matches the known one within 1%, whichever way it is measured."""
    assert haversine_km(*start, *end) == pytest.approx(expected_km, rel=0.01)
    assert haversine_km(*end, *start) == pytest.approx(expected_km, rel=0.01)


def _inside(point, polygon) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def test_every_land_office_of_taiwan_is_drawn_on_an_island_of_the_outline():
    """The outline is good enough that each of the registry's offices falls on land, Kinmen and Matsu included."""
    islands = json.loads(taiwan_map.OUTLINE_FILE.read_text(encoding="utf-8"))["shapes"]
    with LAND_OFFICES_CSV.open(encoding="utf-8") as rows:
        offices = [(row["code"], float(row["latitude"]), float(row["longitude"])) for row in csv.DictReader(rows)]
    dots, outside = taiwan_map.place_dots(offices)
    assert outside == [] and len(dots) == len(offices) > 100
    at_sea = [code for code, latitude, longitude in offices
              if not any(_inside((longitude, latitude), island["points"]) for island in islands)]
    assert at_sea == []


def test_the_projection_keeps_north_up_and_east_right():
    """Taipei is drawn above Kaohsiung and to its right; Kinmen and Matsu go to their insets."""
    taipei_x, taipei_y = taiwan_map.MAIN.project(*TAIPEI_101)
    kaohsiung_x, kaohsiung_y = taiwan_map.MAIN.project(*KAOHSIUNG_85_SKY_TOWER)
    assert taipei_y < kaohsiung_y and taipei_x > kaohsiung_x
    assert taiwan_map.frame_for(24.433, 118.318) is taiwan_map.KINMEN
    assert taiwan_map.frame_for(26.16, 119.95) is taiwan_map.MATSU


def test_points_outside_every_frame_are_reported_not_drawn():
    """A position far from Taiwan is left off the map and counted, instead of being drawn at the edge."""
    dots, outside = taiwan_map.place_dots([("tokyo", 35.68, 139.77), ("taipei", *TAIPEI_101)])
    assert [dot.key for dot in dots] == ["taipei"] and outside == ["tokyo"]
    dot = dots[0]
    assert 0 <= dot.x <= taiwan_map.VIEW_WIDTH and 0 <= dot.y <= taiwan_map.VIEW_HEIGHT


def test_the_insets_do_not_cover_the_main_island():
    """Kinmen's and Matsu's boxes sit in the sea: no point of Taiwan's outline falls inside them."""
    taiwan = next(shape for shape in json.loads(taiwan_map.OUTLINE_FILE.read_text(encoding="utf-8"))["shapes"]
                  if shape["name"] == "Taiwan")
    for frame in (taiwan_map.KINMEN, taiwan_map.MATSU):
        for longitude, latitude in taiwan["points"]:
            x, y = taiwan_map.MAIN.project(latitude, longitude)
            assert not (frame.x <= x <= frame.x + frame.width and frame.y <= y <= frame.y + frame.height)
