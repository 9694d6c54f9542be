"""Browser journey of a whole placement cycle across all five roles, in Traditional Chinese and in English.

On the demo data (`load_demo`: Taiwan's land offices, their published profiles and the demo accounts), the
examination staff open next year's cycle: they import its candidates and vacancies, which invites each new
candidate by email, and move the timeline on phase by phase. A new candidate accepts the invitation, adds a
video, consents for 大安所 and ranks offices; 大安所's staff update their profile; its focus group leader starts the
group, adds a member and fixes the roster; leader and member score on the rubric; the leader finalises. The staff
run the placement by exam rank and by the blended policy, compare them, publish the blended one and set the
report-by time; the candidate reads the result (placed at 大安所 thanks to the group's score, ahead of the best
exam rank) and confirms; the office sees who was placed there; the staff read who saw the candidate's data, and the
candidate downloads all of it.

Every label the journey looks for is read from the translation catalogue in the journey's language, and in
Traditional Chinese a label the catalogue does not translate fails the journey: a page left in English cannot
pass. Each key page is saved as a screenshot under `test-artifacts/journeys/<language>/` (TEST_ARTIFACTS_DIR
moves it) on every run; SCREENSHOTS=1 also refreshes the README's copies in docs/screenshots/.
"""
import io
import json
import re
import time
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from accounts.models import User
from core import clock
from focusgroups.models import FocusGroup, Rating
from placement.demo import DEMO_ACCOUNTS, DEMO_OFFICE_CODE, DEMO_PASSWORD, demo_totp_secret
from placement.models import Candidate, ExamCycle, LandOffice, PlacementRun, Publication
from placement.services.preferences import preference_list_save, preference_list_submit
from portfolios.services import portfolio_consent_set
from tests.browser.csp_watch import watch_csp
from tests.browser.journey import local_time, settled_totp_code
from tests.browser.screenshots import journey_screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

DEMO_EMAIL = {spec.role: spec.email for spec in DEMO_ACCOUNTS}
NEW_CANDIDATE_EMAIL = "lai.yi-jun@example.org"
NEW_CANDIDATE_PASSWORD = "Traverse-closure-2027"  # nosec B105 - a test account's password.
# Next year's passers: the new candidate is third by exam rank; the first wants 大安所 too.
CANDIDATES_CSV = """准考證號碼,姓名,電子郵件,成績,名次,居住縣市,居住鄉鎮市區
11601,周柏翰,chou.po-han@example.org,88.40,1,臺北市,文山區
11602,許雅筑,hsu.ya-chu@example.org,86.10,2,新北市,板橋區
11603,賴宜君,lai.yi-jun@example.org,85.75,3,臺北市,大安區
11604,郭家豪,kuo.chia-hao@example.org,83.20,4,桃園市,中壢區
11605,謝佩珊,hsieh.pei-shan@example.org,80.05,5,臺中市,西屯區
"""
VACANCIES_CSV = f"機關,名額\n{DEMO_OFFICE_CODE},1\nTPE-ZHONGSHAN,1\nTPE-SHILIN,1\nTXG-ZHONGZHENG,1\nNWT-BANQIAO,1\n"


class Journey:
    """The journey's language, its browsers and its screenshots."""

    def __init__(self, browser, live_server, language: str):
        self.browser, self.live_server, self.language = browser, live_server, language
        self.shots = 0

    def t(self, msgid: str, **values) -> str:
        """Return a label as the journey's language shows it; in Chinese, refuse one the catalogue lacks."""
        with translation.override(self.language):
            text = gettext(msgid)
        if self.language != "en":
            assert text != msgid, f"no {self.language} translation for {msgid!r}"
        return text % values if values else text

    def tn(self, singular: str, plural: str, count: int, **values) -> str:
        with translation.override(self.language):
            text = ngettext(singular, plural, count)
        return text % {"count": count, **values}

    def office(self, code: str) -> str:
        """Return an office's name as the pages show it in the journey's language."""
        office = LandOffice.objects.get(code=code)
        return office.name_en if self.language == "en" else office.name

    def url(self, path: str) -> str:
        return f"{self.live_server.url}{path}"

    def new_page(self):
        context = self.browser.new_context(locale="zh-TW" if self.language != "en" else "en-US")
        context.add_cookies([{"name": "django_language", "value": self.language, "url": self.live_server.url}])
        watch_csp(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    def sign_in(self, email: str, password: str = DEMO_PASSWORD, *, totp_secret: str | None = None):
        page = self.new_page()
        page.goto(self.url("/accounts/login/"))
        expect(page.locator("html")).to_have_attribute("lang", "en" if self.language == "en" else "zh-Hant-TW")
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill(password)
        page.get_by_role("main").get_by_role("button", name=self.t("Sign in")).click()
        if totp_secret:
            page.locator("input[name=code]").fill(settled_totp_code(totp_secret))
            page.get_by_role("main").get_by_role("button", name=self.t("Sign in")).click()
        expect(page).to_have_url(self.url("/dashboard/"))
        return page

    def staff(self, role: str):
        email = DEMO_EMAIL[role]
        return self.sign_in(email, totp_secret=demo_totp_secret(email))

    def screenshot(self, page, name: str) -> None:
        self.shots += 1
        journey_screenshot(page, self.language, f"{self.shots:02d}-{name}")

    def menu(self, page, label: str):
        return page.get_by_role("navigation", name=self.t("Main")).get_by_role("link", name=self.t(label))

    def text(self, page, msgid: str, **values):
        return page.get_by_text(self.t(msgid, **values)).first

    def set_deadline(self, page, label: str, moment) -> None:
        """Set one deadline of the cycle on its page, which moves the cycle to its next phase."""
        self.menu(page, "Exam cycle").click()
        page.get_by_label(self.t(label)).fill(local_time(moment))
        page.get_by_role("button", name=self.t("Save deadlines")).click()


def _new_cycle() -> ExamCycle:
    """Open next year's cycle, as the examination staff do in the back office, with no deadline set yet."""
    ExamCycle.objects.filter(is_current=True).update(is_current=False)
    return ExamCycle.objects.create(name="116年公務人員高等考試三級考試 測量製圖", year=116, is_current=True)


def _invitation_path(email: str) -> str:
    message = next(message for message in reversed(mail.outbox) if email in message.to)
    return re.search(r"https?://[^/\s]+(/invitations/accept/\S+/)", message.body).group(1)


def _wait_for(read, expected, seconds: float = 5.0) -> None:
    """Wait until `read()` returns what the browser's background requests should leave."""
    deadline = time.monotonic() + seconds
    while (value := read()) != expected:
        assert time.monotonic() < deadline, f"after {seconds} s: {value!r}, expected {expected!r}"
        time.sleep(0.1)


def _upload(page, name: str, content: str) -> None:
    page.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode()}])


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_a_whole_cycle_across_the_five_roles(live_server, browser, settings, tmp_path, language):
    """Import, invite, profile, video, consent, focus group, preferences, runs, publish, answer, in one cycle."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.YOUTUBE_API_KEY = ""
    call_command("load_demo", stdout=io.StringIO())
    cycle = _new_cycle()
    journey = Journey(browser, live_server, language)
    t = journey.t
    daan = journey.office(DEMO_OFFICE_CODE)

    # 1. Examination staff import the passers and the vacancies; each new candidate is invited by email.
    staff = journey.staff("exam_staff")
    expect(journey.text(staff, "Phase %(number)s of %(total)s: %(label)s", number=1, total=6,
                        label=t("Office profiles"))).to_be_visible()
    journey.screenshot(staff, "exam-staff-dashboard")
    for kind, name, content in (("candidates", "passers.csv", CANDIDATES_CSV),
                                ("vacancies", "vacancies.csv", VACANCIES_CSV)):
        journey.menu(staff, "Exam cycle").click()
        staff.get_by_role("link", name=t("Import %(label)s", label=t(kind))).click()
        _upload(staff, name, content)
        staff.get_by_role("button", name=t("Check and import")).click()
        expect(journey.text(staff, "Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.",
                            created=5, updated=0, unchanged=0)).to_be_visible()
        journey.screenshot(staff, f"{kind}-imported")
    assert {message.to[0] for message in mail.outbox} >= {NEW_CANDIDATE_EMAIL}

    # 2. 大安所's staff update their published profile for this year's passers.
    office = journey.staff("office_staff")
    journey.menu(office, "Our office profile").click()
    office.locator("textarea[name=field_conditions]").fill("市區巷弄狹窄，測站常借用騎樓；重測區多為老舊眷村。")
    office.locator("textarea[name=field_conditions_en]").fill(
        "Narrow city lanes; stations often sit in arcades. Re-survey areas are old military villages.")
    office.get_by_role("button", name=t("Save"), exact=True).click()
    expect(office.locator(".badge", has_text=t("Published"))).to_be_visible()
    journey.screenshot(office, "office-profile-edit")
    public = journey.new_page()
    public.goto(journey.url(f"/o/{DEMO_OFFICE_CODE}/"))
    expect(public.get_by_role("heading", name=daan)).to_be_visible()
    expect(public.get_by_text("騎樓" if language != "en" else "arcades", exact=False).first).to_be_visible()
    journey.screenshot(public, "public-profile")

    # 3. The new candidate accepts the invitation and creates an account.
    applicant = journey.new_page()
    applicant.goto(journey.url(_invitation_path(NEW_CANDIDATE_EMAIL)))
    expect(applicant.get_by_role("heading", name=t("Create your account"))).to_be_visible()
    applicant.get_by_label(t("Your name")).fill("賴宜君")
    applicant.locator("input[name=password1]").fill(NEW_CANDIDATE_PASSWORD)
    applicant.locator("input[name=password2]").fill(NEW_CANDIDATE_PASSWORD)
    applicant.get_by_role("button", name=t("Create account")).click()
    expect(applicant).to_have_url(journey.url("/dashboard/"))
    candidate = Candidate.objects.get(cycle=cycle, email=NEW_CANDIDATE_EMAIL)
    assert candidate.user == User.objects.get(email=NEW_CANDIDATE_EMAIL)
    journey.screenshot(applicant, "candidate-dashboard")

    # The office profiles phase ends: candidates may now submit their work.
    journey.set_deadline(staff, "office profiles until", clock.now() - timedelta(minutes=10))
    expect(journey.text(staff, "Phase %(number)s of %(total)s: %(label)s", number=2, total=6,
                        label=t("Candidate submissions"))).to_be_visible()

    # 4. The candidate adds a YouTube video, consents for 大安所 and ranks offices.
    journey.menu(applicant, "My videos").click()
    applicant.locator("input[name=url]").fill("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    applicant.locator("input[name=title]").first.fill("大安區閉合導線測量")
    applicant.get_by_role("button", name=t("Add link")).click()
    expect(journey.text(applicant, "The link is saved but not verified: YouTube checks are not set up."))\
        .to_be_visible()
    applicant.goto(journey.url("/portfolio/consent/"))
    applicant.get_by_label(daan).check()
    applicant.get_by_role("button", name=t("Save my choice")).click()
    expect(applicant.get_by_role("table", name=t("Offices that may see your portfolio"))).to_contain_text(daan)
    journey.menu(applicant, "Land offices").click()
    journey.screenshot(applicant, "office-discovery")
    journey.menu(applicant, "Preferences").click()
    for code in (DEMO_OFFICE_CODE, "TPE-ZHONGSHAN"):
        applicant.get_by_role("button", name=f"{t('Add')} {journey.office(code)}").click()
        expect(applicant.locator(".preference-item").last.locator(".pref-name")).to_have_text(journey.office(code))
    applicant.get_by_role("button", name=t("Submit my list")).click()
    expect(journey.text(applicant, "Your preference list is submitted.")).to_be_visible()
    journey.screenshot(applicant, "preferences")
    # Meanwhile the other passers rank offices and the best-ranked one consents for 大安所 too.
    office_ids = dict(LandOffice.objects.values_list("code", "pk"))
    others = {1: [DEMO_OFFICE_CODE, "TPE-SHILIN"], 2: ["NWT-BANQIAO"], 4: ["TPE-SHILIN", "TXG-ZHONGZHENG"],
              5: ["TXG-ZHONGZHENG"]}
    for rank, codes in others.items():
        other = Candidate.objects.get(cycle=cycle, exam_rank=rank)
        preference_list_save(candidate=other, office_ids=[office_ids[code] for code in codes])
        preference_list_submit(candidate=other)
    first = Candidate.objects.get(cycle=cycle, exam_rank=1)
    portfolio_consent_set(candidate=first, office_ids=[office_ids[DEMO_OFFICE_CODE]], acting_user=None)

    # Submissions close: the focus groups may evaluate.
    journey.set_deadline(staff, "candidate submissions until", clock.now() - timedelta(minutes=8))
    expect(journey.text(staff, "Phase %(number)s of %(total)s: %(label)s", number=3, total=6,
                        label=t("Focus groups"))).to_be_visible()

    # 5. 大安所's focus group leader starts the group, adds a member, fixes the roster and opens scoring.
    leader = journey.staff("focus_group_leader")
    journey.menu(leader, "Focus groups").click()
    leader.get_by_role("button", name=t("Start the focus group")).click()
    expect(journey.text(leader, "The focus group is started with the default rubric. Add members next."))\
        .to_be_visible()
    group = FocusGroup.objects.get(cycle=cycle)
    group_nav = leader.get_by_role("navigation", name=t("Focus group"))
    group_nav.get_by_role("link", name=t("Members")).click()
    leader.get_by_label(t("Email address")).fill(DEMO_EMAIL["focus_group_member"])
    leader.get_by_role("button", name=t("Add"), exact=True).click()
    expect(journey.text(leader, "%(email)s is added to the focus group.",
                        email=DEMO_EMAIL["focus_group_member"])).to_be_visible()
    leader.get_by_role("navigation", name=t("Focus group")).get_by_role("link", name=t("Roster")).click()
    leader.get_by_label(f"1. {first.name}").check()
    leader.get_by_label(f"3. {candidate.name}").check()
    leader.get_by_role("button", name=t("Fix the roster")).click()
    expect(journey.text(leader, "The roster is fixed: %(count)s candidates.", count=2)).to_be_visible()
    leader.get_by_role("button", name=t("Open scoring")).click()
    expect(journey.text(leader, "Scoring is open. The rubric and the roster are locked.")).to_be_visible()
    journey.screenshot(leader, "focus-group-overview")

    # 6. Leader and member score both candidates on the rubric and submit: the new candidate scores higher.
    member = journey.staff("focus_group_member")
    member.goto(journey.url(f"/focus-groups/{group.pk}/"))
    raters = ((leader, DEMO_EMAIL["focus_group_leader"], {candidate: 5, first: 2}),
              (member, DEMO_EMAIL["focus_group_member"], {candidate: 4, first: 2}))
    for rater, rater_email, marks in raters:
        for who, score in marks.items():
            rater.goto(journey.url(f"/focus-groups/{group.pk}/"))
            rater.get_by_role("navigation", name=t("Focus group")).get_by_role(
                "link", name=t("Candidates to score")).click()
            rater.get_by_role("link", name=who.name).click()
            fieldsets = rater.locator("#rubric-form fieldset[data-criterion]")
            for index in range(fieldsets.count()):
                fieldsets.nth(index).locator(f"input[type=radio][value='{score}']").check()
                expect(rater.locator("#save-status")).to_contain_text(t("Draft saved at"))
            # The last autosave may still be on its way; submitting before it lands would find a score missing.
            saved = Rating.objects.filter(group=group, candidate=who, rater__email=rater_email, score=score)
            _wait_for(saved.count, fieldsets.count())
            if rater is member and who is candidate:
                journey.screenshot(rater, "focus-group-scoring")
            rater.get_by_role("button", name=t("Submit my scores")).click()
            expect(journey.text(rater, "Your scores are submitted. You can now see the other members' scores."))\
                .to_be_visible()

    # 7. The leader closes scoring and finalises: the scores become 大安所's suitability scores.
    leader.goto(journey.url(f"/focus-groups/{group.pk}/"))
    leader.get_by_role("button", name=t("Close scoring")).click()
    expect(journey.text(leader, "Scoring is closed. The aggregate is ready on the results page.")).to_be_visible()
    leader.get_by_role("navigation", name=t("Focus group")).get_by_role("link", name=t("Results")).click()
    expect(leader.get_by_role("row", name=re.compile(candidate.name))).to_contain_text("4.500")
    journey.screenshot(leader, "focus-group-results")
    leader.get_by_role("link", name=t("Finalise…")).click()
    leader.get_by_role("button", name=t("Finalise"), exact=True).click()
    expect(journey.text(leader, "The focus group is finalised; its scores are the office's suitability scores for "
                                "the placement.")).to_be_visible()

    # 8. Staff close the focus groups and the preferences, run both policies, compare them and publish the blend.
    journey.set_deadline(staff, "focus groups until", clock.now() - timedelta(minutes=6))
    journey.set_deadline(staff, "preferences until", clock.now() - timedelta(minutes=4))
    expect(journey.text(staff, "Phase %(number)s of %(total)s: %(label)s", number=5, total=6,
                        label=t("Placement"))).to_be_visible()
    staff.get_by_role("link", name=t("Placement runs")).first.click()
    for policy, weight in (("exam_rank", None), ("blended", "0.5")):
        staff.locator("select[name=policy]").select_option(policy)
        if weight:
            staff.locator("input[name=exam_weight]").fill(weight)
        staff.locator("input[name=seed]").fill("1")
        staff.get_by_role("button", name=t("Start the run")).click()
        expect(journey.text(staff, "Stable: no candidate and office would both rather be matched with each other "
                                   "than keep what they got.")).to_be_visible()
        if policy == "blended":
            journey.screenshot(staff, "run-detail")
        staff.get_by_role("link", name=t("All runs of this cycle")).click()
    by_rank, blended = PlacementRun.objects.filter(cycle=cycle).order_by("pk")
    assert by_rank.assignments.get(candidate=first).office.code == DEMO_OFFICE_CODE
    assert blended.assignments.get(candidate=candidate).office.code == DEMO_OFFICE_CODE
    staff.get_by_role("button", name=t("Compare")).click()
    expect(staff.get_by_role("heading", name=t("Compare runs"))).to_be_visible()
    expect(staff.get_by_role("row", name=re.compile(candidate.name))).to_be_visible()
    journey.screenshot(staff, "run-comparison")
    staff.goto(journey.url(f"/runs/{blended.pk}/"))
    staff.get_by_role("link", name=t("Publish this run…")).click()
    staff.get_by_role("button", name=t("Publish this run")).click()
    expect(journey.text(staff, "Run #%(n)s is published. Candidates and offices are being notified.",
                        n=blended.pk)).to_be_visible()
    assert Publication.objects.get(cycle=cycle).run == blended
    staff.goto(journey.url(f"/cycles/{cycle.pk}/after-publication/"))
    staff.get_by_role("textbox", name=t("report for duty by")).fill(local_time(clock.now() + timedelta(days=7)))
    staff.get_by_role("button", name=t("Save"), exact=True).click()
    expect(journey.text(staff, "The report-by time is saved.")).to_be_visible()
    journey.menu(staff, "Results").click()
    expect(staff.get_by_role("row", name=re.compile(candidate.exam_number))).to_contain_text(daan)
    journey.screenshot(staff, "published-results")

    # 9. The candidate reads the result, with the reason in sentences, and confirms.
    applicant.goto(journey.url("/dashboard/"))
    applicant.get_by_role("link", name=t("Answer your placement")).first.click()
    expect(journey.text(applicant, "You are placed at %(office)s, your choice %(rank)s.", office=daan, rank=1))\
        .to_be_visible()
    journey.screenshot(applicant, "placement-result")
    applicant.get_by_role("button", name=t("I will report for duty")).click()
    expect(applicant.locator("#answer strong")).to_have_text(t("Reported for duty"))

    # 10. 大安所's staff see who was placed at their office and that the candidate will report.
    office.goto(journey.url("/dashboard/"))
    office.get_by_role("link", name=t("Who was placed here")).click()
    placed = office.get_by_role("row", name=re.compile(candidate.name))
    expect(placed).to_contain_text(t("Reported for duty"))
    journey.screenshot(office, "placed-at-office")

    # 11. Examination staff read who saw the candidate's data: the focus group's scoring pages are on the log.
    staff.goto(journey.url(f"/candidates/{candidate.pk}/"))
    staff.get_by_role("link", name=t("Who saw or changed this candidate's data")).click()
    for email in (DEMO_EMAIL["focus_group_leader"], DEMO_EMAIL["focus_group_member"]):
        expect(staff.get_by_role("row", name=re.compile(re.escape(email))).filter(
            has_text=t("Focus group scoring")).first).to_be_visible()
    journey.screenshot(staff, "candidate-access-log")

    # 12. The candidate downloads everything the platform holds about them, as one archive.
    journey.menu(applicant, "My data").click()
    applicant.get_by_role("button", name=t("Build my archive")).click()
    expect(journey.text(applicant, "Your archive is being built. This page shows when it is ready.")).to_be_visible()
    with applicant.expect_download() as download:
        applicant.get_by_role("link", name=t("Download the archive")).click()
    with zipfile.ZipFile(download.value.path()) as archive:
        data = json.loads(archive.read("data.json"))
    assert NEW_CANDIDATE_EMAIL in json.dumps(data, ensure_ascii=False)
    journey.screenshot(applicant, "my-data")
