"""Great-circle distance, for showing how far each office is from a candidate's residence."""
from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_KM = 6371.0088  # The mean Earth radius (IUGG).


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points in kilometres."""
    phi1, phi2 = radians(lat1), radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = radians(lon2 - lon1)
    a = sin(d_phi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(a))
