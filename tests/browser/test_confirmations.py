"""Irreversible actions ask first, on a page of their own that works without JavaScript (#15)."""
import pytest
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.models import Invitation
from accounts.roles import Role
from media_pipeline.models import EvidenceFile, Video
from tests.factories import CandidateFactory, make_user
from tests.media_pipeline.factories import evidence_file, youtube_link

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_script_page(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_candidate_removes_a_video_and_an_evidence_file_only_after_confirming(live_server, no_script_page,
                                                                               browser_session, cycle):
    candidate = CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE))
    video = youtube_link(candidate=candidate, title="導線測量示範")
    evidence = evidence_file(candidate=candidate, title="測站照片")
    page = browser_session(no_script_page, candidate.user, language="en")

    page.goto(f"{live_server.url}/videos/mine/")
    page.get_by_role("link", name="Remove 導線測量示範").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove video “導線測量示範”?")
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    assert Video.objects.filter(pk=video.pk).exists()
    page.get_by_role("link", name="Remove 導線測量示範").click()
    page.get_by_role("button", name="Remove video").click()
    expect(page.get_by_role("link", name="Remove 導線測量示範")).to_have_count(0)
    assert not Video.objects.filter(pk=video.pk).exists()

    page.goto(f"{live_server.url}/videos/evidence/")
    page.get_by_role("link", name="Remove 測站照片").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove evidence file “測站照片”?")
    page.get_by_role("button", name="Remove file").click()
    assert not EvidenceFile.objects.filter(pk=evidence.pk).exists()


def test_staff_withdraw_an_invitation_only_after_confirming(live_server, no_script_page, browser_session, cycle):
    staff = make_user(Role.EXAM_STAFF)
    invitation = account_services.invitation_create(email="new.candidate@example.com", role=Role.CANDIDATE,
                                                    invited_by=staff, cycle=cycle, send=False)
    page = browser_session(no_script_page, staff, language="en")
    page.goto(f"{live_server.url}/invitations/")
    page.get_by_role("link", name="Withdraw").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw the invitation?")
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None
    page.get_by_role("button", name="Withdraw invitation").click()
    expect(page).to_have_url(f"{live_server.url}/invitations/")
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None
