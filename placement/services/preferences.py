"""Candidates' preference lists (志願): saved as they go, submitted with a hash."""
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock

from ..engine_io import canonical_json, sha256_hex
from ..models import Candidate, ExamCycle, PreferenceEntry, PreferenceList, Vacancy
from ..phases import BEFORE_PLACEMENT, cycle_in_phase
from .common import PlacementError


def preference_list_editable(cycle: ExamCycle) -> bool:
    return cycle_in_phase(cycle, BEFORE_PLACEMENT)


def preference_list_save(*, candidate: Candidate, office_ids: list[int]) -> PreferenceList:
    """Replace a candidate's preference list with offices in the given order; an edit withdraws the submission."""
    if not preference_list_editable(candidate.cycle):
        raise PlacementError(_("The preference deadline has passed: your list can no longer change."))
    if len(set(office_ids)) != len(office_ids):
        raise PlacementError(_("Each office can appear only once in your list."))
    offering = set(Vacancy.objects.filter(cycle=candidate.cycle_id, seats__gt=0, office_id__in=office_ids)
                   .values_list("office_id", flat=True))
    if set(office_ids) - offering:
        raise PlacementError(_("Your list may only name offices with vacancies in this cycle."))
    with transaction.atomic():
        preference_list, created = PreferenceList.objects.select_for_update().get_or_create(
            candidate=candidate, defaults={"updated_at": clock.now()}
        )
        current = list(preference_list.entries.order_by("position").values_list("office_id", flat=True))
        if not created and current == office_ids:
            return preference_list
        preference_list.entries.all().delete()
        PreferenceEntry.objects.bulk_create(
            PreferenceEntry(preference_list=preference_list, office_id=office_id, position=position)
            for position, office_id in enumerate(office_ids, start=1)
        )
        preference_list.updated_at = clock.now()
        preference_list.submitted_at = None
        preference_list.submitted_sha256 = ""
        preference_list.save(update_fields=["updated_at", "submitted_at", "submitted_sha256"])
    return preference_list


def preference_list_hash(codes: list[str]) -> str:
    return sha256_hex(canonical_json(codes))


def preference_list_submit(*, candidate: Candidate) -> PreferenceList:
    """Record the time and SHA-256 of the candidate's current list as their submission."""
    if not preference_list_editable(candidate.cycle):
        raise PlacementError(_("The preference deadline has passed: your list can no longer change."))
    with transaction.atomic():
        preference_list = PreferenceList.objects.select_for_update().filter(candidate=candidate).first()
        codes = list(preference_list.entries.order_by("position").values_list("office__code", flat=True)) if (
            preference_list) else []
        if not codes:
            raise PlacementError(_("Add at least one office to your list before submitting it."))
        preference_list.submitted_at = clock.now()
        preference_list.submitted_sha256 = preference_list_hash(codes)
        preference_list.save(update_fields=["submitted_at", "submitted_sha256"])
    return preference_list
