"""Changes to a candidate's own record."""
from decimal import Decimal

from ..geo import residence_point
from ..models import Candidate, LandOffice


def residence_fields(county: str, district: str, offices) -> dict:
    """Return the residence fields of a candidate living here, with coordinates approximated from the offices."""
    point = residence_point(county, district, offices)
    return {
        "residence_county": county[:20], "residence_district": district.strip()[:20],
        "residence_latitude": Decimal(f"{point[0]:.5f}") if point else None,
        "residence_longitude": Decimal(f"{point[1]:.5f}") if point else None,
    }


RESIDENCE_FIELDS = ["residence_county", "residence_district", "residence_latitude", "residence_longitude"]


def candidate_residence_set(*, candidate: Candidate, county: str, district: str) -> Candidate:
    """Record where a candidate lives, with coordinates approximated from the land offices' locations."""
    offices = LandOffice.objects.values_list("county", "district", "latitude", "longitude")
    for field, value in residence_fields(county, district, offices).items():
        setattr(candidate, field, value)
    candidate.save(update_fields=RESIDENCE_FIELDS)
    return candidate
