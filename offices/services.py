"""Writes to office profiles, their re-survey projects and instruments; each records its change in the history.

Every change is a named event on the profile (core.audit), so one `history_for(profile)` shows the whole story of
an office's profile, its rows included, with who made each change and the old → new values. A published profile
must keep every fact that publishing asks for, so the services refuse a change that would lose one.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from core import clock
from core.audit import audit_event

from . import rules
from .models import OfficeInstrument, OfficeProfile, ProfileStatus, ResurveyProject

PROFILE_FACT_FIELDS = (
    "field_survey_distance_km",
    "digitized_area_percent", "graphical_area_percent",
    "flat_land_percent", "mountain_land_percent",
    "field_conditions", "field_conditions_en",
    "communication_expectations", "communication_expectations_en",
    "required_abilities", "required_abilities_en",
    "culture_and_customs", "culture_and_customs_en",
    "work_address", "latitude", "longitude",
    "contact_name", "contact_phone", "contact_email",
)
RESURVEY_FIELDS = ("year", "area_hectares", "parcel_count")
INSTRUMENT_FIELDS = ("kind", "count", "note")


def _refuse(errors: rules.Errors) -> None:
    if errors:
        raise ValidationError({field: [gettext(message) for message in messages]
                               for field, messages in errors.items()})


def profile_facts(profile: OfficeProfile) -> dict:
    """Return the profile's facts by field name, as the rules read them."""
    return {field: getattr(profile, field) for field in PROFILE_FACT_FIELDS}


def _refuse_unless_publishable(profile: OfficeProfile) -> None:
    # A published profile stays complete: candidates may be comparing offices by the very fact being removed.
    if profile.is_published:
        _refuse(rules.publishing_errors(profile_facts(profile), instrument_count=profile.instruments.count()))


def _changes(instance, values: dict) -> dict:
    return {field: [getattr(instance, field), value] for field, value in values.items()
            if getattr(instance, field) != value}


@transaction.atomic
def office_profile_save(*, office, facts: dict, acting_user=None) -> OfficeProfile:
    """Create or update an office's profile with the given facts; refuse facts that break the rules."""
    profile = _facts_save(office=office, facts=facts, acting_user=acting_user)
    _refuse_unless_publishable(profile)
    return profile


@dataclass(frozen=True)
class RowChange:
    """One change to a profile's rows from an edit page: add (no row), update (values) or remove a row."""

    row: ResurveyProject | OfficeInstrument | None
    values: dict
    remove: bool = False


@transaction.atomic
def office_profile_edit(*, office, facts: dict, resurvey_changes: list[RowChange],
                        instrument_changes: list[RowChange], acting_user=None) -> OfficeProfile:
    """Save a profile's facts and its rows' changes together: all of them, or none when one is refused.

    Rows are removed first, then updated, then added, so a kind of instrument can move from a removed row to
    another; whether a published profile is still complete is asked once, of the end result.
    """
    profile = _facts_save(office=office, facts=facts, acting_user=acting_user)
    for change in resurvey_changes:
        if change.remove and change.row is not None:
            _resurvey_project_remove(change.row, acting_user)
    for change in instrument_changes:
        if change.remove and change.row is not None:
            _instrument_remove(change.row, acting_user)
    for change in resurvey_changes:
        if not change.remove and change.row is not None:
            resurvey_project_update(project=change.row, values=change.values, acting_user=acting_user)
        elif not change.remove:
            resurvey_project_add(profile=profile, **change.values, acting_user=acting_user)
    for change in instrument_changes:
        if not change.remove and change.row is not None:
            office_instrument_update(instrument=change.row, values=change.values, acting_user=acting_user)
    for change in instrument_changes:
        if not change.remove and change.row is None:
            office_instrument_add(profile=profile, **change.values, acting_user=acting_user)
    _refuse_unless_publishable(profile)
    return profile


def _facts_save(*, office, facts: dict, acting_user) -> OfficeProfile:
    unknown = set(facts) - set(PROFILE_FACT_FIELDS)
    if unknown:
        raise ValueError(f"Not facts of an office profile: {sorted(unknown)}")
    profile, created = OfficeProfile.objects.select_for_update().get_or_create(office=office)
    _refuse(rules.profile_fact_errors({**profile_facts(profile), **facts}))
    changes = _changes(profile, facts)
    for field, value in facts.items():
        setattr(profile, field, value)
    profile.full_clean()
    profile.save()
    if created:
        audit_event(profile, "office_profile.created", actor=acting_user, changes=changes)
    elif changes:
        audit_event(profile, "office_profile.updated", actor=acting_user, changes=changes)
    return profile


@transaction.atomic
def office_profile_publish(*, profile: OfficeProfile, acting_user=None) -> OfficeProfile:
    """Publish a profile for candidates and the public page; refuse, field by field, while a fact is missing."""
    _refuse(rules.publishing_errors(profile_facts(profile), instrument_count=profile.instruments.count()))
    if profile.is_published:
        return profile
    published_at = clock.now()
    changes = {"status": [profile.status, ProfileStatus.PUBLISHED.value], "published_at": [None, published_at]}
    profile.status, profile.published_at = ProfileStatus.PUBLISHED, published_at
    profile.save(update_fields=["status", "published_at", "updated_at"])
    audit_event(profile, "office_profile.published", actor=acting_user, changes=changes)
    return profile


@transaction.atomic
def office_profile_unpublish(*, profile: OfficeProfile, acting_user=None) -> OfficeProfile:
    """Take a profile back to draft: candidates and the public page no longer see it."""
    if not profile.is_published:
        return profile
    changes = {"status": [profile.status, ProfileStatus.DRAFT.value], "published_at": [profile.published_at, None]}
    profile.status, profile.published_at = ProfileStatus.DRAFT, None
    profile.save(update_fields=["status", "published_at", "updated_at"])
    audit_event(profile, "office_profile.unpublished", actor=acting_user, changes=changes)
    return profile


def _resurvey_errors(values: dict) -> rules.Errors:
    return rules.resurvey_project_errors(
        year=values.get("year"), area_hectares=values.get("area_hectares"),
        parcel_count=values.get("parcel_count"), today=clock.now().date(),
    )


@transaction.atomic
def resurvey_project_add(*, profile: OfficeProfile, year: int, area_hectares, parcel_count: int,
                         acting_user=None) -> ResurveyProject:
    """Add one year's re-survey project to a profile."""
    values = {"year": year, "area_hectares": area_hectares, "parcel_count": parcel_count}
    _refuse(_resurvey_errors(values))
    project = ResurveyProject(profile=profile, **values)
    project.full_clean()
    project.save()
    audit_event(profile, "office_profile.resurvey_project_added", actor=acting_user,
                changes={field: [None, value] for field, value in values.items()}, resurvey_project=project.pk)
    return project


@transaction.atomic
def resurvey_project_update(*, project: ResurveyProject, values: dict, acting_user=None) -> ResurveyProject:
    """Change a re-survey project's year, area or number of parcels."""
    values = {field: value for field, value in values.items() if field in RESURVEY_FIELDS}
    _refuse(_resurvey_errors({**{field: getattr(project, field) for field in RESURVEY_FIELDS}, **values}))
    changes = _changes(project, values)
    if not changes:
        return project
    for field, value in values.items():
        setattr(project, field, value)
    project.full_clean()
    project.save()
    audit_event(project.profile, "office_profile.resurvey_project_updated", actor=acting_user, changes=changes,
                resurvey_project=project.pk)
    return project


@transaction.atomic
def resurvey_project_remove(*, project: ResurveyProject, acting_user=None) -> None:
    """Remove a re-survey project from its profile."""
    _resurvey_project_remove(project, acting_user)


def _resurvey_project_remove(project: ResurveyProject, acting_user) -> None:
    changes = {field: [getattr(project, field), None] for field in RESURVEY_FIELDS}
    project_id = project.pk
    project.delete()
    audit_event(project.profile, "office_profile.resurvey_project_removed", actor=acting_user, changes=changes,
                resurvey_project=project_id)


@transaction.atomic
def office_instrument_add(*, profile: OfficeProfile, kind: str, count: int, note: str = "",
                          acting_user=None) -> OfficeInstrument:
    """List the instruments of one kind an office uses; each kind has one row."""
    _refuse(rules.instrument_errors(count=count))
    instrument = OfficeInstrument(profile=profile, kind=kind, count=count, note=note)
    instrument.full_clean()
    instrument.save()
    audit_event(profile, "office_profile.instrument_added", actor=acting_user,
                changes={"kind": [None, kind], "count": [None, count], "note": [None, note]},
                instrument=instrument.pk)
    return instrument


@transaction.atomic
def office_instrument_update(*, instrument: OfficeInstrument, values: dict, acting_user=None) -> OfficeInstrument:
    """Change the kind, count or make and model of an instrument row."""
    values = {field: value for field, value in values.items() if field in INSTRUMENT_FIELDS}
    _refuse(rules.instrument_errors(count=values.get("count", instrument.count)))
    changes = _changes(instrument, values)
    if not changes:
        return instrument
    for field, value in values.items():
        setattr(instrument, field, value)
    instrument.full_clean()
    instrument.save()
    audit_event(instrument.profile, "office_profile.instrument_updated", actor=acting_user, changes=changes,
                instrument=instrument.pk)
    return instrument


@transaction.atomic
def office_instrument_remove(*, instrument: OfficeInstrument, acting_user=None) -> None:
    """Remove an instrument row; a published profile keeps at least one."""
    _instrument_remove(instrument, acting_user)
    _refuse_unless_publishable(instrument.profile)


def _instrument_remove(instrument: OfficeInstrument, acting_user) -> None:
    changes = {field: [getattr(instrument, field), None] for field in INSTRUMENT_FIELDS}
    instrument_id = instrument.pk
    instrument.delete()
    audit_event(instrument.profile, "office_profile.instrument_removed", actor=acting_user, changes=changes,
                instrument=instrument_id)
