"""Reminders before the deadlines: members with candidates left to score, candidates with questions left to answer."""
import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from core import clock
from focusgroups.models import QuestionReply, Reminder, Submission
from focusgroups.services.questions import question_ask
from focusgroups.services.reminders import focus_group_reminders_send
from focusgroups.tasks import focus_group_reminders_send_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def closing_soon(fg_group):
    """Move the focus-group deadline to a day from now, inside the reminder window."""
    cycle = fg_group.cycle
    cycle.focus_groups_until = clock.now() + dt.timedelta(hours=24)
    cycle.save(update_fields=["focus_groups_until"])
    return fg_group


def _ask(group, candidate, by, *, hours):
    return question_ask(group=group, candidate=candidate, text="請補充測站照片。",
                        reply_due_at=clock.now() + dt.timedelta(hours=hours), acting_user=by)


def test_reminders_go_once(closing_soon, fg_leader, fg_member, fg_candidate, mailoutbox):
    """Both raters and the candidate are reminded once; running again sends nothing more."""
    question = _ask(closing_soon, fg_candidate, fg_leader, hours=12)
    mailoutbox.clear()
    assert focus_group_reminders_send() == 3
    assert sorted(address for mail in mailoutbox for address in mail.to) == sorted(
        [fg_leader.email, fg_member.email, fg_candidate.user.email])
    [to_candidate] = [mail for mail in mailoutbox if mail.to == [fg_candidate.user.email]]
    assert reverse("focusgroups:candidate_question", kwargs={"question_id": question.pk}) in to_candidate.body
    assert focus_group_reminders_send() == 0
    focus_group_reminders_send_task()
    assert len(mailoutbox) == 3
    assert Reminder.objects.count() == 3


def test_nobody_is_reminded_while_the_deadlines_are_far(fg_group, fg_leader, fg_candidate, mailoutbox):
    """The focus-group deadline is ten days away and the question's five: both outside the window."""
    _ask(fg_group, fg_candidate, fg_leader, hours=5 * 24)
    mailoutbox.clear()
    assert focus_group_reminders_send() == 0
    assert mailoutbox == []


def test_those_who_are_done_are_not_reminded(closing_soon, fg_leader, fg_member, fg_candidate, mailoutbox):
    """A member who submitted every candidate, and a candidate who replied, get no reminder."""
    Submission.objects.create(group=closing_soon, rater=fg_member, candidate=fg_candidate, submitted_at=clock.now())
    question = _ask(closing_soon, fg_candidate, fg_leader, hours=12)
    QuestionReply.objects.create(question=question, author=fg_candidate.user, text="已補充", created_at=clock.now())
    mailoutbox.clear()
    assert focus_group_reminders_send() == 1
    assert [mail.to for mail in mailoutbox] == [[fg_leader.email]]


def test_a_new_question_gets_its_own_reminder(closing_soon, fg_leader, fg_candidate, mailoutbox):
    _ask(closing_soon, fg_candidate, fg_leader, hours=12)
    focus_group_reminders_send()
    later = _ask(closing_soon, fg_candidate, fg_leader, hours=20)
    mailoutbox.clear()
    assert focus_group_reminders_send() == 1
    [mail] = mailoutbox
    assert reverse("focusgroups:candidate_question", kwargs={"question_id": later.pk}) in mail.body


def test_the_reminders_run_every_hour():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["focusgroups.tasks.focus_group_reminders_send_task"] == 3600
