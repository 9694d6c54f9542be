"""Reads of office profiles; each fixes its query shape, so a page costs the same however many rows it shows."""
from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from core.audit import LogEntry, history_for
from placement.models import LandOffice

from .models import OfficeInstrument, OfficeProfile, ProfileStatus, ResurveyProject


def _with_rows(profiles: QuerySet[OfficeProfile]) -> QuerySet[OfficeProfile]:
    # Three queries in all: the profiles with their offices, then every re-survey row, then every instrument.
    return profiles.select_related("office").prefetch_related(
        Prefetch("resurvey_projects", queryset=ResurveyProject.objects.order_by("-year", "pk")),
        Prefetch("instruments", queryset=OfficeInstrument.objects.order_by("kind")),
    )


def published_profiles() -> QuerySet[OfficeProfile]:
    """Return every published profile with its office, re-survey projects and instruments loaded."""
    return _with_rows(OfficeProfile.objects.filter(status=ProfileStatus.PUBLISHED)).order_by(
        "office__sort_order", "office__name"
    )


def all_profiles() -> QuerySet[OfficeProfile]:
    """Return every profile, draft or published, with its office and rows loaded."""
    return _with_rows(OfficeProfile.objects.all()).order_by("office__sort_order", "office__name")


def profile_for_office(office) -> OfficeProfile | None:
    """Return an office's profile, draft or published, with its rows loaded, or None before it has one."""
    return _with_rows(OfficeProfile.objects.filter(office=office)).first()


def published_profile_for_office_code(code: str) -> OfficeProfile | None:
    """Return the published profile of the office with this code, with its rows loaded, or None."""
    return published_profiles().filter(office__code=code).first()


def profile_history(profile: OfficeProfile) -> QuerySet[LogEntry]:
    """Return every recorded change of a profile and its rows, newest first, with who made it."""
    return history_for(profile)


def offices_with_profiles() -> QuerySet[LandOffice]:
    """Return every land office with its profile, if any, loaded: examination staff's overview in one query."""
    return LandOffice.objects.select_related("profile").order_by("sort_order", "name")
