"""Placement pages: candidate lists and scoped records."""
import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import CandidateFactory, make_user

pytestmark = pytest.mark.django_db


def test_candidate_list_keeps_a_constant_number_of_queries(client, cycle, page_queries):
    """The candidate list costs the same queries with 3 or 60 candidates, linked accounts or not."""
    client.force_login(make_user(Role.EXAM_STAFF))
    for _n in range(3):
        CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE))
    url = reverse("placement:cycle_candidate_list", kwargs={"pk": cycle.pk})
    few = page_queries(client, url).count
    for _n in range(57):
        CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE))
    assert (few, page_queries(client, url).count) == (8, 8)


def test_dashboard_keeps_a_constant_number_of_queries_for_exam_staff(client, page_queries):
    """The examination staff dashboard costs the same with one cycle or five."""
    from tests.factories import ExamCycleFactory

    client.force_login(make_user(Role.EXAM_STAFF))
    ExamCycleFactory(is_current=True)
    few = page_queries(client, reverse("dashboard")).count
    for _n in range(4):
        CandidateFactory(cycle=ExamCycleFactory())
    assert (few, page_queries(client, reverse("dashboard")).count) == (9, 9)


def test_a_candidate_sees_their_own_record(client, cycle):
    """A candidate opens their own exam record."""
    user = make_user(Role.CANDIDATE)
    mine = CandidateFactory(cycle=cycle, user=user)
    client.force_login(user)
    response = client.get(reverse("placement:candidate_detail", kwargs={"pk": mine.pk}))
    assert response.status_code == 200
    assert mine.exam_number in response.content.decode()


def test_a_candidate_gets_404_for_another_candidates_record(client, cycle):
    """Another candidate's record answers 404, the same as a record that does not exist."""
    user = make_user(Role.CANDIDATE)
    CandidateFactory(cycle=cycle, user=user)
    other = CandidateFactory(cycle=cycle)
    client.force_login(user)
    assert client.get(reverse("placement:candidate_detail", kwargs={"pk": other.pk})).status_code == 404
    assert client.get(reverse("placement:candidate_detail", kwargs={"pk": 987654})).status_code == 404


def test_office_staff_cannot_open_candidate_records(client, cycle):
    """Land office staff are refused candidate records before any placement is published."""
    client.force_login(make_user(Role.OFFICE_STAFF))
    record = CandidateFactory(cycle=cycle)
    assert client.get(reverse("placement:candidate_detail", kwargs={"pk": record.pk})).status_code == 403


def test_navigation_shows_only_pages_the_role_may_open(client, cycle):
    """A candidate's navigation has no staff links; examination staff see invitations and candidates."""
    client.force_login(make_user(Role.CANDIDATE))
    body = client.get(reverse("dashboard")).content.decode()
    assert reverse("accounts:invitation_list") not in body
    client.force_login(make_user(Role.EXAM_STAFF))
    body = client.get(reverse("dashboard")).content.decode()
    assert reverse("accounts:invitation_list") in body
    assert reverse("placement:cycle_candidate_list", kwargs={"pk": cycle.pk}) in body


def test_page_links_keep_every_filter_value(rf):
    """Next/previous links keep repeated filter values and replace only the page number."""
    from django.template import Context, Template

    request = rf.get("/x/", {"county": ["臺北市", "新北市"], "page": "2", "placed": "yes"})
    rendered = Template("{% load site %}{% page_url 3 %}").render(Context({"request": request}))
    from html import unescape
    from urllib.parse import parse_qs

    # The tag's output goes into an href, so it is HTML-escaped; a browser unescapes it before following it.
    query = parse_qs(unescape(rendered).removeprefix("?"))
    assert query == {"county": ["臺北市", "新北市"], "page": ["3"], "placed": ["yes"]}
