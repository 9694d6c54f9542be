"""Office profile services: rules enforced, publishing guarded, every change kept in the history."""
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.roles import Role
from core import clock
from core.audit import event_name
from offices import selectors
from offices.models import OfficeInstrument, OfficeProfile, ProfileStatus, ResurveyProject
from offices.services import (
    office_instrument_add,
    office_instrument_remove,
    office_instrument_update,
    office_profile_publish,
    office_profile_save,
    office_profile_unpublish,
    resurvey_project_add,
    resurvey_project_remove,
    resurvey_project_update,
)
from tests.factories import LandOfficeFactory, make_office_profile, make_user

pytestmark = pytest.mark.django_db
TAIPEI = ZoneInfo("Asia/Taipei")


def test_saving_bad_shares_saves_nothing_and_says_which_field():
    office = LandOfficeFactory()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        office_profile_save(office=office, facts={"flat_land_percent": 60, "mountain_land_percent": 30})
    assert refused.value.message_dict == {"mountain_land_percent": ["The two shares must add up to 100%."]}
    assert not OfficeProfile.objects.exists()


def test_publishing_without_the_required_facts_is_refused_field_by_field():
    profile = office_profile_save(office=LandOfficeFactory(), facts={"field_conditions": "平地為主"})
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        office_profile_publish(profile=profile)
    errors = refused.value.message_dict
    assert errors["field_survey_distance_km"] == ["This is required before the profile can be published."]
    assert errors["instruments"] == ["List at least one instrument before publishing."]
    assert {"work_address", "latitude", "contact_email", "digitized_area_percent"} <= set(errors)
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.DRAFT


def test_publishing_a_complete_profile_stamps_the_time_and_unpublishing_takes_it_back():
    profile = make_office_profile()
    moment = datetime(2026, 11, 2, 9, 30, tzinfo=TAIPEI)
    with clock.frozen_at(moment):
        office_profile_publish(profile=profile)
    profile.refresh_from_db()
    assert (profile.status, profile.published_at) == (ProfileStatus.PUBLISHED, moment)
    office_profile_unpublish(profile=profile)
    profile.refresh_from_db()
    assert (profile.status, profile.published_at) == (ProfileStatus.DRAFT, None)


def test_a_published_profile_cannot_lose_a_required_fact_or_its_last_instrument():
    profile = make_office_profile(published=True)
    with pytest.raises(ValidationError) as refused:
        office_profile_save(office=profile.office, facts={"contact_email": ""})
    assert set(refused.value.message_dict) == {"contact_email"}
    with pytest.raises(ValidationError) as refused:
        office_instrument_remove(instrument=profile.instruments.get())
    assert set(refused.value.message_dict) == {"instruments"}
    assert profile.instruments.count() == 1
    profile.refresh_from_db()
    assert profile.contact_email


def test_a_resurvey_year_in_the_future_is_refused():
    profile = make_office_profile()
    with clock.frozen_at(datetime(2026, 6, 1, tzinfo=TAIPEI)), pytest.raises(ValidationError) as refused:
        resurvey_project_add(profile=profile, year=2027, area_hectares=Decimal("12"), parcel_count=40)
    assert set(refused.value.message_dict) == {"year"}
    assert not ResurveyProject.objects.exists()


def test_an_instrument_kind_is_listed_once():
    profile = make_office_profile(instruments=[("uav", 1)])
    with pytest.raises(ValidationError):
        office_instrument_add(profile=profile, kind="uav", count=2)
    assert OfficeInstrument.objects.get().count == 1


def test_every_change_is_in_the_profile_history_with_its_actor_and_old_and_new_values():
    staff = make_user(Role.OFFICE_STAFF)
    profile = make_office_profile(field_survey_distance_km=Decimal("12.5"))
    office_profile_save(office=profile.office, facts={"field_survey_distance_km": Decimal("20")}, acting_user=staff)
    project = resurvey_project_add(profile=profile, year=2024, area_hectares=Decimal("150.5"), parcel_count=900,
                                   acting_user=staff)
    resurvey_project_update(project=project, values={"parcel_count": 950}, acting_user=staff)
    resurvey_project_remove(project=project, acting_user=staff)
    instrument = profile.instruments.get()
    office_instrument_update(instrument=instrument, values={"count": 4}, acting_user=staff)
    office_profile_publish(profile=profile, acting_user=staff)

    entries = list(selectors.profile_history(profile))
    assert [event_name(entry) for entry in entries] == [
        "office_profile.published",
        "office_profile.instrument_updated",
        "office_profile.resurvey_project_removed",
        "office_profile.resurvey_project_updated",
        "office_profile.resurvey_project_added",
        "office_profile.updated",
        "office_profile.instrument_added",
        "office_profile.created",
    ]
    assert all(entry.actor == staff for entry in entries[:6])
    assert entries[5].changes == {"field_survey_distance_km": ["12.5", "20"]}
    assert entries[3].changes == {"parcel_count": [900, 950]}
    assert entries[1].changes == {"count": [3, 4]}
    assert entries[0].changes["status"] == ["draft", "published"]


def test_saving_unchanged_facts_records_nothing():
    profile = make_office_profile()
    before = selectors.profile_history(profile).count()
    office_profile_save(office=profile.office, facts={"contact_name": profile.contact_name})
    assert selectors.profile_history(profile).count() == before


def test_published_profiles_lists_only_published_ones_with_their_rows():
    published = make_office_profile(published=True, instruments=[("gnss_rtk", 2), ("level", 1)])
    make_office_profile()
    resurvey_project_add(profile=published, year=2023, area_hectares=Decimal("80"), parcel_count=300)
    profiles = list(selectors.published_profiles())
    assert profiles == [published]
    assert [row.kind for row in profiles[0].instruments.all()] == ["gnss_rtk", "level"]
    assert [row.year for row in profiles[0].resurvey_projects.all()] == [2023]
    assert selectors.profile_for_office(LandOfficeFactory()) is None
