"""Placement runs, comparison, publishing, immutability in the database, and replay."""
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from core import clock
from placement.engine_io import snapshot_build, snapshot_load
from placement.models import Assignment, PlacementRun, PreferenceList, Publication, SuitabilityScore, Vacancy
from placement.selectors import PreferenceSubmissions
from placement.services.common import PlacementError
from placement.services.imports import suitability_import
from placement.services.notifications import publication_emails_send, publication_notify
from placement.services.preferences import preference_list_submit
from placement.services.publications import publication_create
from placement.services.runs import placement_run_execute, placement_run_start, placement_runs_sweep
from placement.tasks import preference_lists_submit_due_task
from tests.conftest import require_service
from tests.factories import make_user
from tests.placement.mail_backends import RefusingEmailBackend

pytestmark = pytest.mark.django_db


def _placements(run):
    return dict(Assignment.objects.filter(run=run).values_list("candidate__exam_rank", "office_id"))



@pytest.fixture(autouse=True)
def english():
    """Read the services' messages in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield

def test_a_run_before_the_preference_deadline_is_refused(world):
    """Runs wait until every list is final."""
    with pytest.raises(PlacementError, match="after the preference deadline"):
        world.run()
    assert not PlacementRun.objects.exists()


def test_a_run_stores_its_snapshot_hashes_and_a_stable_assignment(world, django_capture_on_commit_callbacks):
    """The background task stores the canonical snapshot, both hashes, the engine version and the stability check."""
    world.close_preferences()
    run = world.run(capture=django_capture_on_commit_callbacks)
    assert run.status == PlacementRun.Status.SUCCEEDED and run.progress == 100
    assert len(run.snapshot_sha256) == 64 and len(run.assignment_sha256) == 64
    assert run.engine_version and run.blocking_pairs == 0
    a, b, c = (office.pk for office in world.offices)
    # Exam order: rank 1 takes a, rank 2 (a, c) gets c, rank 3 (b, a) gets b, rank 4 (a, b, c) gets c, rank 5 none.
    assert _placements(run) == {1: a, 2: c, 3: b, 4: c, 5: None}
    assert snapshot_load(run)["preferences"][world.candidates[0].exam_number] == [world.offices[0].code,
                                                                                  world.offices[1].code]
    assert run.stats["first_choice"] == 2


def test_a_run_cannot_start_while_another_is_under_way(world):
    """A second start while the first is queued is refused, and the database enforces it too."""
    world.close_preferences()
    world.run()  # Queued: without the on-commit callbacks, the task does not run.
    with pytest.raises(PlacementError, match="still under way"):
        world.run()
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementRun.objects.create(cycle=world.cycle, policy="exam_rank", seed=1, created_at=world.cycle.created_at)


def test_executing_a_run_twice_changes_nothing_more(world, django_capture_on_commit_callbacks):
    """The task is idempotent: a finished run is left as it is."""
    world.close_preferences()
    run = world.run(capture=django_capture_on_commit_callbacks)
    placement_run_execute(run_id=run.pk)
    assert Assignment.objects.filter(run=run).count() == 5
    assert PlacementRun.objects.get(pk=run.pk).assignment_sha256 == run.assignment_sha256


def test_the_blended_policy_uses_imported_suitability_scores(world, django_capture_on_commit_callbacks):
    """With all weight on suitability, the office's best-scored candidate wins its seat over a better exam rank."""
    world.close_preferences()
    first, *_rest, fourth, _fifth = world.candidates
    office_a = world.offices[0]
    suitability_import(cycle=world.cycle, office=office_a, filename="s.csv",
                                content=f"exam_number,score\n{first.exam_number},1\n{fourth.exam_number},9\n".encode())
    run = world.run(policy="blended", exam_weight=Decimal("0"), capture=django_capture_on_commit_callbacks)
    assert _placements(run)[4] == office_a.pk
    assert SuitabilityScore.objects.count() == 2
    assert snapshot_load(run)["suitability"][office_a.code][fourth.exam_number] == "9.000"


def test_replay_reproduces_the_hashes_and_detects_tampering(world, django_capture_on_commit_callbacks):
    """placement_replay recomputes the run from its snapshot: the hashes match, and a changed hash is reported."""
    world.close_preferences()
    run = world.run(capture=django_capture_on_commit_callbacks)
    out = io.StringIO()
    call_command("placement_replay", str(run.pk), stdout=out)
    assert "reproduces the stored run" in out.getvalue()
    assert out.getvalue().count(" match") == 2
    PlacementRun.objects.filter(pk=run.pk).update(assignment_sha256="0" * 64)
    with pytest.raises(CommandError, match="does not reproduce"):
        call_command("placement_replay", str(run.pk), stdout=io.StringIO())


def test_two_runs_compare_side_by_side_with_a_chart(client, staff, world, django_capture_on_commit_callbacks):
    """The compare page shows both runs' totals, who moves, and an SVG chart of achieved ranks."""
    world.close_preferences()
    run_a = world.run(capture=django_capture_on_commit_callbacks)
    suitability_import(cycle=world.cycle, office=world.offices[0], filename="s.csv",
                                content=f"exam_number,score\n{world.candidates[3].exam_number},9\n".encode())
    run_b = world.run(policy="blended", exam_weight=0, capture=django_capture_on_commit_callbacks)
    response = client.get(reverse("placement:run_compare", kwargs={"pk": world.cycle.pk}),
                          {"a": run_a.pk, "b": run_b.pk})
    body = response.content.decode()
    assert response.context["comparison"].moves
    assert "<svg" in body and world.candidates[3].exam_number in body


def test_publishing_notifies_and_locks_the_run_in_the_database(client, staff, world, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    """Publishing emails candidates and offices; afterwards the database refuses to change the run's rows."""
    world.close_preferences()
    run = world.run(capture=django_capture_on_commit_callbacks)
    mailoutbox.clear()  # The notices of the lists submitted at the deadline.
    make_user(Role.OFFICE_STAFF, office=world.offices[0], email="staff-a@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("placement:run_publish", kwargs={"pk": run.pk}))
    assert Publication.objects.get().run == run
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert "staff-a@example.com" in recipients and world.candidates[0].email in recipients
    publication_notify(publication_id=run.publication.pk)
    assert len(mailoutbox) == 6  # Five candidates and one office; a second notify sends nothing.
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.filter(run=run).update(office=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementRun.objects.filter(pk=run.pk).update(seed=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(run=run, candidate=world.candidates[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.filter(pk=run.publication.pk).update(reason="changed")


def test_postgresql_also_refuses_deleting_a_published_run(world, django_capture_on_commit_callbacks):
    """On PostgreSQL the trigger also refuses deleting a published run, its assignments or its publication."""
    if connection.vendor != "postgresql":
        require_service("PostgreSQL (set DATABASE_URL)")
    world.close_preferences()
    run = world.run(capture=django_capture_on_commit_callbacks)
    publication_create(run=run)
    for statement in ("DELETE FROM placement_assignment WHERE run_id = %s",
                      "DELETE FROM placement_publication WHERE run_id = %s",
                      "UPDATE placement_placementrun SET seed = 1 WHERE id = %s"):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [run.pk])
    assert Assignment.objects.filter(run=run).count() == 5


def test_an_unstable_or_stale_run_is_not_published(world, django_capture_on_commit_callbacks):
    """A run with blocking pairs, or whose inputs changed since its snapshot, is refused with a message."""
    world.close_preferences()
    run = world.run(capture=django_capture_on_commit_callbacks)
    PlacementRun.objects.filter(pk=run.pk).update(blocking_pairs=2)
    with pytest.raises(PlacementError, match="not stable"):
        publication_create(run=run)
    PlacementRun.objects.filter(pk=run.pk).update(blocking_pairs=0)
    Vacancy.objects.filter(office=world.offices[0]).update(seats=3)
    with pytest.raises(PlacementError, match="inputs changed"):
        publication_create(run=run)
    assert not Publication.objects.exists()


def test_a_correction_supersedes_the_published_run_and_both_are_kept(world, django_capture_on_commit_callbacks):
    """Publishing a second run needs a reason, supersedes the first, and keeps both."""
    world.close_preferences()
    first = world.run(capture=django_capture_on_commit_callbacks)
    publication_create(run=first)
    second = world.run(seed=8, capture=django_capture_on_commit_callbacks)
    with pytest.raises(PlacementError, match="Say why"):
        publication_create(run=second)
    correction = publication_create(run=second, reason="Seats of office A were wrong.")
    assert correction.supersedes == first.publication
    assert Publication.objects.count() == 2
    with pytest.raises(PlacementError, match="already published"):
        publication_create(run=first, reason="again")


def test_the_run_list_keeps_a_constant_number_of_queries(client, staff, world, page_queries,
                                                         django_capture_on_commit_callbacks):
    """The run list costs the same with one run or four."""
    world.close_preferences()
    world.run(capture=django_capture_on_commit_callbacks)
    url = reverse("placement:run_list", kwargs={"pk": world.cycle.pk})

    few = page_queries(client, url).count
    for seed in range(3):
        world.run(seed=seed, capture=django_capture_on_commit_callbacks)
    assert (few, page_queries(client, url).count) == (9, 9)


def test_the_run_page_shows_progress_stability_and_hashes(client, staff, world, django_capture_on_commit_callbacks):
    """A queued run shows a progress bar that refreshes; a finished one its hashes and stability check."""
    world.close_preferences()
    queued = world.run()
    body = client.get(reverse("placement:run_detail", kwargs={"pk": queued.pk})).content.decode()
    assert "<progress" in body and 'http-equiv="refresh"' in body
    placement_run_execute(run_id=queued.pk)
    queued.refresh_from_db()
    body = client.get(reverse("placement:run_detail", kwargs={"pk": queued.pk})).content.decode()
    assert queued.assignment_sha256 in body and "Stable" in body


def test_starting_a_run_in_the_ui_redirects_to_it(client, staff, world, django_capture_on_commit_callbacks):
    """The run form queues a run and shows it; a second start is refused with a message."""
    world.close_preferences()
    url = reverse("placement:run_list", kwargs={"pk": world.cycle.pk})
    response = client.post(url, {"policy": "exam_rank", "exam_weight": "1", "seed": "3"})
    run = PlacementRun.objects.get()
    assert response["Location"] == reverse("placement:run_detail", kwargs={"pk": run.pk})
    response = client.post(url, {"policy": "exam_rank", "exam_weight": "1", "seed": "3"}, follow=True)
    assert any("still under way" in str(message) for message in response.context["messages"])


def test_result_emails_go_out_in_batches_after_the_publication_commits(world, settings, mailoutbox,
                                                                         django_capture_on_commit_callbacks):
    """Publishing queues nothing until it commits; the emails then go out in batches of the configured size."""
    settings.EMAIL_BATCH_SIZE = 2
    world.close_preferences()
    run = world.run(capture=django_capture_on_commit_callbacks)
    mailoutbox.clear()  # The notices of the lists submitted at the deadline.
    with django_capture_on_commit_callbacks() as queued:
        publication = publication_create(run=run)
    assert len(queued) == 1 and not mailoutbox  # Only the planning task, and nothing sent inside the transaction.
    with django_capture_on_commit_callbacks() as batches:
        queued[0]()
    assert len(batches) == 3 and not mailoutbox  # Five candidates, two per batch.
    for batch in batches:
        batch()
    assert sorted(address for message in mailoutbox for address in message.to) == sorted(
        candidate.email for candidate in world.candidates)
    assert publication.emails.filter(sent_at__isnull=False).count() == 5


def test_a_failed_send_is_retried_without_emailing_anyone_twice(world, settings, mailoutbox,
                                                                django_capture_on_commit_callbacks):
    """When the mail server refuses one address, everyone else is emailed once and a retry sends only the rest."""
    world.close_preferences()
    run = world.run(capture=django_capture_on_commit_callbacks)
    mailoutbox.clear()  # The notices of the lists submitted at the deadline.
    settings.EMAIL_BACKEND = "tests.placement.mail_backends.RefusingEmailBackend"
    RefusingEmailBackend.refused = {world.candidates[2].email}
    with django_capture_on_commit_callbacks(execute=True):
        publication = publication_create(run=run)
    assert len(mailoutbox) == 4
    failed = publication.emails.get(sent_at__isnull=True)
    assert failed.to == [world.candidates[2].email] and "mailbox unavailable" in failed.error
    RefusingEmailBackend.refused = set()
    email_ids = list(publication.emails.values_list("pk", flat=True))
    assert publication_emails_send(email_ids=email_ids) == 1
    assert publication_emails_send(email_ids=email_ids) == 0
    assert sorted(address for message in mailoutbox for address in message.to) == sorted(
        candidate.email for candidate in world.candidates)


def test_a_failing_run_records_its_error_and_frees_the_cycle(world, monkeypatch, django_capture_on_commit_callbacks):
    """When the engine fails, the run is marked failed with the reason, and a new run may start."""
    from placement.services import runs

    def broken(data):
        raise ValueError("office X ranks unknown candidate")

    world.close_preferences()
    monkeypatch.setattr(runs, "solve_snapshot", broken)
    run = world.run(capture=django_capture_on_commit_callbacks)
    assert run.status == PlacementRun.Status.FAILED and "unknown candidate" in run.error
    monkeypatch.undo()
    assert world.run(seed=2, capture=django_capture_on_commit_callbacks).status == PlacementRun.Status.SUCCEEDED


def test_the_comparison_keeps_a_constant_number_of_queries(client, staff, world, page_queries,
                                                           django_capture_on_commit_callbacks):
    """Comparing two runs costs the same whether no candidate moves or several do."""
    world.close_preferences()
    run_a = world.run(capture=django_capture_on_commit_callbacks)
    content = "exam_number,score\n" + "".join(
        f"{candidate.exam_number},{10 - index}\n" for index, candidate in enumerate(reversed(world.candidates)))
    suitability_import(cycle=world.cycle, office=world.offices[0], filename="s.csv", content=content.encode())
    run_b = world.run(policy="blended", exam_weight=0, capture=django_capture_on_commit_callbacks)
    url = reverse("placement:run_compare", kwargs={"pk": world.cycle.pk})

    same = page_queries(client, url, {"a": run_a.pk, "b": run_a.pk})
    different = page_queries(client, url, {"a": run_a.pk, "b": run_b.pk})
    assert (len(same.response.context["comparison"].moves), same.count) == (0, 12)
    assert len(different.response.context["comparison"].moves) >= 2 and different.count == 12


def test_only_submitted_lists_enter_a_snapshot(world):
    """A saved list that is not submitted is not part of the run's inputs."""
    submitted, draft = world.candidates[0], world.candidates[1]
    preference_list_submit(candidate=submitted)
    data = snapshot_build(cycle=world.cycle, policy="exam_rank", exam_weight=1, seed=1)
    assert data["preferences"][submitted.exam_number] == [world.offices[0].code, world.offices[1].code]
    assert data["preferences"][draft.exam_number] == []


def test_lists_left_unsubmitted_are_submitted_at_the_deadline_with_a_notice(world, mailoutbox,
                                                                          django_capture_on_commit_callbacks):
    """At the deadline every saved list is submitted as of the deadline, its candidate is emailed the receipt,
    and the run places candidates by exactly those lists."""
    preference_list_submit(candidate=world.candidates[0])
    world.close_preferences()
    with django_capture_on_commit_callbacks(execute=True):
        preference_lists_submit_due_task()
    lists = {pl.candidate_id: pl for pl in PreferenceList.objects.all()}
    assert not lists[world.candidates[0].pk].submitted_automatically
    automatic = [lists[candidate.pk] for candidate in world.candidates[1:]]
    assert all(pl.submitted_automatically and pl.submitted_at == world.cycle.preferences_until for pl in automatic)
    assert sorted(message.to[0] for message in mailoutbox) == sorted(c.email for c in world.candidates[1:])
    bodies = {message.to[0]: message.body for message in mailoutbox}
    assert all(pl.submitted_sha256 in bodies[pl.candidate.email] for pl in automatic)
    # A second pass submits nothing and emails nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        preference_lists_submit_due_task()
    assert len(mailoutbox) == 4
    run = world.run(capture=django_capture_on_commit_callbacks)
    assert all(data for data in json.loads(run.snapshot)["preferences"].values())


def test_a_run_submits_what_the_periodic_task_has_not_yet(client, staff, world, django_capture_on_commit_callbacks):
    """Starting a run right after the deadline submits the remaining lists first; the run page counts them."""
    world.close_preferences()
    run = world.run(capture=django_capture_on_commit_callbacks)
    assert PreferenceList.objects.filter(submitted_automatically=True).count() == 5
    assert run.stats["placed"] == 4
    response = client.get(reverse("placement:run_list", kwargs={"pk": world.cycle.pk}))
    assert response.context["submissions"] == PreferenceSubmissions(
        submitted=0, submitted_automatically=5, unsubmitted=0, without_list=0)


def test_a_run_whose_task_was_lost_is_swept_and_the_cycle_is_free_again(world, staff):
    """A run left queued (the broker was down when it was queued) blocks every start until the sweeper fails it."""
    world.close_preferences()
    with translation.override("en"):
        lost = placement_run_start(cycle=world.cycle, policy="exam_rank", exam_weight=1, seed=1, acting_user=staff)
        with pytest.raises(PlacementError, match="still under way"):
            placement_run_start(cycle=world.cycle, policy="exam_rank", exam_weight=1, seed=2, acting_user=staff)
        assert placement_runs_sweep(older_than_minutes=30) == 0  # Too young to call lost.
        with clock.frozen_at(clock.now() + timedelta(minutes=31)):
            assert placement_runs_sweep(older_than_minutes=30) == 1
        lost.refresh_from_db()
        assert lost.status == PlacementRun.Status.FAILED and "Start it again" in lost.error
        assert placement_run_start(cycle=world.cycle, policy="exam_rank", exam_weight=1, seed=3, acting_user=staff)


def test_staff_cancel_a_stuck_run_from_its_page(client, world, staff):
    world.close_preferences()
    run = placement_run_start(cycle=world.cycle, policy="exam_rank", exam_weight=1, seed=1, acting_user=staff)
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("placement:run_detail", kwargs={"pk": run.pk})).content.decode()
    assert "Cancel this run" in page
    assert client.post(reverse("placement:run_cancel", kwargs={"pk": run.pk})).status_code == 302
    run.refresh_from_db()
    assert run.status == PlacementRun.Status.FAILED and "Cancelled by" in run.error
    again = client.post(reverse("placement:run_cancel", kwargs={"pk": run.pk}), follow=True)
    assert "already finished" in again.content.decode()
