"""The candidate access log: examination staff see who other than the candidate viewed or changed their data."""
import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from core import clock
from focusgroups.services.groups import focus_group_create, member_add, roster_fix, scoring_open
from media_pipeline.models import EvidenceFile, Video
from placement.models import CandidateDataView
from placement.services.access_log import candidate_data_view_record
from portfolios.services import portfolio_consent_set, portfolio_summary_set
from tests.factories import CandidateFactory, LandOfficeFactory, make_user
from tests.media_pipeline.factories import evidence_file, youtube_link


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep each test's stored files in its own folder, and keep YouTube links unchecked (no key)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.YOUTUBE_API_KEY = ""


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def office(db):
    return LandOfficeFactory()


@pytest.fixture
def candidate(cycle, office):
    """A candidate with an account, a video and an evidence file, who consents to the office's focus group.

    The video and the file are added here, while the cycle's submissions are still open.
    """
    candidate = CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE), name="王小明")
    portfolio_consent_set(candidate=candidate, office_ids=[office.pk], acting_user=candidate.user)
    youtube_link(candidate=candidate, state="verified")
    evidence_file(candidate=candidate)
    return candidate


def video_of(candidate):
    return Video.objects.get(candidate=candidate)


def evidence_of(candidate):
    return EvidenceFile.objects.get(candidate=candidate)


@pytest.fixture
def leader(office):
    return make_user(Role.FOCUS_GROUP_LEADER, office=office, email="leader@example.com")


@pytest.fixture
def member(office):
    return make_user(Role.FOCUS_GROUP_MEMBER, office=office, email="member@example.com")


@pytest.fixture
def group(cycle, office, leader, member, candidate):
    """The office's focus group in its phase, with the member, the candidate on the roster, and scoring open."""
    now = clock.now()
    cycle.submissions_until = now - dt.timedelta(days=1)
    cycle.focus_groups_until = now + dt.timedelta(days=10)
    cycle.save(update_fields=["submissions_until", "focus_groups_until"])
    group = focus_group_create(office=office, cycle=cycle, leader=leader)
    member_add(group=group, email=member.email, acting_user=leader)
    roster_fix(group=group, candidate_ids=[candidate.pk], version=None, acting_user=leader)
    return scoring_open(group=group, version=None, acting_user=leader)


@pytest.fixture
def exam_staff(db):
    return signed_in(make_user(Role.EXAM_STAFF, email="staff@example.com"))


def log_url(candidate, **query):
    url = reverse("placement:candidate_access_log", kwargs={"pk": candidate.pk})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def log_rows(client, candidate, **query) -> str:
    """Return the rows of the candidate's access log as HTML, without the filter form's choices."""
    response = client.get(log_url(candidate, **query))
    assert response.status_code == 200
    return response.content.decode().split("<tbody>")[1].split("</tbody>")[0]


def views_of(candidate):
    return list(CandidateDataView.objects.filter(candidate=candidate).values_list("viewer__email", "what", "url_name"))


def test_a_member_opening_a_scoring_page_shows_on_the_candidates_access_log(group, member, candidate, exam_staff):
    """A focus group member who opens a candidate's scoring page is named on that candidate's access log."""
    page = signed_in(member).get(reverse("focusgroups:score_candidate",
                                         kwargs={"pk": group.pk, "candidate_id": candidate.pk}))
    assert page.status_code == 200
    assert views_of(candidate) == [("member@example.com", "scoring", "focusgroups:score_candidate")]
    body = log_rows(exam_staff, candidate)
    assert "member@example.com" in body
    assert "Focus group scoring" in body


def test_a_leader_reading_a_portfolio_and_an_evidence_file_shows_on_the_access_log(group, leader, candidate,
                                                                                    office, exam_staff):
    """The focus group's leader opening the portfolio and downloading an evidence file leaves two views."""
    item = evidence_of(candidate)
    client = signed_in(leader)
    assert client.get(reverse("portfolios:office_portfolio", kwargs={
        "office_id": office.pk, "candidate_id": candidate.pk})).status_code == 200
    assert client.get(reverse("media_pipeline:evidence_file", kwargs={"pk": item.pk})).status_code == 200
    assert sorted(views_of(candidate)) == [("leader@example.com", "evidence", "media_pipeline:evidence_file"),
                                           ("leader@example.com", "portfolio", "portfolios:office_portfolio")]
    body = log_rows(exam_staff, candidate)
    assert "Portfolio" in body and "Evidence file" in body


def test_a_leader_watching_a_candidates_video_is_recorded(group, leader, candidate):
    video = video_of(candidate)
    assert signed_in(leader).get(reverse("media_pipeline:video_detail", kwargs={"pk": video.pk})).status_code == 200
    assert views_of(candidate) == [("leader@example.com", "video", "media_pipeline:video_detail")]


def test_a_candidate_viewing_their_own_data_leaves_no_row(group, candidate):
    """The log is about others reading a candidate's data: the candidate's own pages write nothing."""
    client = signed_in(candidate.user)
    item, video = evidence_of(candidate), video_of(candidate)
    for url in (reverse("placement:candidate_detail", kwargs={"pk": candidate.pk}),
                reverse("media_pipeline:evidence_file", kwargs={"pk": item.pk}),
                reverse("media_pipeline:video_detail", kwargs={"pk": video.pk}),
                reverse("portfolios:preview")):
        assert client.get(url).status_code == 200, url
    assert views_of(candidate) == []


def test_examination_staff_opening_a_candidate_are_recorded_and_linked_to_the_log(candidate, exam_staff):
    page = exam_staff.get(reverse("placement:candidate_detail", kwargs={"pk": candidate.pk})).content.decode()
    assert log_url(candidate) in page
    assert views_of(candidate) == [("staff@example.com", "profile", "placement:candidate_detail")]


def test_repeated_views_within_the_window_are_kept_once(group, member, candidate):
    """Reloading the scoring page writes one row per viewer, candidate and kind per window, not one per request."""
    client = signed_in(member)
    url = reverse("focusgroups:score_candidate", kwargs={"pk": group.pk, "candidate_id": candidate.pk})
    for _ in range(5):
        client.get(url)
    assert len(views_of(candidate)) == 1


def test_a_failing_insert_never_breaks_the_page(group, member, candidate, monkeypatch):
    """A log that cannot be written is logged, and the scoring page still opens."""
    from django.db import DatabaseError

    def refuse(*args, **kwargs):
        raise DatabaseError("locked")

    monkeypatch.setattr(CandidateDataView.objects, "bulk_create", refuse)
    response = signed_in(member).get(reverse("focusgroups:score_candidate",
                                             kwargs={"pk": group.pk, "candidate_id": candidate.pk}))
    assert response.status_code == 200
    monkeypatch.undo()
    # The claim was given back, so the next view is recorded.
    assert candidate_data_view_record(viewer=member, candidates=candidate, what="scoring") == 1


def test_a_list_records_each_other_candidate_in_one_insert(cycle, django_assert_num_queries):
    viewer = make_user(Role.EXAM_STAFF)
    own = CandidateFactory(cycle=cycle, user=viewer)
    others = [CandidateFactory(cycle=cycle) for _ in range(3)]
    with django_assert_num_queries(3):  # A savepoint around one insert, as the test's transaction is open.
        written = candidate_data_view_record(viewer=viewer, candidates=[own, *others], what="profile")
    assert written == 3
    with django_assert_num_queries(0):  # Within the window the cache answers, and the database is not asked.
        assert candidate_data_view_record(viewer=viewer, candidates=others, what="profile") == 0


def test_the_access_log_shows_changes_from_the_audit_history(candidate, exam_staff):
    """Changes to the candidate's portfolio, consent and videos, by the candidate, appear beside the views."""
    portfolio_summary_set(candidate=candidate, summary="我熟悉全站儀", acting_user=candidate.user)
    body = log_rows(exam_staff, candidate)
    assert "video.link_added" in body  # An event naming only the video, found through media_pipeline's condition.
    assert "portfolio.summary_changed" in body
    assert "portfolio_consent.granted" in body
    assert candidate.user.email in body


def test_the_access_log_filters_by_viewer_and_kind(group, member, leader, candidate, exam_staff):
    signed_in(member).get(reverse("focusgroups:score_candidate", kwargs={"pk": group.pk, "candidate_id": candidate.pk}))
    signed_in(leader).get(reverse("portfolios:office_portfolio", kwargs={
        "office_id": group.office_id, "candidate_id": candidate.pk}))
    by_member = log_rows(exam_staff, candidate, viewer="member@")
    assert "member@example.com" in by_member and "leader@example.com" not in by_member
    portfolios = log_rows(exam_staff, candidate, kind="portfolio")
    assert "leader@example.com" in portfolios and "Focus group scoring" not in portfolios
    assert "portfolio_consent.granted" not in portfolios
    changes = log_rows(exam_staff, candidate, kind="change")
    assert "portfolio_consent.granted" in changes and "Focus group scoring" not in changes


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.OFFICE_STAFF, Role.FOCUS_GROUP_LEADER])
def test_only_examination_staff_open_the_access_log(candidate, role):
    """Neither the candidate nor an office user reads who saw a candidate's data."""
    user = candidate.user if role == Role.CANDIDATE else make_user(role)
    assert signed_in(user).get(log_url(candidate)).status_code in (403, 404)


def test_the_access_log_keeps_its_queries_as_it_grows(office, candidate, exam_staff, page_queries):
    url = log_url(candidate)
    candidate_data_view_record(viewer=make_user(Role.FOCUS_GROUP_MEMBER, office=office), candidates=candidate,
                               what="scoring")
    exam_staff.get(url)  # The staff member's first page loads the session and the content types.
    few = page_queries(exam_staff, url).count
    for number in range(6):
        viewer = make_user(Role.FOCUS_GROUP_MEMBER, office=office)
        candidate_data_view_record(viewer=viewer, candidates=candidate, what="portfolio")
        portfolio_summary_set(candidate=candidate, summary=f"第{number}版", acting_user=candidate.user)
    grown = page_queries(exam_staff, url)
    assert grown.response.content.decode().count("<tr>") > 12
    # The session and user (4), the candidate, two counts and one read of each table, and the menu's cycle.
    assert (few, grown.count) == (10, 10)


def test_a_log_page_is_paginated_newest_first(candidate, exam_staff):
    viewers = [make_user(Role.FOCUS_GROUP_MEMBER, email=f"v{number:02}@example.com") for number in range(55)]
    for viewer in viewers:
        candidate_data_view_record(viewer=viewer, candidates=candidate, what="portfolio")
    first = log_rows(exam_staff, candidate)
    assert "v54@example.com" in first and "v00@example.com" not in first
    second = log_rows(exam_staff, candidate, page=2)
    assert "v00@example.com" in second and "v54@example.com" not in second


def test_downloading_the_candidate_list_shows_on_each_listed_candidates_log(cycle, candidate):
    """The export holds contact details and residence, so every exported candidate's log names the download."""
    other = CandidateFactory(cycle=cycle)
    staff = make_user(Role.EXAM_STAFF, email="exam@example.com")
    response = signed_in(staff).get(reverse("placement:cycle_export", kwargs={"pk": cycle.pk, "kind": "candidates"}),
                                    {"format": "csv"})
    assert response.status_code == 200 and candidate.email in response.content.decode()
    logged = set(CandidateDataView.objects.values_list("candidate_id", "what", "viewer_email"))
    assert logged == {(candidate.pk, "export", "exam@example.com"), (other.pk, "export", "exam@example.com")}
    log = signed_in(staff).get(reverse("placement:candidate_access_log", kwargs={"pk": candidate.pk}))
    assert "Candidate list downloaded" in log.content.decode()
