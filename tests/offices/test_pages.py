"""Office profile pages: office staff edit and publish their own office only, examination staff read every office,
and the page for exam passers shows a published profile to anyone."""
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.roles import Role
from core import clock
from offices.models import OfficeInstrument, OfficeProfile, ProfileStatus, ResurveyProject
from offices.services import office_instrument_add, resurvey_project_add
from tests.factories import COMPLETE_OFFICE_FACTS, LandOfficeFactory, make_office_profile, make_user
from tests.media_pipeline.factories import youtube_link

pytestmark = pytest.mark.django_db
TAIPEI = ZoneInfo("Asia/Taipei")


@pytest.fixture(autouse=True)
def _no_youtube_key(settings):
    # Without a key an office's link is kept as "not verified" at once, and no check is queued.
    settings.YOUTUBE_API_KEY = ""


def _signed_in(client, user, language="en"):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def _edit_data(*, resurvey=(), instruments=(), saved_resurvey=(), saved_instruments=(), **facts):
    """Return the edit page's POST: the facts, then the saved rows (id, values, remove) and the new rows."""
    data = {key: "" if value is None else str(value) for key, value in {**COMPLETE_OFFICE_FACTS, **facts}.items()}
    for prefix, saved, new, fields in (
        ("resurvey", saved_resurvey, resurvey, ("year", "area_hectares", "parcel_count")),
        ("instruments", saved_instruments, instruments, ("kind", "count", "note")),
    ):
        rows = [*saved, *((None, values, False) for values in new)]
        data.update({f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(len(saved)),
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
        for index, (row_id, values, remove) in enumerate(rows):
            data[f"{prefix}-{index}-id"] = str(row_id or "")
            for field, value in zip(fields, values, strict=False):
                data[f"{prefix}-{index}-{field}"] = str(value)
            if remove:
                data[f"{prefix}-{index}-DELETE"] = "on"
    return data


def test_office_staff_fill_in_and_publish_their_profile_with_rows(client):
    """One save stores the facts, a re-survey project and two instruments; publishing then opens the public page."""
    staff = make_user(Role.OFFICE_STAFF)
    office = staff.role_grants.get().office
    _signed_in(client, staff)
    edit = reverse("offices:profile_edit", kwargs={"code": office.code})
    assert client.get(edit).status_code == 200
    response = client.post(edit, _edit_data(resurvey=[(2024, "150.50", 820)],
                                            instruments=[("total_station", 3, "Leica TS16"), ("gnss_rtk", 2)]))
    assert response.status_code == 302
    profile = OfficeProfile.objects.get(office=office)
    assert profile.field_survey_distance_km == Decimal("12.5")
    assert list(profile.resurvey_projects.values_list("year", "parcel_count")) == [(2024, 820)]
    assert sorted(profile.instruments.values_list("kind", "count")) == [("gnss_rtk", 2), ("total_station", 3)]
    client.post(reverse("offices:profile_publish", kwargs={"code": office.code}))
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.PUBLISHED
    public = client.get(reverse("offices:public_profile", kwargs={"code": office.code}))
    assert public.status_code == 200
    assert "Leica TS16" in public.content.decode()


def test_the_public_page_has_the_short_address_and_needs_no_sign_in(client):
    profile = make_office_profile(published=True)
    assert reverse("offices:public_profile", kwargs={"code": profile.office.code}) == f"/o/{profile.office.code}/"
    response = client.get(f"/o/{profile.office.code}/")
    assert response.status_code == 200
    assert profile.contact_email in response.content.decode()


def test_the_edit_page_gives_office_staff_the_full_address_to_link_to(client):
    profile = make_office_profile(published=True)
    _signed_in(client, make_user(Role.OFFICE_STAFF, office=profile.office))
    body = client.get(reverse("offices:profile_edit", kwargs={"code": profile.office.code})).content.decode()
    assert f"http://testserver/o/{profile.office.code}/" in body


def test_a_draft_is_invisible_on_the_public_page_and_to_candidates(client):
    draft = make_office_profile()
    assert client.get(reverse("offices:public_profile", kwargs={"code": draft.office.code})).status_code == 404
    _signed_in(client, make_user(Role.CANDIDATE))
    assert client.get(reverse("offices:public_profile", kwargs={"code": draft.office.code})).status_code == 404
    assert client.get(reverse("offices:profile_detail", kwargs={"code": draft.office.code})).status_code == 403


def test_the_public_page_shows_the_offices_videos(client):
    profile = make_office_profile(published=True)
    youtube_link(office=profile.office, title="本所外業簡介")
    youtube_link(office=LandOfficeFactory(), title="別所的影片", youtube_id="aaaaaaaaaaa")
    body = client.get(reverse("offices:public_profile", kwargs={"code": profile.office.code})).content.decode()
    assert "本所外業簡介" in body and "別所的影片" not in body


@pytest.mark.parametrize("name", ["profile_edit", "profile_detail", "profile_history"])
def test_office_staff_of_one_office_get_404_for_another_offices_pages(client, name):
    own, other = make_office_profile(), make_office_profile()
    staff = make_user(Role.OFFICE_STAFF, office=own.office)
    _signed_in(client, staff)
    assert client.get(reverse(f"offices:{name}", kwargs={"code": own.office.code})).status_code == 200
    assert client.get(reverse(f"offices:{name}", kwargs={"code": other.office.code})).status_code == 404


def test_office_staff_cannot_save_publish_or_unpublish_another_office(client):
    own = make_office_profile()
    other = make_office_profile()
    published = make_office_profile(published=True)
    _signed_in(client, make_user(Role.OFFICE_STAFF, office=own.office))
    edit = reverse("offices:profile_edit", kwargs={"code": other.office.code})
    assert client.post(edit, _edit_data(contact_name="冒名者")).status_code == 404
    assert client.post(reverse("offices:profile_publish", kwargs={"code": other.office.code})).status_code == 404
    assert client.post(reverse("offices:profile_unpublish",
                               kwargs={"code": published.office.code})).status_code == 404
    other.refresh_from_db()
    published.refresh_from_db()
    assert (other.contact_name, other.status, published.status) == ("王課長", "draft", "published")


@pytest.mark.parametrize("role", [Role.FOCUS_GROUP_MEMBER, Role.FOCUS_GROUP_LEADER, Role.CANDIDATE])
def test_members_leaders_and_candidates_cannot_edit_even_their_own_office(client, role):
    profile = make_office_profile()
    user = make_user(role, office=profile.office if role != Role.CANDIDATE else None)
    _signed_in(client, user)
    code = profile.office.code
    assert client.get(reverse("offices:profile_edit", kwargs={"code": code})).status_code == 403
    assert client.post(reverse("offices:profile_edit", kwargs={"code": code}), _edit_data()).status_code == 403
    assert client.post(reverse("offices:profile_publish", kwargs={"code": code})).status_code == 403
    assert client.get(reverse("offices:profile_history", kwargs={"code": code})).status_code == 403
    assert OfficeProfile.objects.get().status == ProfileStatus.DRAFT


def test_examination_staff_read_every_profile_and_history_but_cannot_edit(client):
    draft = make_office_profile()
    _signed_in(client, make_user(Role.EXAM_STAFF))
    code = draft.office.code
    assert client.get(reverse("offices:profile_list")).status_code == 200
    detail = client.get(reverse("offices:profile_detail", kwargs={"code": code}))
    assert detail.status_code == 200 and "王課長" in detail.content.decode()
    assert client.get(reverse("offices:profile_history", kwargs={"code": code})).status_code == 200
    assert client.get(reverse("offices:profile_edit", kwargs={"code": code})).status_code == 403
    assert client.post(reverse("offices:profile_publish", kwargs={"code": code})).status_code == 403


@pytest.mark.parametrize(("facts", "field", "message"), [
    ({"digitized_area_percent": 120, "graphical_area_percent": -20}, "digitized_area_percent",
     "Enter a percentage from 0 to 100."),
    ({"flat_land_percent": 60, "mountain_land_percent": 30}, "mountain_land_percent",
     "The two shares must add up to 100%."),
    ({"field_survey_distance_km": "-3"}, "field_survey_distance_km", "Enter a value of 0 or more."),
    ({"latitude": "35.68", "longitude": "139.76"}, "latitude", "Enter a latitude inside Taiwan (21 to 27)."),
])
def test_bad_facts_give_a_field_level_message_and_save_nothing(client, facts, field, message):
    staff = make_user(Role.OFFICE_STAFF)
    office = staff.role_grants.get().office
    _signed_in(client, staff)
    response = client.post(reverse("offices:profile_edit", kwargs={"code": office.code}),
                           _edit_data(resurvey=[(2024, "10", 5)], instruments=[("uav", 1)], **facts))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not OfficeProfile.objects.exists()
    assert not ResurveyProject.objects.exists() and not OfficeInstrument.objects.exists()


def test_a_future_resurvey_year_is_refused_on_its_row_and_nothing_is_saved(client):
    profile = make_office_profile(contact_name="王課長")
    staff = make_user(Role.OFFICE_STAFF, office=profile.office)
    _signed_in(client, staff)
    with clock.frozen_at(datetime(2026, 12, 3, 10, 0, tzinfo=TAIPEI)):
        response = client.post(reverse("offices:profile_edit", kwargs={"code": profile.office.code}),
                               _edit_data(contact_name="李技正", resurvey=[(2027, "10", 5)]))
    assert response.status_code == 200
    assert response.context["resurvey_formset"].forms[0].errors["year"] == ["The year cannot be in the future."]
    profile.refresh_from_db()
    assert profile.contact_name == "王課長"
    assert not ResurveyProject.objects.exists()


def test_an_instrument_kind_listed_twice_is_refused_on_its_rows(client):
    profile = make_office_profile(instruments=())
    _signed_in(client, make_user(Role.OFFICE_STAFF, office=profile.office))
    response = client.post(reverse("offices:profile_edit", kwargs={"code": profile.office.code}),
                           _edit_data(instruments=[("level", 1), ("level", 2)]))
    assert response.status_code == 200
    forms = response.context["instrument_formset"].forms
    assert forms[1].errors["kind"] == ["Each kind is listed once; change its count instead."]
    assert not OfficeInstrument.objects.exists()


def test_publishing_without_the_required_facts_is_refused_with_messages(client):
    staff = make_user(Role.OFFICE_STAFF)
    office = staff.role_grants.get().office
    _signed_in(client, staff)
    client.post(reverse("offices:profile_edit", kwargs={"code": office.code}),
                _edit_data(field_survey_distance_km=None, contact_email=None))
    response = client.post(reverse("offices:profile_publish", kwargs={"code": office.code}), follow=True)
    texts = [str(message) for message in response.context["messages"]]
    assert "The profile cannot be published yet:" in texts
    assert "Average field-survey distance (km): This is required before the profile can be published." in texts
    assert "Contact email: This is required before the profile can be published." in texts
    assert "Instruments: List at least one instrument before publishing." in texts
    assert OfficeProfile.objects.get().status == ProfileStatus.DRAFT


def test_removing_the_last_instrument_of_a_published_profile_is_refused_and_nothing_changes(client):
    profile = make_office_profile(published=True)
    instrument = profile.instruments.get()
    _signed_in(client, make_user(Role.OFFICE_STAFF, office=profile.office))
    response = client.post(reverse("offices:profile_edit", kwargs={"code": profile.office.code}), _edit_data(
        contact_name="李技正", saved_instruments=[(instrument.pk, ("total_station", 3), True)],
    ))
    assert response.status_code == 200
    assert "List at least one instrument before publishing." in response.context["instrument_formset"].non_form_errors()
    profile.refresh_from_db()
    assert (profile.contact_name, profile.instruments.count()) == ("王課長", 1)


def test_office_staff_change_and_remove_saved_rows(client):
    profile = make_office_profile(instruments=[("level", 1), ("uav", 1)])
    project = resurvey_project_add(profile=profile, year=2022, area_hectares=Decimal("40"), parcel_count=100)
    level, uav = profile.instruments.order_by("kind")
    _signed_in(client, make_user(Role.OFFICE_STAFF, office=profile.office))
    response = client.post(reverse("offices:profile_edit", kwargs={"code": profile.office.code}), _edit_data(
        saved_resurvey=[(project.pk, (2022, "40.00", 120), False)],
        saved_instruments=[(level.pk, ("level", 2, ""), False), (uav.pk, ("uav", 1, ""), True)],
    ))
    assert response.status_code == 302
    assert list(ResurveyProject.objects.values_list("parcel_count", flat=True)) == [120]
    assert list(OfficeInstrument.objects.values_list("kind", "count")) == [("level", 2)]


def test_the_history_page_shows_old_and_new_values_with_who_changed_them(client):
    staff = make_user(Role.OFFICE_STAFF, name="陳測量員")
    office = staff.role_grants.get().office
    profile = make_office_profile(office)
    _signed_in(client, staff)
    client.post(reverse("offices:profile_edit", kwargs={"code": office.code}),
                _edit_data(field_survey_distance_km="20.0", instruments=[("uav", 1)],
                           saved_instruments=[(profile.instruments.get().pk, ("total_station", 3, ""), False)]))
    response = client.get(reverse("offices:profile_history", kwargs={"code": office.code}))
    rows = response.context["rows"]
    assert [row.label for row in rows[:2]] == ["Instrument added", "Profile changed"]
    assert rows[1].entry.actor == staff
    assert ("Average field-survey distance (km)", "12.5", "20.0") in rows[1].changes
    assert ("Kind", "–", "UAV (drone)") in rows[0].changes
    body = response.content.decode()
    assert "陳測量員" in body and "12.5 → 20.0" in body


def test_the_menu_offers_office_staff_their_profile(client):
    staff = make_user(Role.OFFICE_STAFF)
    office = staff.role_grants.get().office
    _signed_in(client, staff)
    response = client.get(reverse("offices:our_profile"))
    assert response["Location"] == reverse("offices:profile_edit", kwargs={"code": office.code})
    assert 'href="/office-profiles/ours/"' in client.get(reverse("dashboard")).content.decode()


def _grow(profile, year):
    resurvey_project_add(profile=profile, year=year, area_hectares=Decimal("25"), parcel_count=60)


def test_the_public_page_keeps_a_constant_number_of_queries_as_rows_grow(client, page_queries):
    """The page costs the same with one re-survey project and instrument as with ten projects and six kinds."""
    profile = make_office_profile(published=True)
    youtube_link(office=profile.office, title="簡介")
    _grow(profile, 2024)
    url = reverse("offices:public_profile", kwargs={"code": profile.office.code})
    few = page_queries(client, url).count
    for year in range(2014, 2023):
        _grow(profile, year)
    for kind in ("gnss_rtk", "theodolite", "level", "uav", "scanner_3d"):
        office_instrument_add(profile=profile, kind=kind, count=2)
    youtube_link(office=profile.office, title="外業", youtube_id="bbbbbbbbbbb")
    many = page_queries(client, url)
    assert (few, many.count) == (6, 6)
    # The office's practice set has its place on the page, even before the office publishes one.
    assert "office-practice-heading" in many.response.content.decode()


def test_the_exam_staff_list_keeps_a_constant_number_of_queries(client, page_queries):
    _signed_in(client, make_user(Role.EXAM_STAFF))
    make_office_profile()
    url = reverse("offices:profile_list")
    few = page_queries(client, url).count
    for _n in range(5):
        make_office_profile(published=True)
        LandOfficeFactory()
    # One more than before the table was paginated: the paginator counts the offices.
    assert (few, page_queries(client, url).count) == (7, 7)


def test_the_dashboard_tells_office_staff_whether_their_profile_is_published(client):
    draft = make_office_profile()
    staff = make_user(Role.OFFICE_STAFF, office=draft.office)
    _signed_in(client, staff)
    body = client.get(reverse("dashboard")).content.decode()
    assert "Draft: candidates do not see it until you publish it." in body
    assert reverse("offices:profile_edit", kwargs={"code": draft.office.code}) in body


def test_the_exam_staff_list_is_searchable_and_sortable(client):
    """110 offices are found by name, code or county, and ordered by a column header link (#15)."""
    _signed_in(client, make_user(Role.EXAM_STAFF))
    client.cookies["django_language"] = "en"
    north = LandOfficeFactory(name="北投地政事務所", name_en="Beitou Land Office", county="臺北市",
                              county_en="Taipei City")
    south = LandOfficeFactory(name="鳳山地政事務所", name_en="Fengshan Land Office", county="高雄市",
                              county_en="Kaohsiung City")
    url = reverse("offices:profile_list")
    found = client.get(url, {"q": "fengshan"}).content.decode()
    assert "Fengshan Land Office" in found and "Beitou Land Office" not in found
    assert "Beitou Land Office" in client.get(url, {"q": north.code}).content.decode()
    assert "Fengshan Land Office" in client.get(url, {"q": "高雄"}).content.decode()
    descending = client.get(url, {"sort": "-office"}).content.decode()
    assert descending.index(south.name_en) < descending.index(north.name_en)
    ascending = client.get(url, {"sort": "office"}).content.decode()
    assert ascending.index(north.name_en) < ascending.index(south.name_en)
    assert 'href="?sort=office' in client.get(url).content.decode()  # The header is a plain sorting link.
