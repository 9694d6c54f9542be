"""The placement services write the one audit history: who did what, when, and what changed."""
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.audit import event_name, history_for, history_list
from placement.models import PreferenceList, Vacancy
from placement.services.imports import suitability_import, vacancies_import
from placement.services.preferences import preference_list_submit
from placement.services.publications import publication_create
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_cycle_records_deadlines_submissions_runs_and_its_publication(world, django_capture_on_commit_callbacks):
    """Each step of the cycle leaves an entry naming its actor (None for the system) and what it changed."""
    staff = make_user(Role.EXAM_STAFF)
    preference_list_submit(candidate=world.candidates[0])
    previous_deadline = world.cycle.preferences_until
    world.close_preferences()
    run = world.run(user=staff, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        publication_create(run=run, acting_user=staff)

    [deadlines] = history_list(event_prefix="exam_cycle.deadlines_set")
    assert deadlines.changes["preferences_until"][0] == previous_deadline
    submitted = PreferenceList.objects.get(candidate=world.candidates[0])
    assert [event_name(entry) for entry in history_for(submitted)] == ["preference_list.submitted"]
    automatic = history_list(event_prefix="preference_list.submitted_automatically")
    assert automatic.count() == 4 and all(entry.actor is None for entry in automatic)
    assert [(event_name(e), e.actor) for e in history_for(run)] == [
        ("placement_run.succeeded", None), ("placement_run.started", staff)]
    entries = {event_name(entry): entry for entry in history_for(run.publication)}
    assert set(entries) == {"publication.published", "publication.emails_planned"}
    assert entries["publication.published"].actor == staff
    assert entries["publication.published"].additional_data["assignment_sha256"] == run.assignment_sha256
    assert entries["publication.emails_planned"].additional_data["emails"] == 5

def test_imports_record_their_counts_and_every_changed_value(client, world):
    """An import's entry names the file and its counts; seats and scores changed one by one keep old → new."""
    staff = make_user(Role.EXAM_STAFF)
    client.force_login(staff)
    office = world.offices[0]
    vacancies_import(cycle=world.cycle, content=f"office,seats\n{office.code},3\n".encode(), filename="v.csv")
    suitability_import(cycle=world.cycle, office=office, filename="s.csv",
                       content=f"exam_number,score\n{world.candidates[0].exam_number},7.5\n".encode())
    suitability_import(cycle=world.cycle, office=office, filename="s2.csv",
                       content=f"exam_number,score\n{world.candidates[0].exam_number},8\n".encode())
    [imported] = history_list(event_prefix="exam_cycle.vacancies_imported")
    assert imported.additional_data | {"event": None} == {
        "event": None, "file": "v.csv", "created": 0, "updated": 1, "unchanged": 0}
    vacancy = Vacancy.objects.get(cycle=world.cycle, office=office)
    [seats] = history_list(event_prefix="vacancy.updated")
    assert seats.object_pk == str(vacancy.pk) and seats.changes["seats"] == [1, 3]
    [score_change] = history_list(event_prefix="suitability_score.updated")
    assert [Decimal(str(value)) for value in score_change.changes["score"]] == [Decimal("7.5"), Decimal("8")]
    # Examination staff read the same entries on the history page.
    response = client.get(reverse("history:log"), {"event": "exam_cycle"})
    assert response.status_code == 200 and "v.csv" in response.content.decode()
