"""Supplementary rounds fill freed and late seats after publication, never moving anyone who holds a seat."""
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from core import clock
from placement.models import Assignment, PlacementRun, PlaceResponse, Publication
from placement.services.common import PlacementError
from placement.services.preferences import preference_list_save
from placement.services.publications import publication_create
from placement.services.reporting import (
    late_vacancy_decide,
    late_vacancy_report,
    place_confirm,
    place_decline,
    place_deferral_request,
)
from placement.services.rounds import placement_round_start
from tests.factories import CandidateFactory, make_user
from tests.media_pipeline.factories import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # Deferral evidence stays in the test's own folder.
    with translation.override("en"):
        yield


@pytest.fixture
def staff(db):
    return make_user(Role.EXAM_STAFF)


@pytest.fixture
def published(world, staff, django_capture_on_commit_callbacks):
    """The world's exam-rank run published; its candidates can answer; one reserve candidate ranked rank 6."""
    for candidate in world.candidates:
        candidate.user = make_user(Role.CANDIDATE)
        candidate.save(update_fields=["user"])
    world.close_preferences()
    run = world.run(capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        world.publication = publication_create(run=run, acting_user=staff)
    world.cycle.report_by = clock.now() + timedelta(days=14)
    world.cycle.save(update_fields=["report_by"])
    return world


def _round(world, staff, capture, **options):
    with capture(execute=True):
        run = placement_round_start(cycle=world.cycle, policy=options.get("policy", "exam_rank"),
                                    exam_weight=options.get("exam_weight", 1), seed=options.get("seed", 3),
                                    acting_user=staff)
    run.refresh_from_db()
    return run


def _placed(run):
    return {a.candidate.exam_rank: a.office.pk if a.office else None
            for a in run.assignments.select_related("candidate", "office")}


def test_a_round_fills_a_declined_seat_and_a_late_seat_without_moving_anyone(published, staff,
                                                                            django_capture_on_commit_callbacks):
    world = published
    main = _placed(world.publication.run)
    a, b, c = (office.pk for office in world.offices)
    # Exam-rank run: 1 → a, 2 → c, 3 → b, 4 → c; rank 5 ranked only c, which is full, so is unplaced.
    assert main == {1: a, 2: c, 3: b, 4: c, 5: None}
    responses = {r.candidate.exam_rank: r for r in PlaceResponse.objects.select_related("candidate")}
    place_confirm(response=responses[1], acting_user=responses[1].candidate.user)
    place_decline(response=responses[2], reason="另有規劃", acting_user=responses[2].candidate.user)
    office_staff = make_user(Role.OFFICE_STAFF, office=world.offices[1])
    late = late_vacancy_report(cycle=world.cycle, office=world.offices[1], seats=1, reason="退休",
                               acting_user=office_staff)
    late_vacancy_decide(late=late, approve=True, decision_reason="", acting_user=staff)
    reserve = CandidateFactory(cycle=world.cycle, exam_rank=6, on_reserve_list=True)
    round_run = _round(world, staff, django_capture_on_commit_callbacks)
    assert round_run.status == PlacementRun.Status.SUCCEEDED, round_run.error
    assert (round_run.follows, round_run.round_number, round_run.blocking_pairs) == (world.publication.run, 2, 0)
    # The seat rank 2 declined at c goes to rank 5, who ranked only c; rank 1, 3 and 4 hold theirs and are not in
    # the round; rank 2 declined and is out; the reserve candidate ranked nothing and stays unplaced.
    assert _placed(round_run) == {5: c, 6: None}
    assert reserve.pk in round_run.assignments.values_list("candidate_id", flat=True)
    publication = publication_create(run=round_run, acting_user=staff)
    assert publication.round_number == 2 and publication.supersedes is None
    assert PlaceResponse.objects.filter(assignment__run=round_run).count() == 1
    # Nothing of the published main run changed.
    assert _placed(world.publication.run) == main


def test_running_a_round_twice_from_the_same_inputs_gives_the_same_hashes(published, staff,
                                                                         django_capture_on_commit_callbacks):
    responses = {r.candidate.exam_rank: r for r in PlaceResponse.objects.select_related("candidate")}
    place_decline(response=responses[2], reason="不去", acting_user=responses[2].candidate.user)
    first = _round(published, staff, django_capture_on_commit_callbacks, policy="blended", exam_weight="0.5")
    second = _round(published, staff, django_capture_on_commit_callbacks, policy="blended", exam_weight="0.5")
    assert first.snapshot_sha256 == second.snapshot_sha256 and first.assignment_sha256 == second.assignment_sha256
    publication_create(run=first, acting_user=staff)
    out = io.StringIO()
    call_command("placement_replay", first.pk, "--chain", stdout=out)
    assert "main placement" in out.getvalue() and "round 2, follows run" in out.getvalue()
    assert "The replay reproduces the 2 stored runs." in out.getvalue()


def test_a_round_needs_a_published_placement_and_no_other_run_under_way(world, staff,
                                                                       django_capture_on_commit_callbacks):
    world.close_preferences()
    with pytest.raises(PlacementError, match="publish it first"):
        placement_round_start(cycle=world.cycle, policy="exam_rank", exam_weight=1, seed=1, acting_user=staff)
    run = world.run(capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        publication_create(run=run, acting_user=staff)
        placement_round_start(cycle=world.cycle, policy="exam_rank", exam_weight=1, seed=1, acting_user=staff)
        with pytest.raises(PlacementError, match="still under way"):
            placement_round_start(cycle=world.cycle, policy="exam_rank", exam_weight=1, seed=2, acting_user=staff)


def test_after_a_round_is_published_the_main_placement_cannot_be_replaced(published, staff,
                                                                         django_capture_on_commit_callbacks):
    round_run = _round(published, staff, django_capture_on_commit_callbacks)
    publication_create(run=round_run, acting_user=staff)
    again = published.run(capture=django_capture_on_commit_callbacks, seed=42)
    with pytest.raises(PlacementError, match="can no longer be"):
        publication_create(run=again, acting_user=staff, reason="更正")
    assert Publication.objects.count() == 2 and Assignment.objects.filter(run=again).exists()


def test_staff_start_and_publish_a_round_by_page_and_the_candidate_reads_where_it_placed_them(
        client, published, staff, django_capture_on_commit_callbacks):
    """The unplaced candidate's result page names the round that placed them, and takes their answer to it."""
    world = published
    responses = {r.candidate.exam_rank: r for r in PlaceResponse.objects.select_related("candidate")}
    place_decline(response=responses[2], reason="不去", acting_user=responses[2].candidate.user)
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("placement:after_publication", kwargs={"pk": world.cycle.pk})).content.decode()
    assert "Start a supplementary round" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("placement:round_start", kwargs={"pk": world.cycle.pk}),
                               {"policy": "exam_rank", "exam_weight": "1", "seed": "5"})
    round_run = PlacementRun.objects.get(follows__isnull=False)
    assert response.url == reverse("placement:run_detail", kwargs={"pk": round_run.pk})
    detail = client.get(response.url).content.decode()
    assert "Supplementary round 2" in detail and 'name="reason"' not in detail
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("placement:run_publish", kwargs={"pk": round_run.pk}))
    assert Publication.objects.get(round_number=2).run == round_run
    fifth = world.candidates[4]
    client.force_login(fifth.user)
    page = client.get(reverse("placement:candidate_result", kwargs={"pk": fifth.pk})).content.decode()
    assert "You were placed in supplementary round 2" in page and "I will report for duty" in page
    client.post(reverse("placement:place_answer", kwargs={"pk": fifth.pk}), {"action": "confirm"})
    assert PlaceResponse.objects.get(candidate=fifth).state == PlaceResponse.State.CONFIRMED


def test_the_outcomes_page_and_exports_count_each_round_and_answer(client, published, staff, page_queries,
                                                                  django_capture_on_commit_callbacks):
    """Both rounds show by office and county; the CSV has the same figures; the deferral list names who deferred."""
    world = published
    responses = {r.candidate.exam_rank: r for r in PlaceResponse.objects.select_related("candidate")}
    place_decline(response=responses[2], reason="不去", acting_user=responses[2].candidate.user)
    place_confirm(response=responses[1], acting_user=responses[1].candidate.user)
    round_run = _round(world, staff, django_capture_on_commit_callbacks)
    publication_create(run=round_run, acting_user=staff)
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    url = reverse("placement:outcomes", kwargs={"pk": world.cycle.pk})
    page = page_queries(client, url)
    assert page.response.context["result"].by_round[1]["placed"] == 4
    assert page.response.context["result"].by_round[2]["placed"] == 1
    assert page.response.context["result"].totals == {
        "seats": 4, "placed": 5, "unfilled": 0, "confirmed": 1, "pending": 3, "deferral_requested": 0,
        "declined": 1, "deferred": 0, "lapsed": 0}
    assert "Round 2" in page.response.content.decode()
    csv = client.get(reverse("placement:outcomes_export", kwargs={"pk": world.cycle.pk, "kind": "outcomes",
                                                                "fmt": "csv"})).content.decode("utf-8-sig")
    third_office = world.offices[2]
    [line] = [line for line in csv.splitlines() if line.startswith(third_office.code + ",")]
    # Office c: 2 seats, both placed in the main run, one declined and refilled in round 2.
    assert line.split(",")[3:] == ["2", "0", "2", "1", "0", "2", "0", "1", "0", "0", "0"]
    assert client.get(reverse("placement:outcomes_export", kwargs={"pk": world.cycle.pk, "kind": "deferrals",
                                                                 "fmt": "xlsx"})).status_code == 200


def test_candidates_without_a_seat_may_change_their_list_for_the_round_while_the_cycle_allows(
        client, published, staff, django_capture_on_commit_callbacks):
    """The unplaced candidate changes their list in the window and the round uses it; a placed candidate cannot;
    no round starts before the window closes, and a list left unsubmitted counts as of its end."""
    world = published
    a, b, c = world.offices
    responses = {r.candidate.exam_rank: r for r in PlaceResponse.objects.select_related("candidate")}
    place_decline(response=responses[3], reason="不去", acting_user=responses[3].candidate.user)
    world.cycle.round_preferences_until = clock.now() + timedelta(days=2)
    world.cycle.save(update_fields=["round_preferences_until"])
    unplaced, placed = world.candidates[4], world.candidates[0]
    # Rank 5 first ranked only c (full); now they add b, whose seat rank 3 declined.
    preference_list_save(candidate=unplaced, office_ids=[c.pk, b.pk])
    with pytest.raises(PlacementError, match="can no longer change"):
        preference_list_save(candidate=placed, office_ids=[b.pk])
    client.force_login(unplaced.user)
    client.cookies["django_language"] = "en"
    assert "You can change your list until" in client.get(reverse("placement:preference_edit")).content.decode()
    with pytest.raises(PlacementError, match="may still change their lists"):
        placement_round_start(cycle=world.cycle, policy="exam_rank", exam_weight=1, seed=1, acting_user=staff)
    with clock.frozen_at(world.cycle.round_preferences_until + timedelta(minutes=5)):
        round_run = _round(world, staff, django_capture_on_commit_callbacks)
    unplaced.preference_list.refresh_from_db()
    assert unplaced.preference_list.submitted_at == world.cycle.round_preferences_until
    assert _placed(round_run) == {5: b.pk}


def test_two_rounds_on_the_same_inputs_can_be_compared(client, published, staff, django_capture_on_commit_callbacks):
    responses = {r.candidate.exam_rank: r for r in PlaceResponse.objects.select_related("candidate")}
    place_decline(response=responses[2], reason="不去", acting_user=responses[2].candidate.user)
    first = _round(published, staff, django_capture_on_commit_callbacks)
    second = _round(published, staff, django_capture_on_commit_callbacks, policy="blended", exam_weight="0.5")
    client.force_login(staff)
    response = client.get(reverse("placement:run_compare", kwargs={"pk": published.cycle.pk}),
                          {"a": first.pk, "b": second.pk})
    assert response.status_code == 200 and response.context["comparison"] is not None


def test_staff_see_the_answers_of_candidates_placed_in_a_round(client, published, staff,
                                                              django_capture_on_commit_callbacks):
    """A candidate placed in round 2 who asks to defer is on the staff page to decide, and the free seats count it."""
    responses = {r.candidate.exam_rank: r for r in PlaceResponse.objects.select_related("candidate")}
    place_decline(response=responses[2], reason="不去", acting_user=responses[2].candidate.user)
    round_run = _round(published, staff, django_capture_on_commit_callbacks)
    publication_create(run=round_run, acting_user=staff)
    fifth = PlaceResponse.objects.select_related("candidate__user").get(assignment__run=round_run)
    place_deferral_request(response=fifth, deferral_reason="further_study", reason="出國進修",
                           evidence_files=[SimpleUploadedFile("a.pdf", PDF)], acting_user=fifth.candidate.user)
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("placement:after_publication", kwargs={"pk": published.cycle.pk}))
    assert [r.pk for r in page.context["overview"].deferral_requests] == [fifth.pk]
    assert "出國進修" in page.content.decode()
    # The declined seat was refilled in round 2; nothing is free until the deferral is approved.
    assert page.context["overview"].freed_seats == 0


def test_the_after_publication_and_outcomes_pages_keep_a_constant_number_of_queries(
        client, published, staff, page_queries, django_capture_on_commit_callbacks):
    """With a declined place, a deferral request and a published round, more answers add rows, not queries."""
    responses = {r.candidate.exam_rank: r for r in PlaceResponse.objects.select_related("candidate")}
    place_decline(response=responses[2], reason="不去", acting_user=responses[2].candidate.user)
    place_deferral_request(response=responses[3], deferral_reason="illness", reason="住院",
                           evidence_files=[SimpleUploadedFile("a.pdf", PDF)], acting_user=responses[3].candidate.user)
    publication_create(run=_round(published, staff, django_capture_on_commit_callbacks), acting_user=staff)
    client.force_login(staff)
    urls = [reverse(f"placement:{name}", kwargs={"pk": published.cycle.pk})
            for name in ("after_publication", "outcomes")]
    few = [page_queries(client, url).count for url in urls]
    place_confirm(response=responses[1], acting_user=responses[1].candidate.user)
    place_deferral_request(response=responses[4], deferral_reason="further_study", reason="進修",
                           evidence_files=[SimpleUploadedFile("b.pdf", PDF), SimpleUploadedFile("c.pdf", PDF)],
                           acting_user=responses[4].candidate.user)
    assert [page_queries(client, url).count for url in urls] == few
