"""Reminders before a deadline: members with candidates left to score, candidates with questions left to answer.

A periodic task calls `focus_group_reminders_send` every hour. Each reminder is claimed by a Reminder row before
it is sent (one per group, person and kind), so running again, or twice at once, sends nobody a second email.
"""
import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core import clock

from ..models import CandidateQuestion, FocusGroup, Reminder, Submission
from ..selectors import rater_ids

logger = logging.getLogger(__name__)

SCORING_DUE = "scoring_due"


def reply_due_kind(question: CandidateQuestion) -> str:
    """Name the reminder of one question, so a later question with its own deadline is reminded too."""
    return f"reply_due:{question.pk}"


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _claimed(*, group_id: int, user_id: int, kind: str) -> Reminder | None:
    """Claim a reminder: return its new row, or None when it already went out (or another run is sending it)."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(group_id=group_id, user_id=user_id, kind=kind, sent_at=clock.now())
    except IntegrityError:
        return None


def _send(claims: list[Reminder], subject: str, body: str, address: str) -> bool:
    """Send one email for these claims; when sending fails, release them so the next run tries again."""
    try:
        send_mail(subject, body, None, [address])
    except Exception:
        logger.exception("A focus-group reminder to %s could not be sent.", address)
        Reminder.objects.filter(pk__in=[claim.pk for claim in claims]).delete()
        return False
    return True


def _members_remind(now, window) -> int:
    """Email each active member who has rostered candidates left to submit, in groups whose scoring is open."""
    sent = 0
    groups = (FocusGroup.objects.filter(state=FocusGroup.State.SCORING, cycle__focus_groups_until__gt=now,
                                        cycle__focus_groups_until__lte=now + window)
              .select_related("office", "cycle").order_by("pk"))
    for group in groups:
        raters = rater_ids(group)
        roster = set(group.roster.values_list("candidate_id", flat=True))
        done: dict[int, set[int]] = defaultdict(set)
        for rater_id, candidate_id in Submission.objects.filter(group=group, submitted_at__isnull=False).values_list(
                "rater_id", "candidate_id"):
            done[rater_id].add(candidate_id)
        members = {member.user_id: member.user for member in group.members.filter(user_id__in=raters)
                   .select_related("user")}
        for rater_id in raters:
            left = len(roster - done[rater_id])
            user = members.get(rater_id)
            if not left or user is None or not user.email:
                continue
            claim = _claimed(group_id=group.pk, user_id=rater_id, kind=SCORING_DUE)
            if claim is None:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("[SurveyPlace] Focus group of %(office)s: scores due by %(deadline)s") % {
                    "office": group.office.name, "deadline": _when(group.cycle.focus_groups_until)}
                body = _(
                    "You have %(count)s candidates of the focus group of %(office)s left to score and submit. "
                    "The focus-group deadline is %(deadline)s.\n\nScore them: %(url)s\n"
                ) % {"count": left, "office": group.office.name, "deadline": _when(group.cycle.focus_groups_until),
                     "url": _site_url(reverse("focusgroups:score_list", kwargs={"pk": group.pk}))}
            sent += _send([claim], subject, body, user.email)
    return sent


def _candidates_remind(now, window) -> int:
    """Email each candidate with unanswered questions due within the window, one email per candidate and group."""
    sent = 0
    questions = (CandidateQuestion.objects.filter(reply_due_at__gt=now, reply_due_at__lte=now + window,
                                                  candidate__user__isnull=False, reminded_at__isnull=True)
                 .exclude(group__state=FocusGroup.State.FINALISED)
                 .select_related("group__office", "candidate__user").order_by("group_id", "candidate_id", "pk"))
    answered = set(CandidateQuestion.objects.filter(pk__in=questions.values("pk"),
                                                    replies__author=F("candidate__user"))
                   .values_list("pk", flat=True))
    pending: dict[tuple[int, int], list[CandidateQuestion]] = defaultdict(list)
    for question in questions:
        if question.pk not in answered:
            pending[(question.group_id, question.candidate_id)].append(question)
    for due in pending.values():
        user = due[0].candidate.user
        address = user.email or due[0].candidate.email
        claims = [claim for question in due
                  if (claim := _claimed(group_id=question.group_id, user_id=user.pk, kind=reply_due_kind(question)))]
        due = [question for question in due if any(claim.kind == reply_due_kind(question) for claim in claims)]
        if not due or not address:
            continue
        office = due[0].group.office.name
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("[SurveyPlace] The focus group of %(office)s is waiting for your reply") % {"office": office}
            lines = [_("%(question)s\nReply by %(deadline)s: %(url)s") % {
                "question": question.text, "deadline": _when(question.reply_due_at),
                "url": _site_url(reverse("focusgroups:candidate_question", kwargs={"question_id": question.pk}))}
                for question in due]
            body = _("The focus group of %(office)s asked you and has no reply yet:") % {"office": office}
            body = body + "\n\n" + "\n\n".join(lines) + "\n"
        if _send(claims, subject, body, address):
            CandidateQuestion.objects.filter(pk__in=[question.pk for question in due]).update(reminded_at=now)
            sent += 1
    return sent


def focus_group_reminders_send() -> int:
    """Send the reminders now due, each once; return the number of emails sent."""
    now = clock.now()
    window = timedelta(hours=settings.FOCUS_GROUP_REMINDER_HOURS)
    return _members_remind(now, window) + _candidates_remind(now, window)
