"""Script in any free text that users store comes back escaped on every page that shows it."""
import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.services import invitation_accept, invitation_create, invitation_token
from core import clock
from focusgroups.services import groups as group_services
from focusgroups.services import ratings as rating_services
from focusgroups.services.questions import question_ask, question_reply
from offices.services import office_profile_publish, office_profile_save
from placement.models import Candidate
from placement.services.imports import candidates_import
from portfolios.services import portfolio_summary_set
from tests.factories import COMPLETE_OFFICE_FACTS
from tests.media_pipeline.factories import youtube_link
from tests.portfolios.factories import described
from tests.practice.conftest import make_question, make_task
from tests.security.conftest import signed_in

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
PAYLOAD = f"{SCRIPT}{IMG}{JS_URL}"
# What a page must never contain: the payload's tags as markup, or a link that runs script.
RAW = ("<script>alert(1)", "<img src=x onerror", 'href="javascript:', "href='javascript:", "href=javascript:")


def _assert_escaped(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    html = response.content.decode()
    assert "alert(1)" in html, f"{url} does not show the stored text, so it proves nothing"
    for raw in RAW:
        assert raw not in html, f"{url} contains {raw!r}"


@pytest.fixture
def stored(world):
    """Office A's and candidate 1's free texts, each holding the payload, stored through the services."""
    a = world.a
    world.phase_submissions()
    a.objects["xss_video"] = youtube_link(candidate=a.candidate, youtube_id="ccccccccccc", title=PAYLOAD[:200])
    described(a.objects["xss_video"], PAYLOAD)
    portfolio_summary_set(candidate=a.candidate, summary=PAYLOAD, acting_user=a.candidate.user)
    youtube_link(office=a.office, youtube_id="ddddddddddd", title=PAYLOAD[:200])
    profile = office_profile_save(office=a.office, facts={
        **COMPLETE_OFFICE_FACTS, "field_conditions": PAYLOAD, "contact_name": PAYLOAD[:100]})
    office_profile_publish(profile=profile)
    make_question(a.office, text=PAYLOAD, explanation=PAYLOAD, choices=[PAYLOAD, "坐標成果"])
    make_task(a.office, title=PAYLOAD[:200])
    world.phase_focus_groups()
    group = a.objects["group"]
    group_services.session_save(group=group, session=None, starts_at=clock.now() + dt.timedelta(days=2),
                                duration_minutes=30, meeting_url="https://meet.example.org/x", agenda=PAYLOAD,
                                acting_user=a.leader)
    rating_services.video_note_add(group=group, candidate=a.candidate, video=a.objects["candidate_video"],
                                   rater=a.member, at_seconds=5, text=PAYLOAD)
    question = question_ask(group=group, candidate=a.candidate, text=PAYLOAD,
                            reply_due_at=clock.now() + dt.timedelta(days=2), acting_user=a.member)
    question_reply(question=question, author=a.candidate.user, text=PAYLOAD)
    a.objects["xss_question"] = question
    type(a.candidate).objects.filter(pk=a.candidate.pk).update(name=PAYLOAD[:100])
    return world


def test_a_candidates_pages_escape_what_was_stored(stored):
    a = stored.a
    client = signed_in(a.candidate.user)
    stored.phase_submissions()
    for url in (reverse("media_pipeline:my_videos"),
                reverse("media_pipeline:video_detail", kwargs={"pk": a.objects["xss_video"].pk}),
                reverse("portfolios:mine"), reverse("portfolios:preview"),
                reverse("offices:public_profile", kwargs={"code": a.office.code}),
                reverse("practice:office_practice", kwargs={"code": a.office.code}),
                reverse("focusgroups:candidate_question", kwargs={"question_id": a.objects["xss_question"].pk})):
        _assert_escaped(client, url)


def test_office_and_focus_group_pages_escape_what_was_stored(stored):
    a = stored.a
    staff = signed_in(a.staff)
    for url in (reverse("offices:profile_edit", kwargs={"code": a.office.code}),
                reverse("practice:office_bank", kwargs={"code": a.office.code}),
                reverse("media_pipeline:office_videos", kwargs={"office_id": a.office.pk})):
        _assert_escaped(staff, url)
    member = signed_in(a.member)
    group = a.objects["group"]
    for url in (reverse("focusgroups:sessions", kwargs={"pk": group.pk}),
                reverse("focusgroups:score_list", kwargs={"pk": group.pk}),
                reverse("focusgroups:score_candidate", kwargs={"pk": group.pk, "candidate_id": a.candidate.pk}),
                reverse("focusgroups:question_thread", kwargs={"question_id": a.objects["xss_question"].pk}),
                reverse("portfolios:office_portfolio", kwargs={"office_id": a.office.pk,
                                                               "candidate_id": a.candidate.pk})):
        _assert_escaped(member, url)


def test_a_meeting_link_that_runs_script_is_refused(world):
    """The session form refuses a javascript: link, so no session page ever links to one."""
    world.phase_focus_groups()
    group = world.a.objects["group"]
    starts = (clock.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = signed_in(world.a.leader).post(reverse("focusgroups:sessions", kwargs={"pk": group.pk}), {
        "starts_at": starts, "duration_minutes": "30", "meeting_url": JS_URL, "agenda": ""})
    assert response.status_code == 400
    assert not group.sessions.filter(meeting_url__icontains="javascript").exists()


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def test_imported_candidate_names_and_invited_names_are_escaped_for_examination_staff(world):
    """A name in an imported candidate file and a name typed when accepting an invitation stay text."""

    world.phase_submissions()
    content = ("exam_number,name,email,exam_score,exam_rank\n"
               f"30129999,{_csv_field(PAYLOAD)},xss@example.com,70,50\n").encode()
    candidates_import(cycle=world.cycle, content=content, filename="c.csv", send_invitations=False)
    imported = Candidate.objects.get(exam_number="30129999")
    assert "alert(1)" in imported.name
    invitation = invitation_create(email="xss.staff@example.com", role=Role.FOCUS_GROUP_MEMBER,
                                   invited_by=world.exam_staff, office=world.a.office, send=False)
    invitation_accept(token=invitation_token(invitation), name=PAYLOAD, password="Fresh-Survey-Pass-3")
    client = signed_in(world.exam_staff)
    for url in (reverse("placement:cycle_candidate_list", kwargs={"pk": world.cycle.pk}),
                reverse("placement:candidate_detail", kwargs={"pk": imported.pk}),
                reverse("history:log")):
        _assert_escaped(client, url)
    # The leader adds the new account to the focus group, whose members page shows its name.
    world.phase_focus_groups()
    group_services.member_add(group=world.a.objects["group"], email="xss.staff@example.com",
                              acting_user=world.a.leader)
    members_url = reverse("focusgroups:members", kwargs={"pk": world.a.objects["group"].pk})
    _assert_escaped(signed_in(world.a.leader), members_url)
