"""Browser journey after the placement: answers to places, a late seat, and a supplementary round that fills them.

Examination staff run and publish the main placement and set the report-by time. The candidate placed at Xinyi
declines; the one placed at Hsinchu asks to defer, with a PDF; Taichung reports a late seat. Staff approve the
deferral and the late seat, start round 2 and publish it, and the outcomes page shows both rounds. The two freed
seats and the late one go to the two unplaced candidates and the reserve list, and nobody placed before moves.

Set SCREENSHOTS=1 to write its screenshots to docs/screenshots/; a normal run leaves the tree alone.
"""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from core import clock
from placement.models import LateVacancy, PlacementRun, PlaceResponse, Publication
from placement.services.cycles import exam_cycle_set_deadlines
from placement.services.preferences import preference_list_save, preference_list_submit
from tests.browser.journey import local_time, sign_in
from tests.browser.screenshots import screenshot
from tests.factories import (
    CandidateFactory,
    ExamCycleFactory,
    LandOfficeFactory,
    VacancyFactory,
    make_user,
)
from tests.media_pipeline.factories import PDF

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]






def _section(page, heading: str):
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def _cells(page, office_name: str) -> list[str]:
    """Return the figures of an office's row on the outcomes page, after its name."""
    row = _section(page, "By land office").get_by_role("row", name=re.compile(office_name))
    return [text.strip() for text in row.locator("td").all_inner_texts()]


def test_a_declined_a_deferred_and_a_late_seat_are_filled_in_a_published_second_round(live_server, browser,
                                                                                        settings, tmp_path):
    """Publish; decline, defer and report a late seat; approve; run and publish round 2; read both rounds."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cycle = ExamCycleFactory(is_current=True, name="2026 Surveying exam")
    xinyi = LandOfficeFactory(code="TPE-XINYI", name="臺北市信義地政事務所", name_en="Xinyi Land Office",
                              county="臺北市", county_en="Taipei City")
    hsinchu = LandOfficeFactory(code="HSZ-HSINCHU", name="新竹市新竹地政事務所", name_en="Hsinchu Land Office",
                                county="新竹市", county_en="Hsinchu City")
    taichung = LandOfficeFactory(code="TXG-CENTRAL", name="臺中市中正地政事務所", name_en="Taichung Land Office",
                                 county="臺中市", county_en="Taichung City")
    for office in (xinyi, hsinchu, taichung):
        VacancyFactory(cycle=cycle, office=office, seats=1)
    exam_staff = make_user(Role.EXAM_STAFF, name="Lee Shu-fen")
    office_staff = make_user(Role.OFFICE_STAFF, office=taichung, name="Wu Chia-hao")
    # By exam rank the main run gives Xinyi to rank 1, Hsinchu to rank 2 and Taichung to rank 3, whose first
    # choice Xinyi was taken; ranks 4 and 5 and the reserve candidate are left without a seat.
    lists = [("Chen Wei-ting", [xinyi]), ("Lin Yu-chen", [hsinchu]), ("Wang Hsiao-ming", [xinyi, taichung]),
             ("Huang Mei-ling", [xinyi, hsinchu]), ("Tsai Chun-hung", [hsinchu, taichung])]
    candidates = [CandidateFactory(cycle=cycle, name=name, exam_rank=rank, user=make_user(Role.CANDIDATE))
                  for rank, (name, _offices) in enumerate(lists, start=1)]
    reserve = CandidateFactory(cycle=cycle, name="Kao Ya-wen", exam_rank=6, on_reserve_list=True)
    for candidate, (_name, offices) in zip([*candidates, reserve], [*lists, ("", [taichung])], strict=True):
        preference_list_save(candidate=candidate, office_ids=[office.pk for office in offices])
        preference_list_submit(candidate=candidate)
    declining, deferring, holding, fourth, fifth = candidates
    now = clock.now()
    exam_cycle_set_deadlines(cycle=cycle, deadlines={
        "office_profiles_until": now - timedelta(days=40), "submissions_until": now - timedelta(days=30),
        "focus_groups_until": now - timedelta(days=20), "preferences_until": now - timedelta(days=1),
    })

    # 1. Examination staff run the main placement by exam rank, publish it and set the report-by time.
    staff = sign_in(browser, live_server, exam_staff, totp=True)
    staff.get_by_role("navigation", name="Main").get_by_role("link", name="Exam cycle").click()
    expect(staff.get_by_text("Phase 5 of 6: Placement")).to_be_visible()
    staff.get_by_role("link", name="Placement runs").first.click()
    staff.locator("select[name=policy]").select_option("exam_rank")
    staff.locator("input[name=seed]").fill("1")
    staff.get_by_role("button", name="Start the run").click()
    expect(staff.get_by_text("Stable: no candidate")).to_be_visible()
    staff.get_by_role("link", name="Publish this run").click()  # The confirmation page says what it does.
    staff.get_by_role("button", name="Publish this run").click()
    expect(staff.get_by_text("is published")).to_be_visible()
    main_run = Publication.objects.get(cycle=cycle).run
    main_places = dict(main_run.assignments.values_list("candidate__name", "office__code"))
    assert main_places == {"Chen Wei-ting": "TPE-XINYI", "Lin Yu-chen": "HSZ-HSINCHU",
                           "Wang Hsiao-ming": "TXG-CENTRAL", "Huang Mei-ling": None, "Tsai Chun-hung": None,
                           "Kao Ya-wen": None}
    staff.get_by_role("navigation", name="Main").get_by_role("link", name="Exam cycle").click()
    staff.get_by_role("link", name="Reporting for duty, deferrals and late vacancies").click()
    expect(staff.get_by_role("heading", name="After publication", exact=True)).to_be_visible()
    staff.get_by_label("Report for duty by").fill(local_time(clock.now() + timedelta(days=7)))
    staff.get_by_role("button", name="Save", exact=True).click()
    expect(staff.get_by_text("The report-by time is saved.")).to_be_visible()
    after_publication_url = staff.url

    # 2. The candidate placed at Xinyi declines, with a reason.
    applicant = sign_in(browser, live_server, declining.user, totp=False)
    applicant.get_by_role("link", name="Answer your placement").click()
    expect(applicant.get_by_text("You are placed at Xinyi Land Office, your choice 1.")).to_be_visible()
    decline = applicant.locator("details").filter(has=applicant.locator("summary", has_text="Decline the place"))
    decline.locator("summary").click()
    decline.get_by_label("Why do you decline the place?").fill("I passed the civil service exam in Kaohsiung.")
    decline.get_by_role("button", name="Decline the place").click()
    expect(applicant.get_by_text("You have declined the place.")).to_be_visible()
    expect(applicant.locator("#answer strong")).to_have_text("Declined")

    # 3. The candidate placed at Hsinchu asks to defer training, with a conscription notice as a PDF.
    notice = tmp_path / "conscription-notice.pdf"
    notice.write_bytes(PDF)
    applicant = sign_in(browser, live_server, deferring.user, totp=False)
    applicant.get_by_role("link", name="Answer your placement").click()
    defer = applicant.locator("details").filter(has=applicant.locator("summary", has_text="Ask to defer training"))
    defer.locator("summary").click()
    defer.get_by_label("Reason for deferring").select_option("military_service")
    defer.get_by_label("Explain your request").fill("I am called up for military service from next month.")
    defer.get_by_label("Evidence (PDF, JPEG or PNG)").set_input_files(notice)
    defer.get_by_role("button", name="Send the request").click()
    expect(applicant.get_by_text("Your deferral request is sent")).to_be_visible()
    expect(applicant.locator("#answer strong")).to_have_text("Deferral requested")

    # 4. Taichung's staff report a late seat on their placements page.
    office = sign_in(browser, live_server, office_staff, totp=True)
    office.get_by_role("link", name="Who was placed here").click()
    expect(office.get_by_role("row", name=re.compile("Wang Hsiao-ming"))).to_be_visible()
    late = _section(office, "Report a late vacancy")
    late.get_by_label("New seats").fill("1")
    late.get_by_label("Why are the seats new?").fill("A surveyor retires at the end of the month.")
    late.get_by_role("button", name="Report").click()
    expect(office.get_by_text("The late vacancy is reported")).to_be_visible()

    # 5. Examination staff read the request and the late seat, approve both, and start round 2.
    staff.goto(after_publication_url)
    request = staff.locator("article").filter(has_text="Lin Yu-chen")
    expect(request).to_contain_text("Hsinchu Land Office")
    expect(request).to_contain_text("Military service")
    expect(request.get_by_role("link", name="Deferral evidence: conscription-notice.pdf")).to_be_visible()
    late_row = _section(staff, "Late vacancies").get_by_role("row", name=re.compile("Taichung Land Office"))
    expect(late_row).to_contain_text("A surveyor retires")
    answers = _section(staff, "Answers to the published places")
    expect(answers.get_by_role("listitem")).to_have_text([
        "Waiting for the candidate: 1", "Reported for duty: 0", "Declined: 1", "Deferral requested: 1",
        "Training deferred: 0", "Not taken (deadline passed): 0"])
    screenshot(staff, "after-publication")
    request.get_by_label("Approve").check()
    request.get_by_label("Reason").fill("The conscription notice dates the call-up.")
    request.get_by_role("button", name="Record the decision").click()
    expect(staff.get_by_text("The decision is recorded and the candidate is told by email.")).to_be_visible()
    late_row = _section(staff, "Late vacancies").get_by_role("row", name=re.compile("Taichung Land Office"))
    late_row.get_by_label("Approve").check()
    late_row.get_by_role("button", name="Record the decision").click()
    expect(staff.get_by_text("The decision on the late vacancy is recorded.")).to_be_visible()
    assert LateVacancy.objects.get().state == LateVacancy.State.APPROVED
    assert PlaceResponse.objects.get(candidate=deferring).state == PlaceResponse.State.DEFERRED
    expect(staff.get_by_text("3 seats are free for a supplementary round")).to_be_visible()
    rounds = _section(staff, "Supplementary rounds")
    rounds.get_by_label("Policy:", exact=True).select_option("exam_rank")
    rounds.get_by_label("Lottery seed").fill("1")
    rounds.get_by_role("button", name="Start a supplementary round").click()
    # The run page refreshes itself until the round finishes.
    expect(staff.get_by_text("Stable: no candidate")).to_be_visible(timeout=20_000)
    expect(staff.get_by_text(f"Supplementary round 2, after run #{main_run.pk}")).to_be_visible()
    staff.get_by_role("link", name="Publish this run").click()  # The confirmation page says what it does.
    staff.get_by_role("button", name="Publish this run").click()
    expect(staff.get_by_text("is published")).to_be_visible()

    # The round offered only the freed and added seats, to those without one: the unplaced first, by exam rank,
    # then the reserve list. Wang Hsiao-ming, who holds Taichung, is not moved to Xinyi, their first choice.
    round_run = PlacementRun.objects.get(cycle=cycle, round_number=2)
    assert round_run.follows == main_run and Publication.objects.get(round_number=2).run == round_run
    assert dict(round_run.assignments.values_list("candidate__name", "office__code")) == {
        "Huang Mei-ling": "TPE-XINYI", "Tsai Chun-hung": "HSZ-HSINCHU", "Kao Ya-wen": "TXG-CENTRAL"}
    assert dict(main_run.assignments.values_list("candidate__name", "office__code")) == main_places
    assert PlaceResponse.objects.get(candidate=holding).assignment.run == main_run

    # 6. The outcomes page counts both rounds, by office.
    staff.goto(after_publication_url)
    staff.get_by_role("link", name="Outcomes by round, office and county").click()
    expect(staff.get_by_role("heading", name="Placement outcomes")).to_be_visible()
    header = _section(staff, "By land office").locator("thead")
    expect(header).to_contain_text("Main placement")
    expect(header).to_contain_text("Round 2")
    # Seats, late seats, main placement, round 2, reported for duty, declined, deferred, not taken, unfilled.
    assert _cells(staff, "Xinyi Land Office") == ["1", "0", "1", "1", "0", "1", "0", "0", "0"]
    assert _cells(staff, "Hsinchu Land Office") == ["1", "0", "1", "1", "0", "0", "1", "0", "0"]
    assert _cells(staff, "Taichung Land Office") == ["1", "1", "1", "1", "0", "0", "0", "0", "0"]
    screenshot(staff, "outcomes")

    # 7. A candidate the round placed reads so on their result page.
    applicant = sign_in(browser, live_server, fourth.user, totp=False)
    applicant.get_by_role("link", name="Answer your placement").click()
    expect(applicant.get_by_text("You are placed at Xinyi Land Office, your choice 1.")).to_be_visible()
    expect(applicant.get_by_text("You were placed in supplementary round 2")).to_be_visible()
    expect(applicant.get_by_role("button", name="I will report for duty")).to_be_visible()
    assert fifth.pk in round_run.assignments.values_list("candidate_id", flat=True)
