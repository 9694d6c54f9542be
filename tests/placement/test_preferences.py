"""The candidate's preference list: ordering without JavaScript, saving as they go, submitting, the deadline."""
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from core import clock
from placement.models import PreferenceList
from placement.services.preferences import preference_list_hash, preference_list_save
from tests.factories import CandidateFactory, LandOfficeFactory, VacancyFactory, make_user

pytestmark = pytest.mark.django_db
URL = reverse("placement:preference_edit")


@pytest.fixture
def candidate(cycle, client):
    user = make_user(Role.CANDIDATE)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return CandidateFactory(cycle=cycle, user=user, residence_latitude=Decimal("25.03300"),
                            residence_longitude=Decimal("121.56500"))


@pytest.fixture
def offices(cycle):
    offices = [LandOfficeFactory(latitude=Decimal("25.03300"), longitude=Decimal("121.56500") + i) for i in range(3)]
    for office in offices:
        VacancyFactory(cycle=cycle, office=office, seats=2)
    return offices


def _order(candidate):
    return list(candidate.preference_list.entries.values_list("office_id", flat=True))


def test_buttons_add_move_and_remove_offices_without_javascript(client, candidate, offices):
    """Plain form buttons add offices, move them up and down, and remove them; each change is saved."""
    a, b, c = (office.pk for office in offices)
    for office_id in (a, b, c):
        assert client.post(URL, {"action": f"add:{office_id}"}).status_code == 302
    assert _order(candidate) == [a, b, c]
    client.post(URL, {"action": f"up:{c}"})
    assert _order(candidate) == [a, c, b]
    client.post(URL, {"action": f"down:{a}"})
    assert _order(candidate) == [c, a, b]
    client.post(URL, {"action": f"remove:{a}"})
    assert _order(candidate) == [c, b]


def test_dragging_saves_the_whole_order_as_json(client, candidate, offices):
    """The drag-and-drop script posts the new order and gets a JSON answer."""
    a, b, c = (office.pk for office in offices)
    response = client.post(URL, {"action": "order", "order": f"{c},{a}"}, HTTP_ACCEPT="application/json")
    assert response.json() == {"ok": True}
    assert _order(candidate) == [c, a]


def test_an_office_without_vacancies_cannot_be_ranked(client, candidate, offices):
    """Offering no seats in the cycle keeps an office out of the list."""
    elsewhere = LandOfficeFactory()
    response = client.post(URL, {"action": "order", "order": f"{elsewhere.pk}"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert not PreferenceList.objects.exists()


def test_submitting_records_the_time_and_the_hash_and_an_edit_withdraws_it(client, candidate, offices):
    """Submitting stores a timestamp and the SHA-256 of the list; changing the list afterwards clears them."""
    client.post(URL, {"action": f"add:{offices[0].pk}"})
    moment = clock.now()
    with clock.frozen_at(moment):
        client.post(URL, {"action": "submit"})
    preference_list = PreferenceList.objects.get()
    assert preference_list.submitted_at == moment
    assert preference_list.submitted_sha256 == preference_list_hash([offices[0].code])
    assert preference_list.submitted_sha256 in client.get(URL).content.decode()
    client.post(URL, {"action": f"add:{offices[1].pk}"})
    preference_list.refresh_from_db()
    assert preference_list.submitted_at is None and preference_list.submitted_sha256 == ""


def test_the_page_shows_seats_county_distance_and_why_truthful_ranking_is_safe(client, candidate, offices):
    """Each office shows its seats and its distance from home; the page explains that honesty is safe."""
    body = client.get(URL).content.decode()
    assert "Rank the offices in the order you really prefer them" in body
    # One degree of longitude at 25°N is about 100.8 km.
    assert re.search(r">\s*100\.[0-9]\s*<", body)
    # The page reads in English here, so the county is given in English.
    assert f">{offices[0].county_en}" in body


def test_after_the_deadline_the_list_is_read_only(client, candidate, offices, cycle):
    """After the preference deadline the page shows the list without buttons, and a change is refused."""
    client.post(URL, {"action": f"add:{offices[0].pk}"})
    cycle.preferences_until = clock.now() + timedelta(hours=1)
    cycle.save()
    with clock.frozen_at(clock.now() + timedelta(hours=2)):
        body = client.get(URL).content.decode()
        response = client.post(URL, {"action": f"add:{offices[1].pk}"}, follow=True)
    assert 'value="add:' not in body and "can no longer change" in body
    assert "deadline has passed" in str(list(response.context["messages"])[0])
    assert _order(candidate) == [offices[0].pk]


def test_a_candidate_without_a_record_in_the_current_cycle_sees_an_explanation(client, cycle):
    """A candidate account not linked to the current cycle gets a page that says so."""
    client.force_login(make_user(Role.CANDIDATE))
    client.cookies["django_language"] = "en"
    response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200 and "not linked to an exam record of the current cycle" in body
    assert 'name="action"' not in body  # No list to edit or submit.


def test_the_preference_page_keeps_a_constant_number_of_queries(client, candidate, cycle, page_queries):
    """The page costs the same queries with 3 or 30 offices, listed or not."""
    for _n in range(3):
        VacancyFactory(cycle=cycle)
    preference_list_save(candidate=candidate, office_ids=list(cycle.vacancies.values_list("office_id",
                                                                                                   flat=True))[:2])
    few = page_queries(client, URL).count
    for _n in range(27):
        VacancyFactory(cycle=cycle)
    preference_list_save(candidate=candidate, office_ids=list(cycle.vacancies.values_list("office_id",
                                                                                                   flat=True))[:20])
    assert (few, page_queries(client, URL).count) == (9, 9)


def test_a_candidate_records_their_residence_and_sees_distances(client, cycle):
    """Choosing where one lives fills in each office's distance on the preference page."""
    from decimal import Decimal

    from tests.factories import CandidateFactory, LandOfficeFactory, VacancyFactory, make_user

    near = LandOfficeFactory(county="新竹縣", district="竹東鎮",
                             latitude=Decimal("24.73"), longitude=Decimal("121.09"))
    far = LandOfficeFactory(county="臺東縣", district="臺東市",
                            latitude=Decimal("22.76"), longitude=Decimal("121.14"))
    for office in (near, far):
        VacancyFactory(cycle=cycle, office=office)
    user = make_user(Role.CANDIDATE)
    candidate = CandidateFactory(cycle=cycle, user=user, residence_latitude=None, residence_longitude=None)
    client.force_login(user)
    response = client.post(reverse("placement:residence_edit"), {"county": "新竹縣", "district": "竹東鎮"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.residence_latitude, candidate.residence_longitude) == (Decimal("24.73000"), Decimal("121.09000"))
    distances = {office.pk: office.distance_km for office in client.get(reverse("placement:preference_edit"))
                 .context["available"]}
    assert distances[near.pk] < 1 < 200 < distances[far.pk] < 240


def test_an_unknown_county_is_refused_and_nothing_changes(client, cycle):
    """A residence county that is not on the list is refused with a message."""
    from tests.factories import CandidateFactory, make_user

    user = make_user(Role.CANDIDATE)
    candidate = CandidateFactory(cycle=cycle, user=user)
    client.force_login(user)
    response = client.post(reverse("placement:residence_edit"), {"county": "火星市"}, follow=True)
    assert [str(m) for m in response.context["messages"]]
    candidate.refresh_from_db()
    assert candidate.residence_county == "臺北市"
