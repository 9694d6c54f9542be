"""Great-circle distance, for showing how far each office is from a candidate's residence."""
from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_KM = 6371.0088  # The mean Earth radius (IUGG).
# Taiwan's 22 counties and cities, in their official names (臺, not 台).
TAIWAN_COUNTIES = (
    "臺北市", "新北市", "基隆市", "桃園市", "新竹市", "新竹縣", "苗栗縣", "臺中市", "彰化縣", "南投縣", "雲林縣",
    "嘉義市", "嘉義縣", "臺南市", "高雄市", "屏東縣", "宜蘭縣", "花蓮縣", "臺東縣", "澎湖縣", "金門縣", "連江縣",
)


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
