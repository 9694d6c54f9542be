"""Taiwan's counties and townships, and great-circle distance, for how far each office is from a residence."""
import json
from math import asin, cos, radians, sin, sqrt
from pathlib import Path

EARTH_RADIUS_KM = 6371.0088  # The mean Earth radius (IUGG).
# Taiwan's 22 counties and cities and their 368 townships, districts and county-administered cities (鄉鎮市區),
# in their official names (臺, not 台) and in the order the Ministry of the Interior lists them.
TOWNSHIPS: dict[str, tuple[str, ...]] = {
    county: tuple(names) for county, names in json.loads(
        (Path(__file__).parent / "data" / "townships.json").read_text(encoding="utf-8")).items()
}
TAIWAN_COUNTIES = tuple(TOWNSHIPS)
# Characters people often type for the official ones in place names.
_VARIANTS = str.maketrans({"台": "臺", "恒": "恆"})


def place_name(text: str) -> str:
    """Return a county or township name as officially written: 臺 for 台, 恆 for 恒, without spaces."""
    return "".join(text.split()).translate(_VARIANTS)


def is_township(county: str, district: str) -> bool:
    """Return whether the district (鄉鎮市區) is one of the county's own."""
    return district in TOWNSHIPS.get(county, ())


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points in kilometres."""
    phi1, phi2 = radians(lat1), radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = radians(lon2 - lon1)
    a = sin(d_phi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(a))


def residence_point(county: str, district: str, offices) -> tuple[float, float] | None:
    """Return approximate coordinates of a residence from the land offices' locations, or None.

    `offices` yields (county, district, latitude, longitude). A residence in a district that has a land office
    takes that office's location; otherwise the centre of the county's offices. Taiwan's land offices sit in
    the districts they serve, so this stays within a few kilometres in cities and within a county elsewhere,
    which is enough to rank offices by distance without calling an outside geocoder.
    """
    county, district = county.strip(), district.strip()
    if not county:
        return None
    in_county = [(float(lat), float(lon), office_district) for office_county, office_district, lat, lon in offices
                 if office_county == county]
    if not in_county:
        return None
    same_district = [(lat, lon) for lat, lon, office_district in in_county if district and office_district == district]
    points = same_district or [(lat, lon) for lat, lon, _district in in_county]
    return sum(lat for lat, _lon in points) / len(points), sum(lon for _lat, lon in points) / len(points)
