"""Published results: the staff table with filters, charts and exports; each candidate's and office's own view."""
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from placement.models import Assignment
from placement.services.publications import publication_create
from tests.factories import CandidateFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world, django_capture_on_commit_callbacks):
    world.close_preferences()
    run = world.run(capture=django_capture_on_commit_callbacks)
    publication_create(run=run)
    return world


def _login(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return user


def test_exam_staff_filter_the_result_by_county_office_and_placement(client, published):
    """The filters narrow the table to a county, an office, or the unplaced."""
    _login(client, make_user(Role.EXAM_STAFF))
    url = reverse("placement:cycle_results", kwargs={"pk": published.cycle.pk})
    rows = client.get(url, {"county": "高雄市"}).context["page"].object_list
    assert [row.candidate.exam_rank for row in rows] == [2, 4]
    rows = client.get(url, {"office": published.offices[0].pk}).context["page"].object_list
    assert [row.candidate.exam_rank for row in rows] == [1]
    rows = client.get(url, {"placed": "false"}).context["page"].object_list
    assert [row.candidate.exam_rank for row in rows] == [5]
    body = client.get(url).content.decode()
    assert body.count("<svg") == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_result_exports_as_csv_and_xlsx(client, published, fmt):
    """The export lists every candidate with their office."""
    _login(client, make_user(Role.EXAM_STAFF))
    response = client.get(reverse("placement:cycle_export", kwargs={"pk": published.cycle.pk, "kind": "results"}),
                          {"format": fmt})
    if fmt == "csv":
        lines = response.content.decode("utf-8-sig").splitlines()
    else:
        lines = [",".join("" if v is None else str(v) for v in row)
                 for row in load_workbook(io.BytesIO(response.content)).active.values]
    assert len(lines) == 6
    assert published.offices[0].code in lines[1]


def test_the_result_page_keeps_a_constant_number_of_queries(client, published, page_queries,
                                                            django_capture_on_commit_callbacks):
    """The staff result page costs the same with 5 or 45 candidates."""
    _login(client, make_user(Role.EXAM_STAFF))
    url = reverse("placement:cycle_results", kwargs={"pk": published.cycle.pk})

    few = page_queries(client, url).count
    for _n in range(40):
        CandidateFactory(cycle=published.cycle, exam_rank=100 + _n)
    run = published.run(seed=99, capture=django_capture_on_commit_callbacks)
    publication_create(run=run, reason="More candidates.")
    assert (few, page_queries(client, url).count) == (11, 11)


def test_a_candidate_sees_their_placement_with_reasons(client, published):
    """The candidate sees their office and why they did not get the offices ranked above it."""
    candidate = published.candidates[1]  # Ranked a, then c; got c because rank 1 took a's only seat.
    candidate.user = _login(client, make_user(Role.CANDIDATE))
    candidate.save()
    body = client.get(reverse("placement:candidate_result", kwargs={"pk": candidate.pk})).content.decode()
    assert published.offices[2].name_en in body and "your choice 2" in body
    assert "filled its 1 seat with a candidate it ranks higher: you were number 2 in its order" in body
    # The reasons were worked out once, when the run executed; the page only words them.
    stored = Assignment.objects.get(run__publication__isnull=False, candidate=candidate).explanation
    assert stored == [{"office": published.offices[0].code, "preference_rank": 1, "seats": 1,
                       "reason": "full_with_higher_priority", "candidate_position": 2, "cutoff_position": 1}]


def test_a_candidate_gets_404_for_another_candidates_result(client, published):
    """Another candidate's result answers 404, like a result that does not exist."""
    mine = published.candidates[0]
    mine.user = _login(client, make_user(Role.CANDIDATE))
    mine.save()
    other = published.candidates[1]
    assert client.get(reverse("placement:candidate_result", kwargs={"pk": other.pk})).status_code == 404
    assert client.get(reverse("placement:candidate_result", kwargs={"pk": 987654})).status_code == 404


def test_office_staff_see_who_was_placed_at_their_office_only(client, published):
    """Office staff see their office's placements; another office answers 404."""
    _login(client, make_user(Role.OFFICE_STAFF, office=published.offices[2]))
    response = client.get(reverse("placement:office_placements", kwargs={"code": published.offices[2].code}))
    assert [row["assignment"].candidate.exam_rank for row in response.context["rows"]] == [2, 4]
    other = reverse("placement:office_placements", kwargs={"code": published.offices[0].code})
    assert client.get(other).status_code == 404


def test_a_role_at_one_office_opens_nothing_at_another_office(client, published):
    """Office staff at A who are only a focus-group member at B see A's placements, not B's."""
    from accounts.services import role_grant

    office_a, office_b = published.offices[2], published.offices[0]
    user = make_user(Role.OFFICE_STAFF, office=office_a)
    role_grant(user=user, role=Role.FOCUS_GROUP_MEMBER, office=office_b)
    _login(client, user)
    assert client.get(reverse("placement:office_placements", kwargs={"code": office_a.code})).status_code == 200
    assert client.get(reverse("placement:office_placements", kwargs={"code": office_b.code})).status_code == 404
    # A focus group leader at B does see B's placements (the page is for office staff and leaders).
    role_grant(user=user, role=Role.FOCUS_GROUP_LEADER, office=office_b)
    _login(client, user)
    assert client.get(reverse("placement:office_placements", kwargs={"code": office_b.code})).status_code == 200


def test_before_publishing_the_result_pages_say_it_is_not_published(client, world):
    """Without a publication the candidate and the office see a notice, not a result."""
    candidate = world.candidates[0]
    candidate.user = _login(client, make_user(Role.CANDIDATE))
    candidate.save()
    response = client.get(reverse("placement:candidate_result", kwargs={"pk": candidate.pk}))
    assert "not published yet" in response.content.decode()


def test_the_office_placement_page_keeps_a_constant_number_of_queries(client, published, page_queries,
                                                                      django_capture_on_commit_callbacks):
    """The office's placement list costs the same with 2 or 13 people placed there."""
    from placement.models import PreferenceEntry, PreferenceList, Vacancy

    office = published.offices[2]
    _login(client, make_user(Role.OFFICE_STAFF, office=office))
    url = reverse("placement:office_placements", kwargs={"code": office.code})

    few = page_queries(client, url).count
    Vacancy.objects.filter(office=office).update(seats=20)
    for n in range(10):
        # Rows, not the service: the published cycle no longer accepts list changes.
        candidate = CandidateFactory(cycle=published.cycle, exam_rank=200 + n)
        preference_list = PreferenceList.objects.create(candidate=candidate, updated_at=published.cycle.created_at)
        PreferenceEntry.objects.create(preference_list=preference_list, office=office, position=1)
    run = published.run(seed=5, capture=django_capture_on_commit_callbacks)
    publication_create(run=run, reason="Ten more seats.")
    many = page_queries(client, url)
    assert len(many.response.context["rows"]) == 13
    assert (few, many.count) == (10, 10)  # One of them reads the answers to the places.
