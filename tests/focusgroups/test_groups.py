"""A focus group from setup to finalising: members, rubric, roster, blind scoring, consensus and the office's scores."""
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from accounts.services import invitation_accept, invitation_token
from core import clock
from core.audit import history_list
from focusgroups.models import FocusGroup, Member, Outcome, Rating
from focusgroups.services import groups as group_services
from focusgroups.services import outcome as outcome_services
from focusgroups.services import ratings as rating_services
from focusgroups.services.groups import CriterionInput
from focusgroups.services.ratings import RatingInput
from focusgroups.services.shared import FocusGroupError
from placement.models import SuitabilityScore
from placement.services.cycles import exam_cycle_set_deadlines
from placement.services.preferences import preference_list_save, preference_list_submit
from placement.services.runs import placement_run_start
from portfolios.services import portfolio_consent_set
from tests.conftest import require_service
from tests.factories import CandidateFactory, LandOfficeFactory, VacancyFactory, make_user
from tests.media_pipeline.factories import youtube_link

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def leader(office):
    return make_user(Role.FOCUS_GROUP_LEADER, office=office, name="黃課長")


@pytest.fixture
def member(office):
    return make_user(Role.FOCUS_GROUP_MEMBER, office=office, name="張測量員")


@pytest.fixture
def consenting(cycle, office):
    """Three candidates of the cycle who consent for the office, best exam rank first."""
    candidates = [CandidateFactory(cycle=cycle, exam_rank=rank, user=make_user(Role.CANDIDATE)) for rank in (1, 2, 3)]
    for candidate in candidates:
        portfolio_consent_set(candidate=candidate, office_ids=[office.pk], acting_user=candidate.user)
    return candidates


@pytest.fixture
def group(office, cycle, leader, member, consenting):
    """A group with the leader and one member, the default rubric and the three candidates on its roster."""
    group = group_services.focus_group_create(office=office, cycle=cycle, leader=leader)
    group_services.member_add(group=group, email=member.email, acting_user=leader)
    group_services.roster_fix(group=group, candidate_ids=[c.pk for c in consenting], version=None, acting_user=leader)
    return FocusGroup.objects.get(pk=group.pk)


@pytest.fixture
def scoring(group, leader):
    group_services.scoring_open(group=group, version=None, acting_user=leader)
    return FocusGroup.objects.get(pk=group.pk)


def _score_all(group, rater, candidate, value_for):
    """Save and submit a rater's scores of every criterion, `value_for(criterion)` each."""
    rating_services.ratings_save(group=group, candidate=candidate, rater=rater, ratings=[
        RatingInput(criterion_id=criterion.pk, score=value_for(criterion), comment="", version=None)
        for criterion in group.criteria.all()])
    rating_services.submission_submit(group=group, candidate=candidate, rater=rater)


def test_a_new_group_has_the_default_rubric_and_its_leader_as_first_member(office, cycle, leader):
    group = group_services.focus_group_create(office=office, cycle=cycle, leader=leader)
    names = list(group.criteria.order_by("position").values_list("name", flat=True))
    assert names[:2] == ["測量技術", "儀器操作與經緯儀作業程序"] and len(names) == 7
    assert all(len(levels) == 5 for levels in group.criteria.values_list("levels", flat=True))
    assert [m.user for m in group.members.all()] == [leader]
    # Starting it again returns the same group instead of a second one.
    assert group_services.focus_group_create(office=office, cycle=cycle, leader=leader) == group


def test_only_a_leader_at_that_office_starts_its_group(office, cycle):
    elsewhere = make_user(Role.FOCUS_GROUP_LEADER, office=LandOfficeFactory())
    with pytest.raises(FocusGroupError, match="Only the office's focus group leader"):
        group_services.focus_group_create(office=office, cycle=cycle, leader=elsewhere)


def test_an_invited_member_joins_the_group_when_they_accept(office, cycle, leader, mailoutbox):
    """Someone without an account is invited to the office; accepting links the new account to the group."""
    group = group_services.focus_group_create(office=office, cycle=cycle, leader=leader)
    member = group_services.member_add(group=group, email="New.Member@Example.com", acting_user=leader)
    assert member.user is None and member.email == "new.member@example.com"
    user = invitation_accept(token=invitation_token(member.invitation), name="新成員", password="a-Long-pass-123")
    member.refresh_from_db()
    assert member.user == user and member.is_active


def test_a_user_of_another_office_cannot_be_added(office, cycle, leader):
    group = group_services.focus_group_create(office=office, cycle=cycle, leader=leader)
    outsider = make_user(Role.FOCUS_GROUP_MEMBER, office=LandOfficeFactory())
    with pytest.raises(FocusGroupError, match="is not a focus group member at"):
        group_services.member_add(group=group, email=outsider.email, acting_user=leader)
    assert group.members.count() == 1


def test_the_roster_takes_only_candidates_who_consent_for_the_office(group, leader, cycle):
    stranger = CandidateFactory(cycle=cycle, exam_rank=9)
    with pytest.raises(FocusGroupError, match="who consent for"):
        group_services.roster_fix(group=group, candidate_ids=[stranger.pk], version=None, acting_user=leader)
    assert group.roster.count() == 3


def test_the_rubric_locks_when_scoring_opens(scoring, leader):
    """A rubric change after scoring opened is refused and the rubric stays as it was."""
    before = list(scoring.criteria.values_list("name", "weight"))
    with pytest.raises(FocusGroupError, match="the rubric is locked"):
        group_services.rubric_replace(group=scoring, criteria=[
            CriterionInput(name="只有一項", name_en="", weight="1", levels=["a", "b", "c", "d", "e"])],
            version=None, acting_user=leader)
    assert list(scoring.criteria.values_list("name", "weight")) == before


def test_a_rubric_edit_from_a_stale_page_is_refused(group, leader):
    """Two tabs: the second save posts the version the first one already moved past."""
    read_at = group.version
    criteria = [CriterionInput(name="測量技術", name_en="Technique", weight="3", levels=list("12345"))]
    group_services.rubric_replace(group=group, criteria=criteria, version=read_at, acting_user=leader)
    with pytest.raises(FocusGroupError, match="changed since this page was opened"):
        group_services.rubric_replace(group=group, criteria=criteria + [
            CriterionInput(name="溝通", name_en="", weight="1", levels=list("12345"))],
            version=read_at, acting_user=leader)
    assert list(group.criteria.values_list("name", flat=True)) == ["測量技術"]


@pytest.mark.parametrize("score", [0, 6, -1])
def test_a_score_outside_the_scale_is_refused(scoring, member, consenting, score):
    criterion = scoring.criteria.first()
    with pytest.raises(FocusGroupError, match="whole number from 1 to 5"):
        rating_services.ratings_save(group=scoring, candidate=consenting[0], rater=member, ratings=[
            RatingInput(criterion_id=criterion.pk, score=score, comment="", version=None)])
    assert not Rating.objects.exists()


def test_a_stale_draft_from_a_second_tab_is_refused_and_loses_nothing(scoring, member, consenting):
    criterion = scoring.criteria.first()
    candidate = consenting[0]
    first = rating_services.ratings_save(group=scoring, candidate=candidate, rater=member, ratings=[
        RatingInput(criterion_id=criterion.pk, score=4, comment="第一個分頁", version=0)])[criterion.pk]
    with pytest.raises(FocusGroupError, match="changed elsewhere"):
        rating_services.ratings_save(group=scoring, candidate=candidate, rater=member, ratings=[
            RatingInput(criterion_id=criterion.pk, score=2, comment="第二個分頁", version=0)])
    first.refresh_from_db()
    assert (first.score, first.comment, first.version) == (4, "第一個分頁", 1)


def test_submitting_needs_every_criterion_scored(scoring, member, consenting):
    criterion = scoring.criteria.first()
    rating_services.ratings_save(group=scoring, candidate=consenting[0], rater=member, ratings=[
        RatingInput(criterion_id=criterion.pk, score=4, comment="", version=None)])
    with pytest.raises(FocusGroupError, match="still unscored: 儀器操作與經緯儀作業程序"):
        rating_services.submission_submit(group=scoring, candidate=consenting[0], rater=member)


def test_members_score_blind_until_they_submit(client, scoring, leader, member, consenting):
    """The member does not see the leader's score or note for a candidate until submitting their own."""
    candidate = consenting[0]
    _score_all(scoring, leader, candidate, lambda criterion: 5)
    Rating.objects.filter(rater=leader, candidate=candidate).update(comment="領導者的秘密評語")
    client.force_login(member)
    url = reverse("focusgroups:score_candidate", kwargs={"pk": scoring.pk, "candidate_id": candidate.pk})
    assert "領導者的秘密評語" not in client.get(url).content.decode()
    _score_all(scoring, member, candidate, lambda criterion: 3)
    assert "領導者的秘密評語" in client.get(url).content.decode()


def test_a_submitted_score_changes_only_after_the_leader_reopens_it(scoring, leader, member, consenting):
    candidate = consenting[0]
    _score_all(scoring, member, candidate, lambda criterion: 3)
    criterion = scoring.criteria.first()
    change = [RatingInput(criterion_id=criterion.pk, score=5, comment="", version=None)]
    with pytest.raises(FocusGroupError, match="ask the leader to reopen"):
        rating_services.ratings_save(group=scoring, candidate=candidate, rater=member, ratings=change)
    rating_services.submission_reopen(group=scoring, candidate=candidate, rater=member, reason="評分誤植",
                                      acting_user=leader)
    rating_services.ratings_save(group=scoring, candidate=candidate, rater=member, ratings=change)
    assert Rating.objects.get(rater=member, candidate=candidate, criterion=criterion).score == 5
    [reopened] = history_list(event_prefix="submission.reopened")
    assert reopened.additional_data["reason"] == "評分誤植" and reopened.actor == leader


def test_the_page_saves_a_draft_as_json_for_the_autosave(client, scoring, member, consenting):
    client.force_login(member)
    client.cookies["django_language"] = "en"
    criterion = scoring.criteria.first()
    url = reverse("focusgroups:score_candidate", kwargs={"pk": scoring.pk, "candidate_id": consenting[0].pk})
    response = client.post(url, {f"c{criterion.pk}-score": "4", f"c{criterion.pk}-comment": "整置穩定",
                                 f"c{criterion.pk}-version": "0"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["saved"][str(criterion.pk)]["version"] == 1
    stale = client.post(url, {f"c{criterion.pk}-score": "2", f"c{criterion.pk}-version": "0"},
                        HTTP_ACCEPT="application/json")
    assert stale.status_code == 409 and "changed elsewhere" in stale.json()["error"]
    assert Rating.objects.get().score == 4


def test_finalising_with_missing_scores_needs_a_reason(scoring, leader, member, consenting):
    for candidate in consenting:
        _score_all(scoring, leader, candidate, lambda criterion: 4)
    with pytest.raises(FocusGroupError, match="Some scores are missing"):
        outcome_services.focus_group_finalise(group=scoring, missing_scores_reason="", version=None,
                                              acting_user=leader)
    scoring.refresh_from_db()
    assert scoring.state == FocusGroup.State.SCORING and not SuitabilityScore.objects.exists()
    outcome_services.focus_group_finalise(group=scoring, missing_scores_reason="張員請假", version=None,
                                          acting_user=leader)
    scoring.refresh_from_db()
    assert scoring.state == FocusGroup.State.FINALISED and scoring.missing_scores_reason == "張員請假"


def test_finalising_ranks_the_roster_and_makes_the_offices_suitability_scores(scoring, leader, member, consenting,
                                                                             office):
    """Final = weighted aggregate + consensus adjustment; the office's scores become exactly the group's."""
    best, middle, last = consenting
    SuitabilityScore.objects.create(office=office, candidate=CandidateFactory(cycle=scoring.cycle, exam_rank=8),
                                    score=Decimal("90"))
    for rater in (leader, member):
        _score_all(scoring, rater, best, lambda criterion: 5)
        _score_all(scoring, rater, middle, lambda criterion: 4)
        _score_all(scoring, rater, last, lambda criterion: 3 if criterion.position % 2 else 4)
    outcome_services.outcome_adjust(group=scoring, candidate=last, adjustment="0.5", reason="實作表現優異",
                                    version=None, acting_user=leader)
    with pytest.raises(FocusGroupError, match="Say why"):
        outcome_services.outcome_adjust(group=scoring, candidate=middle, adjustment="0.2", reason="",
                                        version=None, acting_user=leader)
    outcome_services.focus_group_finalise(group=scoring, missing_scores_reason="", version=None, acting_user=leader)
    outcomes = {o.candidate_id: o for o in Outcome.objects.all()}
    assert (outcomes[best.pk].final_score, outcomes[best.pk].rank) == (Decimal("5.000"), 1)
    assert (outcomes[middle.pk].final_score, outcomes[middle.pk].rank) == (Decimal("4.000"), 2)
    # Odd positions 1, 3, 5, 7 (weights 2, 1, 1, 1) score 3, even ones 2, 4, 6 (weights 2, 1.5, 1.5) score 4:
    # (3·5 + 4·5) / 10 = 3.5, plus the adjustment 0.5.
    assert (outcomes[last.pk].aggregate_score, outcomes[last.pk].final_score) == (Decimal("3.500"), Decimal("4.000"))
    assert outcomes[last.pk].rank == 2
    scores = dict(SuitabilityScore.objects.filter(office=office).values_list("candidate_id", "score"))
    assert scores == {best.pk: Decimal("5.000"), middle.pk: Decimal("4.000"), last.pk: Decimal("4.000")}
    assert set(SuitabilityScore.objects.values_list("source", flat=True)) == {SuitabilityScore.Source.FOCUS_GROUP}
    with pytest.raises(FocusGroupError, match="finalised"):
        rating_services.ratings_save(group=scoring, candidate=best, rater=member, ratings=[])


def test_a_member_of_another_office_reaches_nothing_of_this_group(client, scoring, consenting):
    other = make_user(Role.FOCUS_GROUP_LEADER, office=LandOfficeFactory())
    client.force_login(other)
    for name, kwargs in [("group_detail", {}), ("rubric", {}), ("score_list", {}), ("results", {}),
                         ("score_candidate", {"candidate_id": consenting[0].pk}), ("record", {})]:
        assert client.get(reverse(f"focusgroups:{name}", kwargs={"pk": scoring.pk, **kwargs})).status_code == 404


def test_a_removed_member_loses_the_group(client, scoring, leader, member):
    client.force_login(member)
    url = reverse("focusgroups:score_list", kwargs={"pk": scoring.pk})
    assert client.get(url).status_code == 200
    group_services.member_remove(group=scoring, member=Member.objects.get(user=member), acting_user=leader)
    assert client.get(url).status_code == 404


def test_a_candidate_reaches_no_scoring_page(client, scoring, consenting):
    client.force_login(consenting[0].user)
    url = reverse("focusgroups:score_candidate", kwargs={"pk": scoring.pk, "candidate_id": consenting[0].pk})
    assert client.get(url).status_code == 403


def _at_once(*calls):
    """Run the calls in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            # The language is per thread; the messages are asserted in English.
            with translation.override("en"):
                results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects what each writer met.
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_lose_no_update(scoring, leader, member, consenting):
    """Two members saving at once, and one member in two tabs saving different criteria, all keep their scores;
    two tabs saving the same criterion from the same version keep exactly one, and the other is told."""
    if connection.vendor != "postgresql":
        require_service("PostgreSQL (set DATABASE_URL)")
    candidate = consenting[0]
    first, second = list(scoring.criteria.order_by("position")[:2])

    def save(rater, criterion, score, version=0):
        return lambda: rating_services.ratings_save(group=scoring, candidate=candidate, rater=rater, ratings=[
            RatingInput(criterion_id=criterion.pk, score=score, comment=f"{rater.pk}:{score}", version=version)])

    results = _at_once(save(leader, first, 5), save(member, first, 2), save(member, second, 4))
    assert not [result for result in results if isinstance(result, Exception)]
    assert dict(((r.rater_id, r.criterion_id), r.score) for r in Rating.objects.all()) == {
        (leader.pk, first.pk): 5, (member.pk, first.pk): 2, (member.pk, second.pk): 4}
    # Two tabs of the leader both saw version 1 of the same rating; one wins, the other is refused, none is lost.
    results = _at_once(save(leader, first, 3, version=1), save(leader, first, 1, version=1))
    refused = [result for result in results if isinstance(result, FocusGroupError)]
    assert len(refused) == 1 and "changed elsewhere" in str(refused[0])
    kept = Rating.objects.get(rater=leader, criterion=first)
    assert kept.version == 2 and kept.score in (3, 1) and kept.comment == f"{leader.pk}:{kept.score}"


def _rubric_post(group):
    """The form the scoring page posts without JavaScript: every criterion scored 4, at the versions shown."""
    return {f"c{criterion.pk}-{field}": value for criterion in group.criteria.all()
            for field, value in (("score", "4"), ("comment", "穩定"), ("version", "0"))}


def test_the_leader_runs_a_group_through_its_pages(client, office, cycle, leader, member, consenting):
    """Start, add a member, fix the roster, open scoring, score and submit, close, adjust, finalise: all by page."""
    client.force_login(leader)
    client.cookies["django_language"] = "en"
    assert client.post(reverse("focusgroups:group_start", kwargs={"office_id": office.pk})).status_code == 302
    group = FocusGroup.objects.get()
    url = lambda name, **kwargs: reverse(f"focusgroups:{name}", kwargs={"pk": group.pk, **kwargs})  # noqa: E731
    assert client.post(url("members"), {"email": member.email}).status_code == 302
    assert client.post(url("sessions"), {"starts_at": "2026-12-10T14:00", "duration_minutes": "90",
                                         "meeting_url": "https://meet.example.org/fg", "agenda": "評分說明"}
                       ).status_code == 302
    roster = client.get(url("roster")).content.decode()
    assert all(candidate.name in roster for candidate in consenting)
    assert client.post(url("roster"), {"candidates": [str(c.pk) for c in consenting[:2]],
                                       "version": str(group.version)}).status_code == 302
    group.refresh_from_db()
    assert client.post(url("scoring_open"), {"version": str(group.version)}).status_code == 302
    group.refresh_from_db()
    assert group.state == FocusGroup.State.SCORING
    for name in ("group_detail", "members", "rubric", "sessions", "roster", "score_list", "results", "finalise"):
        assert client.get(url(name)).status_code == 200, name
    for candidate in consenting[:2]:
        page = client.get(url("score_candidate", candidate_id=candidate.pk))
        assert page.status_code == 200 and "Submit my scores" in page.content.decode()
        # In English the default rubric reads in English: names and the description of each level.
        assert "Surveying technique" in page.content.decode()
        assert "Cannot explain the surveying principles" in page.content.decode()
        assert client.post(url("score_submit", candidate_id=candidate.pk), _rubric_post(group)).status_code == 302
    assert "The aggregate is ready once" in client.get(url("results")).content.decode()
    group.refresh_from_db()
    assert client.post(url("scoring_close"), {"version": str(group.version)}).status_code == 302
    results = client.get(url("results")).content.decode()
    assert "Krippendorff" in results and consenting[0].name in results
    detail = client.get(url("result_detail", candidate_id=consenting[0].pk)).content.decode()
    assert "穩定" in detail and "Why reopen these scores?" in detail
    group.refresh_from_db()
    assert client.post(url("outcome_adjust", candidate_id=consenting[1].pk),
                       {"adjustment": "-0.25", "reason": "溝通略弱", "version": str(group.version)}).status_code == 302
    group.refresh_from_db()
    confirm = client.get(url("finalise")).content.decode()
    assert "Some scores are missing" in confirm and 'name="missing_scores_reason"' in confirm
    refused = client.post(url("finalise"), {"version": str(group.version), "missing_scores_reason": ""})
    assert refused.status_code == 400 and FocusGroup.objects.get().state == FocusGroup.State.CLOSED
    assert client.post(url("finalise"), {"version": str(group.version),
                                         "missing_scores_reason": "張員未能出席"}).status_code == 302
    record = client.get(url("record")).content.decode()
    assert "張員未能出席" in record and "溝通略弱" in record
    export = client.get(url("record_export", fmt="csv")).content.decode("utf-8-sig").splitlines()
    assert export[0].startswith("rank,exam_number,name")
    assert [line.split(",")[:2] for line in export[1:]] == [["1", consenting[0].exam_number],
                                                             ["2", consenting[1].exam_number]]
    assert client.get(url("record_export", fmt="xlsx")).status_code == 200
    assert dict(SuitabilityScore.objects.values_list("candidate_id", "score")) == {
        consenting[0].pk: Decimal("4.000"), consenting[1].pk: Decimal("3.750")}


def test_the_results_and_scoring_pages_keep_a_constant_number_of_queries(client, scoring, leader, member,
                                                                         consenting, cycle, office, page_queries):
    """The leader's aggregate page costs the same with three candidates as with six, and the scoring page the
    same with one note as with five."""
    for candidate in consenting:
        for rater in (leader, member):
            _score_all(scoring, rater, candidate, lambda criterion: 3 + criterion.position % 3)
    group_services.scoring_close(group=scoring, version=None, acting_user=leader)
    client.force_login(leader)
    results = reverse("focusgroups:results", kwargs={"pk": scoring.pk})
    few = page_queries(client, results).count
    # Three more candidates join the roster (put back in setup for that) and are scored by both raters.
    FocusGroup.objects.filter(pk=scoring.pk).update(state=FocusGroup.State.SETUP)
    more = [CandidateFactory(cycle=cycle, exam_rank=rank, user=make_user(Role.CANDIDATE)) for rank in (4, 5, 6)]
    for candidate in more:
        portfolio_consent_set(candidate=candidate, office_ids=[office.pk], acting_user=candidate.user)
    group_services.roster_fix(group=scoring, candidate_ids=[c.pk for c in consenting + more], version=None,
                              acting_user=leader)
    group_services.scoring_open(group=scoring, version=None, acting_user=leader)
    for candidate in more:
        for rater in (leader, member):
            _score_all(scoring, rater, candidate, lambda criterion: 2 + criterion.position % 4)
    assert page_queries(client, results).count == few
    candidate = consenting[0]
    video = youtube_link(candidate=candidate)
    scoring_page = reverse("focusgroups:score_candidate", kwargs={"pk": scoring.pk, "candidate_id": candidate.pk})

    def note(number):
        rating_services.video_note_add(group=scoring, candidate=candidate, video=video, rater=leader,
                                       at_seconds=number * 10, text=f"第{number}則")

    note(1)
    # The first visit records the leader's view in the candidate's access log; within its window no later one does.
    client.get(scoring_page)
    one_note = page_queries(client, scoring_page)
    assert "第1則" in one_note.response.content.decode()
    for number in range(2, 6):
        note(number)
    assert page_queries(client, scoring_page).count == one_note.count


def test_the_dashboard_tells_raters_what_is_left_and_candidates_who_reviews_them(client, scoring, member, consenting):
    _score_all(scoring, member, consenting[0], lambda criterion: 4)
    client.force_login(member)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("dashboard")).content.decode()
    assert "you have submitted 1 of 3 candidates" in page
    assert reverse("focusgroups:score_list", kwargs={"pk": scoring.pk}) in page
    client.force_login(consenting[0].user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "1 land office" in page and "focus group has you on its roster." in page
    assert "you have submitted" not in page


def test_a_blended_run_places_by_the_focus_groups_final_scores(scoring, leader, member, consenting, office, cycle,
                                                              django_capture_on_commit_callbacks):
    """One seat, two applicants: by exam rank the first wins; the group's scores make the blended run pick the other."""
    first, second = consenting[0], consenting[1]
    VacancyFactory(cycle=cycle, office=office, seats=1)
    for candidate in (first, second):
        preference_list_save(candidate=candidate, office_ids=[office.pk])
        preference_list_submit(candidate=candidate)
    for rater in (leader, member):
        _score_all(scoring, rater, first, lambda criterion: 1)
        _score_all(scoring, rater, second, lambda criterion: 5)
        _score_all(scoring, rater, consenting[2], lambda criterion: 3)
    outcome_services.focus_group_finalise(group=scoring, missing_scores_reason="", version=None, acting_user=leader)
    now = clock.now()
    exam_cycle_set_deadlines(cycle=cycle, deadlines={
        "office_profiles_until": now - timedelta(days=4), "submissions_until": now - timedelta(days=3),
        "focus_groups_until": now - timedelta(days=2), "preferences_until": now - timedelta(days=1)})
    placed = {}
    for policy, exam_weight in (("exam_rank", 1), ("blended", Decimal("0.2"))):
        with django_capture_on_commit_callbacks(execute=True):
            run = placement_run_start(cycle=cycle, policy=policy, exam_weight=exam_weight, seed=1,
                                      acting_user=make_user(Role.EXAM_STAFF))
        run.refresh_from_db()
        placed[policy] = run.assignments.get(office=office).candidate
    assert placed == {"exam_rank": first, "blended": second}


def test_the_leader_reads_every_change_of_the_group_in_its_history(client, scoring, leader, member, consenting):
    _score_all(scoring, member, consenting[0], lambda criterion: 4)
    client.force_login(leader)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("focusgroups:history", kwargs={"pk": scoring.pk})).content.decode()
    for event in ("focus_group.created", "focus_group.member_added", "focus_group.roster_fixed",
                  "focus_group.scoring_opened", "rating.saved", "submission.submitted"):
        assert f"<code>{event}</code>" in page, event
    client.force_login(member)
    assert client.get(reverse("focusgroups:history", kwargs={"pk": scoring.pk})).status_code == 403


def test_the_group_list_pages_keep_a_constant_number_of_queries(client, scoring, leader, member, consenting, cycle,
                                                                office, page_queries):
    """Members, candidates to score, record and history cost the same with three candidates as with six."""
    client.force_login(leader)
    names = ("members", "score_list", "record", "history", "group_detail")
    urls = [reverse(f"focusgroups:{name}", kwargs={"pk": scoring.pk}) for name in names]
    few = [page_queries(client, url).count for url in urls]
    FocusGroup.objects.filter(pk=scoring.pk).update(state=FocusGroup.State.SETUP)
    more = [CandidateFactory(cycle=cycle, exam_rank=rank, user=make_user(Role.CANDIDATE)) for rank in (4, 5, 6)]
    for candidate in more:
        portfolio_consent_set(candidate=candidate, office_ids=[office.pk], acting_user=candidate.user)
    group_services.roster_fix(group=scoring, candidate_ids=[c.pk for c in consenting + more], version=None,
                              acting_user=leader)
    group_services.scoring_open(group=scoring, version=None, acting_user=leader)
    for candidate in consenting + more:
        _score_all(scoring, member, candidate, lambda criterion: 3)
    assert [page_queries(client, url).count for url in urls] == few
