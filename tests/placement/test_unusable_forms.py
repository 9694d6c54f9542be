"""Pages say why a form cannot be used, and when it can, instead of a form that fails on submit; the result page
speaks to the candidate only when the candidate reads it (#15)."""
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.roles import Role
from core import clock
from placement.services.cycles import exam_cycle_set_deadlines
from placement.services.publications import publication_create
from tests.factories import CandidateFactory, make_user

pytestmark = pytest.mark.django_db


def test_before_the_preference_deadline_the_run_page_says_when_runs_can_start(client, staff, world):
    deadline = clock.now() + timedelta(days=3)
    exam_cycle_set_deadlines(cycle=world.cycle, deadlines={"preferences_until": deadline})
    body = client.get(reverse("placement:run_list", kwargs={"pk": world.cycle.pk})).content.decode()
    when = deadline.astimezone(ZoneInfo("Asia/Taipei")).strftime("%Y-%m-%d %H:%M")
    assert "Runs can start after the preference deadline, " + when in body
    assert 'name="policy"' not in body and "Start the run" not in body


def test_after_the_preference_deadline_the_run_form_is_offered(client, staff, world):
    world.close_preferences()
    body = client.get(reverse("placement:run_list", kwargs={"pk": world.cycle.pk})).content.decode()
    assert 'name="policy"' in body and "Runs can start after" not in body


def test_after_publication_the_import_pages_say_why_and_offer_no_form(client, staff, world,
                                                                        django_capture_on_commit_callbacks):
    world.close_preferences()
    publication_create(run=world.run(capture=django_capture_on_commit_callbacks))
    for kind, reason in [("suitability", "Suitability scores can no longer change: the result is published."),
                         ("candidates", "Candidates can no longer be imported: the preference deadline has passed."),
                         ("vacancies", "Vacancies can no longer be imported: the preference deadline has passed.")]:
        body = client.get(reverse("placement:cycle_import", kwargs={"pk": world.cycle.pk, "kind": kind})
                          ).content.decode()
        assert reason in body, kind
        assert 'type="file"' not in body and "Check and import" not in body, kind


def test_staff_read_about_the_candidate_and_the_candidate_reads_to_themselves(client, staff, cycle):
    """Before publishing, staff are not told that they will get the candidate's email."""
    candidate = CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE))
    url = reverse("placement:candidate_result", kwargs={"pk": candidate.pk})
    body = client.get(url).content.decode()
    assert "You will get an email" not in body and "The candidate gets an email when it is." in body
    client.force_login(candidate.user)
    assert "You will get an email when it is." in client.get(url).content.decode()


def test_staff_read_the_published_place_in_the_third_person(client, staff, world, django_capture_on_commit_callbacks):
    world.close_preferences()
    publication_create(run=world.run(capture=django_capture_on_commit_callbacks))
    first = world.candidates[0]
    body = client.get(reverse("placement:candidate_result", kwargs={"pk": first.pk})).content.decode()
    assert f"The candidate is placed at {world.offices[0].name_en}, their choice 1." in body
    assert "You are placed" not in body and "Your placement" not in body and "You got your first choice" not in body


def test_staff_read_why_the_candidate_missed_a_higher_choice_in_the_third_person(client, staff, world,
                                                                                 django_capture_on_commit_callbacks):
    world.close_preferences()
    publication_create(run=world.run(capture=django_capture_on_commit_callbacks))
    second = world.candidates[1]  # Ranked the first office, whose one seat went to exam rank 1.
    body = client.get(reverse("placement:candidate_result", kwargs={"pk": second.pk})).content.decode()
    assert "Why not an office the candidate ranked higher" in body
    assert "(the candidate's choice 1) filled its 1 seat with a candidate it ranks higher: the candidate was " \
           "number 2 in its order" in body.replace("&#x27;", "'")
    assert "your choice" not in body and "you were number" not in body
