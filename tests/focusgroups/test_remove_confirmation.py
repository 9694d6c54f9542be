"""Cancelling a session or removing a note on a video asks first, on a page that works without JavaScript."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core import clock
from focusgroups.models import Session, VideoNote
from focusgroups.services import groups as group_services
from focusgroups.services import ratings as rating_services
from tests.factories import LandOfficeFactory, make_user
from tests.focusgroups.conftest import signed_in
from tests.media_pipeline.factories import youtube_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(fg_group, fg_leader, fg_member):
    session = group_services.session_save(
        group=fg_group, session=None, starts_at=clock.now() - dt.timedelta(days=1), duration_minutes=60,
        meeting_url="https://meet.example.org/fg", agenda="評分標準", acting_user=fg_leader)
    member = fg_group.members.get(user=fg_member)
    return group_services.session_record(session=session, minutes="討論導線成果。", attendee_ids=[member.pk],
                                         acting_user=fg_leader)


@pytest.fixture
def note(fg_group, fg_candidate, fg_member, fg_cycle):
    # The candidate's link is added while submissions are still open, as it would have been.
    until = fg_cycle.submissions_until
    fg_cycle.submissions_until = clock.now() + dt.timedelta(days=1)
    fg_cycle.save(update_fields=["submissions_until"])
    video = youtube_link(candidate=fg_candidate, title="經緯儀整置")
    fg_cycle.submissions_until = until
    fg_cycle.save(update_fields=["submissions_until"])
    return rating_services.video_note_add(group=fg_group, candidate=fg_candidate, video=video, rater=fg_member,
                                          at_seconds=42, text="對中不確實")


def _cancel_url(session):
    return reverse("focusgroups:session_cancel", kwargs={"pk": session.group_id, "session_id": session.pk})


def _note_url(note):
    return reverse("focusgroups:note_remove", kwargs={"pk": note.group_id, "note_id": note.pk})


def test_the_session_page_links_to_the_question_rather_than_cancel(fg_leader, session):
    body = signed_in(fg_leader).get(
        reverse("focusgroups:session_edit", kwargs={"pk": session.group_id, "session_id": session.pk})).content.decode()
    assert f'action="{_cancel_url(session)}"' not in body and f'href="{_cancel_url(session)}"' in body


def test_opening_the_cancellation_says_what_goes_and_cancels_nothing(fg_leader, session):
    response = signed_in(fg_leader).get(_cancel_url(session))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Cancel the session of {timezone.localtime(session.starts_at):%Y-%m-%d %H:%M}?" in body
    assert "the minutes and attendance recorded for it" in body
    assert "Minutes or attendance have been recorded for this session" in body
    assert "This cannot be undone." in body
    assert f'<form method="post" action="{_cancel_url(session)}">' in body
    assert Session.objects.filter(pk=session.pk).exists()


def test_sending_the_form_cancels_the_session(fg_leader, session):
    response = signed_in(fg_leader).post(_cancel_url(session))
    assert response["Location"] == reverse("focusgroups:sessions", kwargs={"pk": session.group_id})
    assert not Session.objects.filter(pk=session.pk).exists()


def test_another_offices_leader_gets_404_for_the_session(session):
    client = signed_in(make_user(Role.FOCUS_GROUP_LEADER, office=LandOfficeFactory()))
    assert client.get(_cancel_url(session)).status_code == 404
    assert client.post(_cancel_url(session)).status_code == 404
    assert Session.objects.filter(pk=session.pk).exists()


def test_the_scoring_page_links_to_the_question_rather_than_remove_the_note(fg_member, note):
    page = reverse("focusgroups:score_candidate", kwargs={"pk": note.group_id, "candidate_id": note.candidate_id})
    body = signed_in(fg_member).get(page).content.decode()
    assert f'action="{_note_url(note)}"' not in body and f'href="{_note_url(note)}"' in body


def test_opening_the_note_removal_shows_the_note_and_removes_nothing(fg_member, note):
    response = signed_in(fg_member).get(_note_url(note))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Remove your note?" in body and "對中不確實" in body and "經緯儀整置" in body
    assert "This cannot be undone." in body
    assert f'<form method="post" action="{_note_url(note)}">' in body
    assert VideoNote.objects.filter(pk=note.pk).exists()


def test_sending_the_form_removes_the_note(fg_member, note):
    assert signed_in(fg_member).post(_note_url(note)).status_code == 302
    assert not VideoNote.objects.filter(pk=note.pk).exists()


def test_another_members_note_answers_404(fg_leader, note):
    """Even the leader of the same group cannot open or remove a member's note."""
    client = signed_in(fg_leader)
    assert client.get(_note_url(note)).status_code == 404
    assert client.post(_note_url(note)).status_code == 404
    assert VideoNote.objects.filter(pk=note.pk).exists()
