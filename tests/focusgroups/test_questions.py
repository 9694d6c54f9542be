"""Questions to a rostered candidate (回復用人機關): asking, replying with files and a video, and who sees what."""
import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core import clock
from focusgroups.models import CandidateQuestion, QuestionReply, Rating, RosterEntry, Session
from focusgroups.services.groups import focus_group_create, roster_fix
from focusgroups.services.questions import question_ask, question_reply
from focusgroups.services.shared import FocusGroupError
from media_pipeline.models import EvidenceFile, Video
from portfolios.services import portfolio_consent_set
from tests.factories import LandOfficeFactory, make_user
from tests.focusgroups.conftest import signed_in
from tests.media_pipeline.factories import PNG, YOUTUBE_ID
from tests.media_pipeline.history import entry

pytestmark = pytest.mark.django_db

# A Windows executable named like a photo: the media pipeline judges files by their bytes, not their names.
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\0" * 64


def _ask_url(group, candidate):
    return reverse("focusgroups:question_ask", kwargs={"pk": group.pk, "candidate_id": candidate.pk})


def _reply_url(question):
    return reverse("focusgroups:candidate_question", kwargs={"question_id": question.pk})


def _thread_url(question):
    return reverse("focusgroups:question_thread", kwargs={"question_id": question.pk})


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _asked(group, candidate, by, *, text="請補充山區導線測量的測站照片。", hours=24) -> CandidateQuestion:
    return question_ask(group=group, candidate=candidate, text=text,
                        reply_due_at=clock.now() + dt.timedelta(hours=hours), acting_user=by)


def _png(name="station.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def _stored_files(media_root) -> list[Path]:
    root = Path(media_root)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_member_asks_and_the_candidate_is_emailed_a_link(fg_group, fg_member, fg_candidate, on_commit, mailoutbox):
    """The question is kept with its deadline and history; the candidate's email links to their thread."""
    due = clock.now() + dt.timedelta(days=2)
    with on_commit(execute=True):
        response = signed_in(fg_member).post(_ask_url(fg_group, fg_candidate), {
            "text": "請說明你在山區使用經緯儀的經驗。", "reply_due_at": _local(due)})
    question = CandidateQuestion.objects.get()
    assert response.status_code == 302 and response["Location"] == _thread_url(question)
    assert (question.group, question.candidate, question.asked_by) == (fg_group, fg_candidate, fg_member)
    assert entry(question, "focus_group_question.asked").actor == fg_member
    [mail] = mailoutbox
    assert mail.to == [fg_candidate.user.email]
    assert "請說明你在山區使用經緯儀的經驗。" in mail.body and _reply_url(question) in mail.body


def test_a_deadline_after_the_focus_group_deadline_is_refused(fg_group, fg_leader, fg_candidate, mailoutbox):
    late = fg_group.cycle.focus_groups_until + dt.timedelta(hours=1)
    response = signed_in(fg_leader).post(_ask_url(fg_group, fg_candidate),
                                         {"text": "問題", "reply_due_at": _local(late)})
    assert response.status_code == 400
    assert "cannot be after the focus-group deadline" in response.content.decode()
    assert not CandidateQuestion.objects.exists() and mailoutbox == []


def test_a_past_deadline_is_refused(fg_group, fg_leader, fg_candidate):
    with pytest.raises(FocusGroupError, match="must be in the future"):
        _asked(fg_group, fg_candidate, fg_leader, hours=-1)


def test_only_rostered_candidates_can_be_asked(fg_group, fg_member, make_fg_candidate, fg_office):
    """A candidate who consents but is not on the roster answers 404 to the ask page."""
    outsider = make_fg_candidate(fg_office)
    client = signed_in(fg_member)
    assert client.get(_ask_url(fg_group, outsider)).status_code == 404
    assert client.post(_ask_url(fg_group, outsider), {"text": "問題",
                                                      "reply_due_at": _local(clock.now() + dt.timedelta(days=1))}
                       ).status_code == 404
    assert not CandidateQuestion.objects.exists()


def test_the_candidate_replies_with_text_and_a_png_and_the_member_sees_it(
        fg_group, fg_member, fg_leader, fg_candidate, on_commit, mailoutbox):
    """The reply is stored as the candidate's evidence, after the submissions deadline; the asker is emailed."""
    question = _asked(fg_group, fg_candidate, fg_leader)
    form_page = signed_in(fg_candidate.user).get(_reply_url(question)).content.decode()
    assert f"Question from the focus group of {fg_group.office.name_en}" in form_page
    with on_commit(execute=True):
        response = signed_in(fg_candidate.user).post(_reply_url(question), {
            "text": "附上測站照片，為陽明山區的導線點。", "files": [_png()]})
    assert response.status_code == 302
    reply = QuestionReply.objects.get()
    [evidence] = reply.evidence.all()
    assert (reply.author, evidence.candidate, evidence.content_type) == (fg_candidate.user, fg_candidate, "image/png")
    [mail] = mailoutbox
    assert mail.to == [fg_leader.email] and _thread_url(question) in mail.body
    client = signed_in(fg_member)
    page = client.get(_thread_url(question)).content.decode()
    assert "附上測站照片，為陽明山區的導線點。" in page
    file_url = reverse("media_pipeline:evidence_file", kwargs={"pk": evidence.pk})
    assert file_url in page
    assert client.get(file_url).status_code == 200


def test_the_candidate_may_reply_with_a_youtube_link(fg_group, fg_leader, fg_candidate):
    question = _asked(fg_group, fg_candidate, fg_leader)
    response = signed_in(fg_candidate.user).post(_reply_url(question), {
        "youtube_url": f"https://youtu.be/{YOUTUBE_ID}"})
    assert response.status_code == 302
    reply = QuestionReply.objects.get()
    assert (reply.video.candidate, reply.video.youtube_id) == (fg_candidate, YOUTUBE_ID)
    page = signed_in(fg_leader).get(_thread_url(question)).content.decode()
    assert reverse("media_pipeline:video_detail", kwargs={"pk": reply.video.pk}) in page


def test_a_reply_after_the_deadline_is_refused_and_nothing_is_kept(
        fg_group, fg_leader, fg_candidate, media_root, mailoutbox):
    question = _asked(fg_group, fg_candidate, fg_leader, hours=2)
    with clock.frozen_at(question.reply_due_at + dt.timedelta(minutes=1)):
        response = signed_in(fg_candidate.user).post(_reply_url(question), {"text": "遲到的回覆", "files": [_png()]})
    assert response.status_code == 400
    assert "The reply deadline" in response.content.decode()
    assert not QuestionReply.objects.exists() and not EvidenceFile.objects.exists()
    assert _stored_files(media_root) == []


def test_a_disguised_executable_is_refused_and_nothing_is_kept(fg_group, fg_leader, fg_candidate, media_root):
    """One bad file refuses the whole reply: the good file sent with it is not kept either."""
    question = _asked(fg_group, fg_candidate, fg_leader)
    response = signed_in(fg_candidate.user).post(_reply_url(question), {
        "text": "照片兩張", "files": [_png("good.png"), SimpleUploadedFile("photo.png", EXECUTABLE)]})
    assert response.status_code == 400
    assert "Only PDF, JPEG and PNG files are accepted" in response.content.decode()
    assert not QuestionReply.objects.exists() and not EvidenceFile.objects.exists()
    assert _stored_files(media_root) == []


def test_another_candidate_gets_404_on_the_thread_and_the_reply(fg_group, fg_leader, fg_candidate,
                                                                make_fg_candidate, fg_office):
    question = _asked(fg_group, fg_candidate, fg_leader)
    other = signed_in(make_fg_candidate(fg_office).user)
    assert other.get(_reply_url(question)).status_code == 404
    assert other.post(_reply_url(question), {"text": "不是我的問題"}).status_code == 404
    # The group's own thread page is not for candidates at all.
    assert other.get(_thread_url(question)).status_code == 403
    assert not QuestionReply.objects.exists()


def test_a_member_of_another_office_gets_404(fg_group, fg_leader, fg_candidate):
    question = _asked(fg_group, fg_candidate, fg_leader)
    elsewhere = LandOfficeFactory()
    for role in (Role.FOCUS_GROUP_LEADER, Role.FOCUS_GROUP_MEMBER):
        client = signed_in(make_user(role, office=elsewhere))
        assert client.get(_thread_url(question)).status_code == 404
        assert client.post(_thread_url(question), {"text": "追問"}).status_code == 404
        assert client.get(_ask_url(fg_group, fg_candidate)).status_code == 404
    assert not QuestionReply.objects.exists()


def test_a_member_follows_up_and_the_candidate_is_emailed(fg_group, fg_member, fg_leader, fg_candidate, on_commit,
                                                         mailoutbox):
    question = _asked(fg_group, fg_candidate, fg_leader)
    with on_commit(execute=True):
        response = signed_in(fg_member).post(_thread_url(question), {"text": "照片請標示測站編號。"})
    assert response.status_code == 302
    assert QuestionReply.objects.get().author == fg_member
    [mail] = mailoutbox
    assert mail.to == [fg_candidate.user.email] and _reply_url(question) in mail.body


def test_the_candidate_page_shows_the_schedule_and_questions_but_no_score_or_note(
        fg_group, fg_member, fg_leader, fg_candidate, make_fg_candidate, fg_office):
    """The candidate sees each session's time, link and agenda and the questions to them, never the group's work."""
    Session.objects.create(group=fg_group, starts_at=clock.now() + dt.timedelta(days=3), duration_minutes=90,
                           meeting_url="https://meet.example.org/fg-1", agenda="說明評比流程",
                           minutes="會議紀錄：只給組員看")
    Rating.objects.create(group=fg_group, rater=fg_member, candidate=fg_candidate,
                          criterion=fg_group.criteria.first(), score=4, comment="評語：儀器操作熟練",
                          updated_at=clock.now())
    other = make_fg_candidate(fg_office)
    RosterEntry.objects.create(group=fg_group, candidate=other, added_at=clock.now())
    CandidateQuestion.objects.create(group=fg_group, candidate=other, asked_by=fg_leader, text="給別人的問題",
                                     reply_due_at=clock.now() + dt.timedelta(days=1), created_at=clock.now())
    mine = _asked(fg_group, fg_candidate, fg_leader, text="請補充水準測量成果。")
    question_reply(question=mine, author=fg_member, text="請一併附上閉合差。")
    response = signed_in(fg_candidate.user).get(reverse("focusgroups:candidate_groups"))
    assert response.status_code == 200
    page = response.content.decode()
    assert fg_office.name_en in page
    assert "https://meet.example.org/fg-1" in page and "說明評比流程" in page and "90" in page
    assert "請補充水準測量成果。" in page and "請一併附上閉合差。" in page
    # Members' names stay inside the group: the candidate reads "The focus group".
    for hidden in ("評語：儀器操作熟練", "會議紀錄：只給組員看", "給別人的問題", other.name, fg_leader.name,
                   fg_member.name):
        assert hidden not in page


def test_a_candidate_on_no_roster_sees_an_empty_page(make_fg_candidate):
    page = signed_in(make_fg_candidate().user).get(reverse("focusgroups:candidate_groups")).content.decode()
    assert "No focus group has you on its roster yet." in page


def test_replies_stay_closed_once_the_group_is_past_its_deadline(fg_group, fg_leader, fg_candidate):
    """Past the cycle's focus-group deadline the thread is read-only, whatever the question's own deadline said."""
    question = _asked(fg_group, fg_candidate, fg_leader)
    fg_group.cycle.focus_groups_until = clock.now() - dt.timedelta(minutes=1)
    fg_group.cycle.save(update_fields=["focus_groups_until"])
    response = signed_in(fg_candidate.user).post(_reply_url(question), {"text": "回覆"})
    assert response.status_code == 400
    assert not QuestionReply.objects.exists() and not Video.objects.exists()


def _another_group_with_a_thread(candidate, offices):
    """Give the candidate one more office's group: consent, roster, a session, and a question with a filed reply."""
    office = LandOfficeFactory()
    offices.append(office)
    portfolio_consent_set(candidate=candidate, office_ids=[item.pk for item in offices], acting_user=candidate.user)
    leader = make_user(Role.FOCUS_GROUP_LEADER, office=office)
    group = focus_group_create(office=office, cycle=candidate.cycle, leader=leader)
    roster_fix(group=group, candidate_ids=[candidate.pk], version=None, acting_user=leader)
    Session.objects.create(group=group, starts_at=clock.now() + dt.timedelta(days=2),
                           meeting_url="https://meet.example.org/x", agenda="議程")
    question = _asked(group, candidate, leader)
    question_reply(question=question, author=candidate.user, text="回覆", evidence_files=[_png()])
    question_reply(question=question, author=leader, text="追問")


def test_the_candidate_page_reads_in_constant_queries(fg_group, fg_leader, fg_candidate, fg_office, page_queries):
    """Each group adds rows, not queries: the page costs the same with one group as with three."""
    offices = [fg_office]
    question = _asked(fg_group, fg_candidate, fg_leader)
    question_reply(question=question, author=fg_candidate.user, text="回覆", evidence_files=[_png()])
    client = signed_in(fg_candidate.user)
    url = reverse("focusgroups:candidate_groups")
    one = page_queries(client, url)
    _another_group_with_a_thread(fg_candidate, offices)
    _another_group_with_a_thread(fg_candidate, offices)
    three = page_queries(client, url)
    assert three.response.content.decode().count("回覆") == 3
    assert three.count == one.count


def test_the_scoring_page_shows_the_threads_and_asks_through_the_ask_address(fg_group, fg_member, fg_leader,
                                                                            fg_candidate):
    question = _asked(fg_group, fg_candidate, fg_leader, text="請說明重測專案經驗。")
    page = signed_in(fg_member).get(reverse("focusgroups:score_candidate", kwargs={
        "pk": fg_group.pk, "candidate_id": fg_candidate.pk})).content.decode()
    assert "請說明重測專案經驗。" in page and _thread_url(question) in page
    assert f'action="{_ask_url(fg_group, fg_candidate)}"' in page
