"""Questions to a rostered candidate (回復用人機關): a member asks, the candidate answers with text, files or a video.

The candidate's files and video go through the media pipeline, so they are checked by content like any other
evidence, and belong to the candidate. Every reply is all or nothing: when one file is refused, no file is kept.
"""
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core import clock
from core.audit import audit_event
from media_pipeline.models import EvidenceFile, Video
from media_pipeline.services.evidence import evidence_add
from media_pipeline.services.shared import MediaError
from media_pipeline.services.youtube_links import video_youtube_add
from media_pipeline.youtube_urls import YouTubeURLError, parse_video_id

from ..access import groups_led_by, groups_rated_by
from ..models import CandidateQuestion, FocusGroup, QuestionReply
from .shared import FocusGroupError, require_group_phase, require_not_finalised

logger = logging.getLogger(__name__)

MAX_REPLY_FILES = 10


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _asks_for_group(user, group: FocusGroup) -> bool:
    """Say whether the user is the group's leader or an active member holding a group role at its office."""
    scope = groups_rated_by(user) | groups_led_by(user)
    return FocusGroup.objects.filter(pk__in=scope.values("pk")).filter(pk=group.pk).exists()


def _locked(group: FocusGroup) -> FocusGroup:
    return FocusGroup.objects.select_for_update().select_related("office", "cycle").get(pk=group.pk)


# ---- Asking -----------------------------------------------------------------------------------------------------

def question_ask(*, group: FocusGroup, candidate, text: str, reply_due_at, acting_user) -> CandidateQuestion:
    """Ask a rostered candidate a question, or for more evidence, to be answered by a deadline; email them."""
    text = text.strip()
    if not text:
        raise FocusGroupError(_("Write the question."))
    with transaction.atomic():
        group = _locked(group)
        require_group_phase(group)
        require_not_finalised(group)
        if not _asks_for_group(acting_user, group):
            raise FocusGroupError(_("Only the leader or a member of this focus group can ask its candidates."))
        if not group.roster.filter(candidate=candidate).exists():
            raise FocusGroupError(_("Only candidates on the focus group's roster can be asked."))
        now = clock.now()
        if reply_due_at <= now:
            raise FocusGroupError(_("The reply deadline must be in the future."))
        deadline = group.cycle.focus_groups_until
        if deadline is not None and reply_due_at > deadline:
            raise FocusGroupError(_("The reply deadline cannot be after the focus-group deadline (%(deadline)s).")
                                  % {"deadline": _when(deadline)})
        question = CandidateQuestion.objects.create(group=group, candidate=candidate, asked_by=acting_user,
                                                    text=text, reply_due_at=reply_due_at, created_at=now)
        audit_event(question, "focus_group_question.asked", actor=acting_user, group=group.pk,
                    candidate=candidate.pk, reply_due_at=reply_due_at.isoformat(), changes={"text": [None, text]})
        transaction.on_commit(lambda: _notify_safely(question_asked_notify, question_id=question.pk))
    return question


# ---- Replying ---------------------------------------------------------------------------------------------------

def _is_candidate_of(question: CandidateQuestion, user) -> bool:
    return question.candidate.user_id is not None and question.candidate.user_id == user.pk


def _reply_video(question: CandidateQuestion, *, url: str, title: str, author) -> Video:
    """Return the candidate's video for this link: the one they already have, or a new one."""
    try:
        youtube_id = parse_video_id(url)
    except YouTubeURLError:
        youtube_id = None  # The media service refuses it with the message that says what a link looks like.
    if youtube_id is not None:
        existing = Video.objects.filter(candidate=question.candidate, kind=Video.Kind.YOUTUBE,
                                        youtube_id=youtube_id).first()
        if existing is not None:
            return existing
    return video_youtube_add(url=url, title=title or _("Reply to the focus group of %(office)s")
                             % {"office": question.group.office.name}, acting_user=author,
                             candidate=question.candidate, for_reply=True)


def question_reply(*, question: CandidateQuestion, author, text: str, evidence_files=(), youtube_url: str = "",
                   youtube_title: str = "") -> QuestionReply:
    """Add a message to a question's thread: the candidate's answer by the deadline, or a member's follow-up.

    The candidate may attach files and a YouTube link, each kept through the media pipeline; members write text.
    Nothing is saved, and no file is kept, unless every part is accepted.
    """
    text, youtube_url = text.strip(), youtube_url.strip()
    evidence_files = list(evidence_files)
    group = question.group
    from_candidate = _is_candidate_of(question, author)
    if not from_candidate and not _asks_for_group(author, group):
        raise FocusGroupError(_("Only the candidate asked and the focus group can write in this thread."))
    if from_candidate and clock.now() > question.reply_due_at:
        raise FocusGroupError(_("The reply deadline (%(deadline)s) has passed, so the reply was not sent. "
                                "Ask the focus group if they can ask you again.")
                              % {"deadline": _when(question.reply_due_at)})
    if not from_candidate and (evidence_files or youtube_url):
        raise FocusGroupError(_("Only the candidate attaches files or videos to the thread."))
    if not (text or evidence_files or youtube_url):
        raise FocusGroupError(_("Write a reply, attach a file or give a YouTube link."))
    if len(evidence_files) > MAX_REPLY_FILES:
        raise FocusGroupError(_("Attach at most %(count)s files to one reply.") % {"count": MAX_REPLY_FILES})
    stored: list[str] = []
    try:
        with transaction.atomic():
            group = FocusGroup.objects.select_for_update().select_related("office", "cycle").get(pk=group.pk)
            require_group_phase(group)
            require_not_finalised(group)
            question.group = group
            reply = QuestionReply.objects.create(question=question, author=author, text=text,
                                                 created_at=clock.now())
            files: list[EvidenceFile] = []
            for uploaded_file in evidence_files:
                try:
                    evidence = evidence_add(candidate=question.candidate, uploaded_file=uploaded_file,
                                            title=uploaded_file.name or "", acting_user=author, for_reply=True)
                except MediaError as error:
                    raise FocusGroupError(_("%(name)s: %(problem)s") % {"name": uploaded_file.name,
                                                                        "problem": error}) from error
                stored.append(evidence.file.name)
                files.append(evidence)
            if files:
                reply.evidence.set(files)
            if youtube_url:
                try:
                    reply.video = _reply_video(question, url=youtube_url, title=youtube_title.strip(),
                                               author=author)
                except MediaError as error:
                    raise FocusGroupError(str(error)) from error
                reply.save(update_fields=["video"])
            audit_event(reply, "focus_group_question.replied", actor=author, question=question.pk,
                        group=group.pk, candidate=question.candidate_id, by_candidate=from_candidate,
                        evidence=[evidence.pk for evidence in files], video=reply.video_id,
                        changes={"text": [None, text]})
            transaction.on_commit(lambda: _notify_safely(question_replied_notify, reply_id=reply.pk))
    except Exception:
        # The rows rolled back with the transaction, but stored files do not; remove those this reply stored.
        _stored_files_delete(stored)
        raise
    return reply


def _stored_files_delete(names: list[str]) -> None:
    storage = EvidenceFile._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # A file left behind costs storage, not correctness: no row points to it.
            logger.exception("Could not delete stored file %s", name)


# ---- Emails -----------------------------------------------------------------------------------------------------

def _notify_safely(notify, **ids) -> None:
    """Send a notification after commit; a mail server that fails must not turn the saved message into an error."""
    try:
        notify(**ids)
    except Exception:
        logger.exception("A focus-group question notification (%s) could not be sent.", ids)


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _candidate_address(candidate) -> str:
    return (candidate.user.email if candidate.user_id else "") or candidate.email


def question_asked_notify(*, question_id: int) -> bool:
    """Email the candidate that a focus group asked them something, with a link to the thread."""
    question = (CandidateQuestion.objects.filter(pk=question_id)
                .select_related("group__office", "candidate__user").first())
    if question is None:
        return False
    address = _candidate_address(question.candidate)
    if not address:
        return False
    # Emails go out in the site's language, as the others do: accounts keep no language preference.
    with translation.override(settings.LANGUAGE_CODE):
        office = question.group.office.name
        subject = _("[SurveyPlace] The focus group of %(office)s asks you a question") % {"office": office}
        body = _(
            "The focus group of %(office)s asks you:\n\n%(text)s\n\n"
            "Please reply by %(deadline)s, with text, files or a YouTube link: %(url)s\n"
        ) % {"office": office, "text": question.text,
             "deadline": _when(question.reply_due_at),
             "url": _site_url(reverse("focusgroups:candidate_question", kwargs={"question_id": question.pk}))}
    send_mail(subject, body, None, [address])
    return True


def question_replied_notify(*, reply_id: int) -> int:
    """Email the other side of the thread about a new message; return how many were emailed."""
    reply = (QuestionReply.objects.filter(pk=reply_id)
             .select_related("question__group__office", "question__candidate__user", "question__asked_by").first())
    if reply is None:
        return 0
    question = reply.question
    with translation.override(settings.LANGUAGE_CODE):
        office = question.group.office.name
        if _is_candidate_of(question, reply.author):
            # The asker, and every member who wrote in the thread, follow it.
            recipients = {question.asked_by.email, *question.replies.exclude(author=reply.author)
                          .values_list("author__email", flat=True)}
            url = reverse("focusgroups:question_thread", kwargs={"question_id": question.pk})
            subject = _("[SurveyPlace] %(candidate)s replied to the focus group of %(office)s") % {
                "candidate": question.candidate.name, "office": office}
            body = _("%(candidate)s replied to the question:\n\n%(question)s\n\nRead the reply: %(url)s\n")
        else:
            recipients = {_candidate_address(question.candidate)}
            url = reverse("focusgroups:candidate_question", kwargs={"question_id": question.pk})
            subject = _("[SurveyPlace] The focus group of %(office)s wrote again") % {"office": office}
            body = _("The focus group of %(office)s wrote again about its question:\n\n%(question)s\n\n"
                     "Read it and reply: %(url)s\n")
        body = body % {"candidate": question.candidate.name, "office": office, "question": question.text,
                       "url": _site_url(url)}
    recipients = sorted(address for address in recipients if address)
    if recipients:
        send_mail(subject, body, None, recipients)
    return len(recipients)
