"""Reads for placement pages; each fixes its own query shape so that no page grows queries with its rows."""
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from accounts.models import RoleGrant

from .models import Candidate, ExamCycle, LandOffice, Vacancy


def current_cycle() -> ExamCycle | None:
    return ExamCycle.objects.filter(is_current=True).first()


def office_list(*, cycle: ExamCycle | None) -> QuerySet[LandOffice]:
    """Return land offices with the seats each offers in the cycle (0 when it offers none)."""
    seats = Vacancy.objects.filter(cycle=cycle, office=OuterRef("pk")).values("seats")[:1]
    return LandOffice.objects.annotate(
        seats=Coalesce(Subquery(seats, output_field=IntegerField()), 0)
    ).order_by("sort_order", "name")


def office_counties() -> list[tuple[str, str]]:
    """Return (county, English county) pairs in the data file's order."""
    seen = {}
    for county, county_en in LandOffice.objects.order_by("sort_order").values_list("county", "county_en"):
        seen.setdefault(county, county_en)
    return list(seen.items())


def cycle_candidates(*, cycle: ExamCycle) -> QuerySet[Candidate]:
    return Candidate.objects.filter(cycle=cycle).select_related("user").order_by("exam_rank")


@dataclass(frozen=True)
class CycleSummary:
    cycle: ExamCycle
    candidates: int
    candidates_with_account: int
    offices_with_vacancies: int
    seats: int


def cycle_summaries() -> list[CycleSummary]:
    """Return one summary per cycle, current first, in three queries whatever the number of cycles."""
    cycles = list(ExamCycle.objects.order_by("-is_current", "-year", "-pk"))
    candidate_counts = {
        row["cycle"]: row
        for row in Candidate.objects.values("cycle").annotate(
            total=Count("pk"), with_account=Count("pk", filter=Q(user__isnull=False))
        )
    }
    vacancy_counts = {
        row["cycle"]: row
        for row in Vacancy.objects.filter(seats__gt=0).values("cycle").annotate(offices=Count("pk"), seats=Sum("seats"))
    }
    return [
        CycleSummary(
            cycle=cycle,
            candidates=candidate_counts.get(cycle.pk, {}).get("total", 0),
            candidates_with_account=candidate_counts.get(cycle.pk, {}).get("with_account", 0),
            offices_with_vacancies=vacancy_counts.get(cycle.pk, {}).get("offices", 0),
            seats=vacancy_counts.get(cycle.pk, {}).get("seats", 0) or 0,
        )
        for cycle in cycles
    ]


def candidacies_for_user(user) -> list[Candidate]:
    return list(Candidate.objects.filter(user=user).select_related("cycle").order_by("-cycle__year"))


def office_memberships_for_user(user) -> list[dict]:
    """Return each office the user works at, its roles there, and its seats in the current cycle."""
    cycle = current_cycle()
    grants = RoleGrant.objects.filter(user=user, office__isnull=False).select_related("office").order_by("office__name")
    by_office: dict[int, dict] = {}
    for grant in grants:
        entry = by_office.setdefault(grant.office_id, {"office": grant.office, "roles": [], "seats": 0})
        entry["roles"].append(grant.get_role_display())
    if cycle and by_office:
        for office_id, seats in Vacancy.objects.filter(cycle=cycle, office_id__in=by_office).values_list(
            "office_id", "seats"
        ):
            by_office[office_id]["seats"] = seats
    return list(by_office.values())


def public_stats() -> dict:
    cycle = current_cycle()
    return {
        "offices": LandOffice.objects.count(),
        "counties": LandOffice.objects.values("county").distinct().count(),
        "cycle": cycle,
        "seats": (Vacancy.objects.filter(cycle=cycle).aggregate(total=Sum("seats"))["total"] or 0) if cycle else 0,
    }
