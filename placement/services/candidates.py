"""Changes to a candidate's own record."""
from decimal import Decimal

from django.utils.translation import gettext as _

from ..geo import TAIWAN_COUNTIES, is_township, place_name, residence_point
from ..models import Candidate, LandOffice
from .common import PlacementError


def residence_problem(county: str, district: str) -> tuple[str, str] | None:
    """Return (field, message) saying why a residence cannot be recorded, or None when it can.

    The county must be one of Taiwan's and the district, when given, one of that county's own; both are compared
    in their official spelling (see geo.place_name). No county and no district means no residence.
    """
    county, district = place_name(county), place_name(district)
    if county and county not in TAIWAN_COUNTIES:
        return "residence_county", _(
            "%(value)s is not a county or city of Taiwan (write it as in 臺北市 or 新竹縣)."
        ) % {"value": county[:40]}
    if district and not county:
        return "residence_county", _("Give the county or city of the district %(district)s.") % {
            "district": district[:40]}
    if district and not is_township(county, district):
        return "residence_district", _("%(district)s is not a district, township or city of %(county)s.") % {
            "district": district[:40], "county": county}
    return None


def residence_fields(county: str, district: str, offices) -> dict:
    """Return the residence fields of a candidate living here, with coordinates approximated from the offices."""
    county, district = place_name(county), place_name(district)
    point = residence_point(county, district, offices)
    return {
        "residence_county": county[:20], "residence_district": district[:20],
        "residence_latitude": Decimal(f"{point[0]:.5f}") if point else None,
        "residence_longitude": Decimal(f"{point[1]:.5f}") if point else None,
    }


RESIDENCE_FIELDS = ["residence_county", "residence_district", "residence_latitude", "residence_longitude"]


def candidate_residence_set(*, candidate: Candidate, county: str, district: str) -> Candidate:
    """Record where a candidate lives, with coordinates approximated from the land offices' locations.

    Raise PlacementError, changing nothing, unless the district is one of the county's own (residence_problem).
    """
    problem = residence_problem(county, district)
    if problem is not None:
        raise PlacementError(problem[1])
    offices = LandOffice.objects.values_list("county", "district", "latitude", "longitude")
    for field, value in residence_fields(county, district, offices).items():
        setattr(candidate, field, value)
    candidate.save(update_fields=RESIDENCE_FIELDS)
    return candidate
