"""Published results stay as published: names copied into the published rows, TRUNCATE refused, tampering detected."""
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from placement.models import Assignment, Candidate, LandOffice, PlacementRun, Publication
from placement.services.publications import publication_create
from tests.conftest import require_service
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _publish(world, capture, *, execute=True):
    world.close_preferences()
    run = world.run(capture=capture)
    with capture(execute=execute) as callbacks:
        publication = publication_create(run=run)
    return publication, callbacks


def _rename(world):
    """Rename the first candidate (placed at the first office) and that office, and renumber the candidate."""
    first, office = world.candidates[0], world.offices[0]
    published = {"name": first.name, "number": first.exam_number, "office": office.name, "office_en": office.name_en}
    Candidate.objects.filter(pk=first.pk).update(name="改名後", exam_number="X-RENAMED")
    LandOffice.objects.filter(pk=office.pk).update(name="改名地政事務所", name_en="Renamed Land Office")
    return published


def _csv(client, world, fmt="csv"):
    response = client.get(reverse("placement:cycle_export", kwargs={"pk": world.cycle.pk, "kind": "results"}),
                          {"format": fmt})
    if fmt == "csv":
        return response.content.decode("utf-8-sig")
    return "\n".join(",".join("" if v is None else str(v) for v in row)
                     for row in load_workbook(io.BytesIO(response.content)).active.values)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_renaming_a_candidate_or_office_after_publishing_leaves_the_exports_as_published(
        client, staff, world, fmt, django_capture_on_commit_callbacks):
    """The exported result keeps the names and exam numbers it was published with."""
    _publish(world, django_capture_on_commit_callbacks)
    published = _rename(world)
    export = _csv(client, world, fmt)
    assert published["name"] in export and published["number"] in export and published["office"] in export
    assert "改名後" not in export and "X-RENAMED" not in export and "改名地政事務所" not in export


def test_renaming_after_publishing_leaves_the_result_pages_as_published(client, staff, world,
                                                                        django_capture_on_commit_callbacks):
    """The staff result table, the candidate's result and the office's list show the names as published."""
    _publish(world, django_capture_on_commit_callbacks)
    published = _rename(world)
    table = client.get(reverse("placement:cycle_results", kwargs={"pk": world.cycle.pk})).content.decode()
    assert published["name"] in table and published["office_en"] in table
    assert "改名後" not in table and "Renamed Land Office" not in table
    result = client.get(reverse("placement:candidate_result", kwargs={"pk": world.candidates[0].pk}))
    # Examination staff read about the candidate, in the third person (#15).
    assert f"The candidate is placed at {published['office_en']}" in result.content.decode()
    office_staff = make_user(Role.OFFICE_STAFF, office=world.offices[0])
    client.force_login(office_staff)
    page = client.get(reverse("placement:office_placements", kwargs={"code": world.offices[0].code}))
    body = page.content.decode()
    assert published["name"] in body and published["number"] in body and "改名後" not in body


def test_result_emails_sent_after_a_rename_name_what_was_published(world, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    """The emails go out after the publication commits; a rename in between does not reach them."""
    make_user(Role.OFFICE_STAFF, office=world.offices[0], email="staff-a@example.com")
    _publication, callbacks = _publish(world, django_capture_on_commit_callbacks, execute=False)
    mailoutbox.clear()  # The notices of the lists submitted at the deadline.
    published = _rename(world)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    result = next(message for message in mailoutbox if message.to == [world.candidates[0].email])
    office = next(message for message in mailoutbox if message.to == ["staff-a@example.com"])
    assert published["name"] in result.body and published["office"] in result.body
    assert published["office"] in office.subject and published["name"] in office.body
    assert "改名" not in result.body + office.subject + office.body


def test_a_published_row_refuses_changes_to_what_it_shows(world, django_capture_on_commit_callbacks):
    """The copied names are part of the published row, which the database refuses to change."""
    publication, _callbacks = _publish(world, django_capture_on_commit_callbacks)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.filter(run=publication.run).update(candidate_name="someone else")
    assert set(Assignment.objects.filter(run=publication.run).values_list("candidate_name", flat=True)) == {
        candidate.name for candidate in world.candidates}


def _truncate(table: str) -> None:
    # A production session does not allow TRUNCATE; the test suite's own sessions do, to flush between tests. The
    # rows were written in this test's transaction, so their deferred foreign-key checks run first.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL placement.allow_truncate = 'off'")
        cursor.execute(f"TRUNCATE {table} CASCADE")


@pytest.mark.parametrize("table", ["placement_assignment", "placement_placementrun", "placement_publication",
                                   "placement_candidate"])
def test_postgresql_refuses_truncating_published_results(world, table, django_capture_on_commit_callbacks):
    """TRUNCATE, which row triggers never see, is refused on every table that holds published results, also when
    it reaches them by CASCADE from the candidates."""
    if connection.vendor != "postgresql":
        require_service("PostgreSQL (set DATABASE_URL)")
    publication, _callbacks = _publish(world, django_capture_on_commit_callbacks)
    with pytest.raises(IntegrityError, match="published placement results cannot change"), transaction.atomic():
        _truncate(table)
    assert Assignment.objects.filter(run=publication.run).count() == 5
    assert Publication.objects.filter(pk=publication.pk).exists()


def test_postgresql_allows_truncating_runs_while_nothing_is_published(world, django_capture_on_commit_callbacks):
    """Before anything is published the guard stands aside."""
    if connection.vendor != "postgresql":
        require_service("PostgreSQL (set DATABASE_URL)")
    world.close_preferences()
    world.run(capture=django_capture_on_commit_callbacks)
    with transaction.atomic():
        _truncate("placement_assignment")
    assert not Assignment.objects.exists() and PlacementRun.objects.exists()


def _without_triggers(sql: str, params: list) -> None:
    """Change published rows as the tables' owner could: PostgreSQL disables the triggers, SQLite drops them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # The rows of this test's transaction are checked first.
            cursor.execute("ALTER TABLE placement_assignment DISABLE TRIGGER placement_assignment_immutable")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE placement_assignment ENABLE TRIGGER placement_assignment_immutable")
        else:
            cursor.execute("DROP TRIGGER placement_assignment_immutable_update")
            cursor.execute(sql, params)


@pytest.mark.parametrize("change", ["office", "name"])
def test_placement_verify_reports_a_published_row_changed_behind_the_triggers(
        world, change, django_capture_on_commit_callbacks):
    """A row changed with the triggers disabled no longer matches the stored hashes, and the check says which."""
    publication, _callbacks = _publish(world, django_capture_on_commit_callbacks)
    out = io.StringIO()
    call_command("placement_verify", stdout=out)
    assert "matches" in out.getvalue()
    row = Assignment.objects.get(run=publication.run, candidate=world.candidates[0])
    with transaction.atomic():
        if change == "office":
            _without_triggers("UPDATE placement_assignment SET office_id = %s, office_code = %s WHERE id = %s",
                              [world.offices[1].pk, world.offices[1].code, row.pk])
        else:
            _without_triggers("UPDATE placement_assignment SET candidate_name = %s WHERE id = %s", ["冒名", row.pk])
        errors = io.StringIO()
        with pytest.raises(CommandError):
            call_command("placement_verify", stdout=io.StringIO(), stderr=errors)
        transaction.set_rollback(True)
    assert f"publication {publication.pk}" in errors.getvalue()
    assert "the published rows changed" in errors.getvalue()
    if change == "office":
        assert "no longer matches the run's assignment hash" in errors.getvalue()


def test_the_daily_check_logs_a_change_behind_the_triggers(world, caplog, django_capture_on_commit_callbacks):
    """The beat task runs the same check as placement_verify and logs an error naming the publication."""
    from placement.tasks import published_results_verify_task

    publication, _callbacks = _publish(world, django_capture_on_commit_callbacks)
    assert published_results_verify_task() == 0
    row = Assignment.objects.get(run=publication.run, candidate=world.candidates[0])
    with transaction.atomic():
        _without_triggers("UPDATE placement_assignment SET candidate_name = %s WHERE id = %s", ["冒名", row.pk])
        with caplog.at_level("ERROR", logger="placement.tasks"):
            assert published_results_verify_task() >= 1
        transaction.set_rollback(True)
    assert f"publication {publication.pk}" in caplog.text and "behind the database's guard" in caplog.text


def test_examination_staff_check_a_cycle_on_the_web_as_placement_verify_does(client, staff, world,
                                                                              django_capture_on_commit_callbacks):
    """The command's check has its page: intact, then a row changed behind the triggers is named."""
    url = reverse("placement:published_verify", kwargs={"pk": world.cycle.pk})
    assert "Nothing is published in this cycle yet." in client.get(url).content.decode()
    publication, _callbacks = _publish(world, django_capture_on_commit_callbacks)
    assert "The 1 publication of this cycle matches its stored hashes." in client.get(url).content.decode()
    row = Assignment.objects.get(run=publication.run, candidate=world.candidates[0])
    with transaction.atomic():
        _without_triggers("UPDATE placement_assignment SET candidate_name = %s WHERE id = %s", ["冒名", row.pk])
        page = client.get(url).content.decode()
        transaction.set_rollback(True)
    assert "Published results changed" in page and f"publication {publication.pk}" in page
