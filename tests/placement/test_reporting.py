"""After publication: each placed candidate confirms, declines or asks to defer once; offices report late seats."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from core import clock
from core.audit import history_list
from media_pipeline.models import EvidenceFile
from placement.models import LateVacancy, PlaceResponse
from placement.services.common import PlacementError
from placement.services.publications import publication_create
from placement.services.reporting import (
    late_vacancy_decide,
    late_vacancy_report,
    place_confirm,
    place_decline,
    place_deferral_decide,
    place_deferral_request,
    place_responses_lapse_due,
    place_responses_remind_due,
)
from tests.factories import ExamCycleFactory, LandOfficeFactory, make_user
from tests.media_pipeline.factories import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


@pytest.fixture
def published(world, django_capture_on_commit_callbacks):
    """The world's exam-rank run published; every candidate has an account to answer with."""
    for candidate in world.candidates:
        candidate.user = make_user(Role.CANDIDATE)
        candidate.save(update_fields=["user"])
    world.close_preferences()
    run = world.run(capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        publication_create(run=run, acting_user=make_user(Role.EXAM_STAFF))
    world.cycle.report_by = clock.now() + timedelta(days=14)
    world.cycle.save(update_fields=["report_by"])
    return world


def _response(world, index):
    return PlaceResponse.objects.select_related("candidate", "cycle").get(candidate=world.candidates[index])


def test_publishing_opens_one_pending_answer_per_placed_candidate(published):
    placed = published.cycle.runs.get().assignments.filter(office__isnull=False).count()
    assert PlaceResponse.objects.filter(state=PlaceResponse.State.PENDING).count() == placed == 4


def test_a_place_takes_one_decision_only(published):
    response = _response(published, 0)
    place_confirm(response=response, acting_user=response.candidate.user)
    with pytest.raises(PlacementError, match="already answered"):
        place_decline(response=response, reason="改變心意", acting_user=response.candidate.user)
    response.refresh_from_db()
    assert response.state == PlaceResponse.State.CONFIRMED
    assert [entry.additional_data["event"] for entry in history_list(event_prefix="place")] == ["place.confirmed"]


def test_only_the_candidate_placed_answers_for_the_place(published):
    response = _response(published, 0)
    with pytest.raises(PlacementError, match="Only the candidate placed here"):
        place_confirm(response=response, acting_user=published.candidates[1].user)
    assert PlaceResponse.objects.get(pk=response.pk).state == PlaceResponse.State.PENDING


def test_a_decline_after_the_deadline_is_refused(published):
    response = _response(published, 1)
    with clock.frozen_at(published.cycle.report_by + timedelta(minutes=1)):
        with pytest.raises(PlacementError, match="deadline to answer"):
            place_decline(response=response, reason="太遠", acting_user=response.candidate.user)
    assert PlaceResponse.objects.get(pk=response.pk).state == PlaceResponse.State.PENDING


def test_a_deferral_is_decided_once_by_examination_staff_and_the_candidate_is_told(published, mailoutbox,
                                                                                  django_capture_on_commit_callbacks):
    response = _response(published, 2)
    staff = make_user(Role.EXAM_STAFF)
    mailoutbox.clear()  # The result notices of the publication are not what this test reads.
    with pytest.raises(PlacementError, match="Attach the evidence"):
        place_deferral_request(response=response, deferral_reason="military_service", reason="入伍",
                               acting_user=response.candidate.user)
    place_deferral_request(response=response, deferral_reason="military_service", reason="入伍服役一年",
                           evidence_files=[SimpleUploadedFile("徵集令.pdf", PDF)], acting_user=response.candidate.user)
    response.refresh_from_db()
    assert response.state == PlaceResponse.State.DEFERRAL_REQUESTED and response.evidence.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        place_deferral_decide(response=response, approve=True, decision_reason="役期證明齊全", acting_user=staff)
    response.refresh_from_db()
    assert (response.state, response.decided_by, response.decision_reason) == (
        PlaceResponse.State.DEFERRED, staff, "役期證明齊全")
    assert response.frees_the_seat and len(mailoutbox) == 1 and "役期證明齊全" in mailoutbox[0].body
    with pytest.raises(PlacementError, match="already decided"):
        place_deferral_decide(response=response, approve=False, decision_reason="再議", acting_user=staff)


def test_a_disguised_file_refuses_the_whole_deferral_request(published):
    response = _response(published, 2)
    with pytest.raises(PlacementError, match="Only PDF, JPEG and PNG"):
        place_deferral_request(response=response, deferral_reason="illness", reason="住院",
                               evidence_files=[SimpleUploadedFile("ok.pdf", PDF),
                                               SimpleUploadedFile("診斷書.pdf", b"MZ\x90\x00" + b"\0" * 60)],
                               acting_user=response.candidate.user)
    response.refresh_from_db()
    assert response.state == PlaceResponse.State.PENDING and not EvidenceFile.objects.exists()


def test_a_refused_deferral_lets_the_candidate_answer_again(published):
    response = _response(published, 3)
    place_deferral_request(response=response, deferral_reason="other", reason="家中有事",
                           evidence_files=[SimpleUploadedFile("a.pdf", PDF)], acting_user=response.candidate.user)
    place_deferral_decide(response=response, approve=False, decision_reason="理由不符規定",
                          acting_user=make_user(Role.EXAM_STAFF))
    place_confirm(response=response, acting_user=response.candidate.user)
    assert PlaceResponse.objects.get(pk=response.pk).state == PlaceResponse.State.CONFIRMED


def test_pending_places_are_reminded_once_then_lapse_at_the_deadline(published, mailoutbox):
    cycle = published.cycle
    place_confirm(response=_response(published, 0), acting_user=published.candidates[0].user)
    mailoutbox.clear()  # The result notices of the publication are not what this test reads.
    with clock.frozen_at(cycle.report_by - timedelta(hours=10)):
        assert place_responses_remind_due(cycle=cycle) == 3
        assert place_responses_remind_due(cycle=cycle) == 0
        assert place_responses_lapse_due(cycle=cycle) == 0
    assert len(mailoutbox) == 3
    with clock.frozen_at(cycle.report_by):
        assert place_responses_lapse_due(cycle=cycle) == 3
    states = sorted(PlaceResponse.objects.values_list("state", flat=True))
    assert states == ["confirmed", "lapsed", "lapsed", "lapsed"]


def test_late_vacancies_come_from_offices_of_the_cycle_and_are_decided_once(published):
    staff_user = make_user(Role.OFFICE_STAFF, office=published.offices[0])
    with pytest.raises(PlacementError, match="takes no part in this cycle"):
        late_vacancy_report(cycle=published.cycle, office=LandOfficeFactory(), seats=1, reason="退休",
                            acting_user=staff_user)
    with pytest.raises(PlacementError, match="from 1 to 50"):
        late_vacancy_report(cycle=published.cycle, office=published.offices[0], seats=0, reason="退休",
                            acting_user=staff_user)
    late = late_vacancy_report(cycle=published.cycle, office=published.offices[0], seats=1, reason="同仁退休",
                               acting_user=staff_user)
    exam_staff = make_user(Role.EXAM_STAFF)
    late_vacancy_decide(late=late, approve=True, decision_reason="", acting_user=exam_staff)
    with pytest.raises(PlacementError, match="already decided"):
        late_vacancy_decide(late=late, approve=False, decision_reason="重複", acting_user=exam_staff)
    assert LateVacancy.objects.get().state == LateVacancy.State.APPROVED


def test_a_published_result_with_answers_cannot_be_replaced(published, django_capture_on_commit_callbacks):
    place_confirm(response=_response(published, 0), acting_user=published.candidates[0].user)
    run = published.run(capture=django_capture_on_commit_callbacks, seed=99)
    with pytest.raises(PlacementError, match="already answered the published places"):
        publication_create(run=run, acting_user=make_user(Role.EXAM_STAFF), reason="更正")


def test_the_pages_take_a_candidates_answer_and_show_it_to_the_office_and_the_staff(client, published):
    """The candidate declines on their result page; the office sees it; staff decide a late vacancy by page."""
    candidate = published.candidates[1]
    response = _response(published, 1)
    client.force_login(candidate.user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("placement:candidate_result", kwargs={"pk": candidate.pk})).content.decode()
    assert "I will report for duty" in page and "Decline the place" in page
    answer = reverse("placement:place_answer", kwargs={"pk": candidate.pk})
    assert client.post(answer, {"action": "decline", "reason": "通勤過遠"}).status_code == 302
    assert client.post(answer, {"action": "confirm"}, follow=True).content.decode().count("already answered") == 1
    assert PlaceResponse.objects.get(pk=response.pk).state == PlaceResponse.State.DECLINED
    other = published.candidates[0]
    assert client.post(reverse("placement:place_answer", kwargs={"pk": other.pk}), {"action": "confirm"}
                       ).status_code == 404
    office_user = make_user(Role.OFFICE_STAFF, office=response.office)
    client.force_login(office_user)
    page = client.get(reverse("placement:office_placements", kwargs={"code": response.office.code})).content.decode()
    assert "通勤過遠" in page
    assert client.post(reverse("placement:late_vacancy_report", kwargs={"code": response.office.code}),
                       {"seats": "2", "reason": "同仁調職"}).status_code == 302
    staff = make_user(Role.EXAM_STAFF)
    client.force_login(staff)
    overview = reverse("placement:after_publication", kwargs={"pk": published.cycle.pk})
    page = client.get(overview).content.decode()
    assert "同仁調職" in page and "1 seat is free" in page
    late = LateVacancy.objects.get()
    assert client.post(reverse("placement:late_vacancy_decide", kwargs={"pk": late.pk}),
                       {"approve": "yes", "decision_reason": ""}).status_code == 302
    assert "3 seats are free" in client.get(overview).content.decode()


def test_the_dashboard_asks_a_placed_candidate_to_answer_until_they_do(client, published):
    candidate = published.candidates[0]
    client.force_login(candidate.user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("dashboard")).content.decode()
    assert "Answer your placement" in page and "Rank the offices you want" not in page
    place_confirm(response=_response(published, 0), acting_user=candidate.user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Answer your placement" not in page and "See your placement result" in page


def test_office_staff_report_late_seats_only_for_their_office_and_only_staff_decide(client, published):
    """Another office's code answers 404 to office staff; a candidate cannot reach the staff pages at all."""
    own, other = published.offices[0], published.offices[1]
    client.force_login(make_user(Role.OFFICE_STAFF, office=own))
    url = reverse("placement:late_vacancy_report", kwargs={"code": other.code})
    assert client.post(url, {"seats": "1", "reason": "冒名申報"}).status_code == 404
    assert client.get(reverse("placement:office_placements", kwargs={"code": other.code})).status_code == 404
    assert not LateVacancy.objects.exists()
    response = _response(published, 2)
    place_deferral_request(response=response, deferral_reason="illness", reason="住院",
                           evidence_files=[SimpleUploadedFile("a.pdf", PDF)], acting_user=response.candidate.user)
    client.force_login(response.candidate.user)
    decide = reverse("placement:deferral_decide", kwargs={"pk": response.pk})
    assert client.post(decide, {"approve": "yes", "decision_reason": "自己核准"}).status_code == 403
    assert client.get(reverse("placement:after_publication", kwargs={"pk": published.cycle.pk})).status_code == 403
    assert PlaceResponse.objects.get(pk=response.pk).state == PlaceResponse.State.DEFERRAL_REQUESTED


def test_an_approved_deferral_carries_into_next_years_cycle(client, published):
    response = _response(published, 2)
    place_deferral_request(response=response, deferral_reason="military_service", reason="入伍服役",
                           evidence_files=[SimpleUploadedFile("a.pdf", PDF)], acting_user=response.candidate.user)
    staff = make_user(Role.EXAM_STAFF)
    place_deferral_decide(response=response, approve=True, decision_reason="證明齊全", acting_user=staff)
    next_year = ExamCycleFactory(year=published.cycle.year + 1, is_current=False)
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("placement:cycle_detail", kwargs={"pk": next_year.pk})).content.decode()
    assert "Deferred from earlier cycles" in page and response.candidate.exam_number in page
    same_year = client.get(reverse("placement:cycle_detail", kwargs={"pk": published.cycle.pk})).content.decode()
    assert "Deferred from earlier cycles" not in same_year
