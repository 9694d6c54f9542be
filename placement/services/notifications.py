"""The emails that announce a publication: planned once, sent in batches, each recipient at most once.

Planning writes one PublicationEmail row per recipient address in a short transaction: each candidate's result,
and each office staff member's list of the candidates placed at their office. Sending happens outside any
transaction, in Celery tasks of EMAIL_BATCH_SIZE emails (a setting), each claiming its row just before it sends
and marking it sent right after. A task that fails halfway or runs twice therefore never emails anyone a second
time; a failed send keeps its error, releases its claim and is sent again by the task's automatic retries.

One mail-server connection serves a whole batch. A server that fails to close it (after it accepted the messages)
changes nothing, and a server that drops it after one refused message is reconnected, so that one address never
stops the others.
"""
import logging
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import RoleGrant
from core import clock
from core.audit import audit_event
from core.queue import enqueue

from ..models import Assignment, Publication, PublicationEmail

logger = logging.getLogger(__name__)


class EmailsPending(Exception):
    """Some emails of a batch could not be sent; the sending task retries them later."""


def publication_emails_plan(*, publication_id: int) -> list[int]:
    """Write the email rows of a publication (once) and return the ids of those not yet sent."""
    publication = Publication.objects.get(pk=publication_id)
    assignments = list(Assignment.objects.filter(run=publication.run_id).select_related("candidate")
                       .order_by("candidate__exam_rank"))
    placed_offices = sorted({assignment.office_id for assignment in assignments if assignment.office_id})
    office_emails: dict[int, set[str]] = {}
    for grant in RoleGrant.objects.filter(office_id__in=placed_offices).select_related("user"):
        office_emails.setdefault(grant.office_id, set()).add(grant.user.email)
    rows = [PublicationEmail(publication=publication, assignment=assignment, recipient=assignment.candidate.email)
            for assignment in assignments]
    rows += [PublicationEmail(publication=publication, office_id=office_id, recipient=address)
             for office_id in placed_offices for address in sorted(office_emails.get(office_id, ()))]
    with transaction.atomic():
        # The unique constraints make planning idempotent: a second plan adds nothing.
        planned = not publication.emails.exists()
        PublicationEmail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        if planned:
            audit_event(publication, "publication.emails_planned", actor=None, emails=len(rows))
    return list(PublicationEmail.objects.filter(publication=publication, sent_at__isnull=True)
                .order_by("pk").values_list("pk", flat=True))


def publication_notify(*, publication_id: int) -> int:
    """Plan a publication's emails and queue them in batches; return the number of emails queued."""
    unsent = publication_emails_plan(publication_id=publication_id)
    size = settings.EMAIL_BATCH_SIZE
    for start in range(0, len(unsent), size):
        enqueue("placement.tasks.publication_emails_send_task", unsent[start:start + size])
    return len(unsent)


def _message(email: PublicationEmail, placed_by_office: dict[int, list[Assignment]]) -> EmailMessage:
    context = {"publication": email.publication, "site_url": settings.SITE_URL}
    if email.assignment_id:
        context["assignment"] = email.assignment
        kind = "result"
    else:
        placed = placed_by_office.get(email.office_id, [])
        # The office as it was named when published, like the rows listed.
        context.update(office=email.office, placed=placed,
                       office_name=placed[0].office_name if placed else email.office.name)
        kind = "office"
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"placement/email/{kind}_subject.txt", context).strip()
        body = render_to_string(f"placement/email/{kind}_body.txt", context)
    return EmailMessage(subject, body, to=email.to)


def _close_quietly(connection) -> None:
    # The server has accepted every message sent so far: a failure to say goodbye must not mark any as failed.
    try:
        connection.close()
    except Exception:
        logger.warning("The mail connection did not close cleanly; the emails sent on it stay sent.", exc_info=True)


def _reopen(connection) -> None:
    # After a failed send the connection may be broken; a fresh one keeps the next recipients' emails going.
    _close_quietly(connection)
    try:
        connection.open()
    except Exception:
        logger.warning("The mail connection could not be opened again.", exc_info=True)


def publication_emails_send(*, email_ids: list[int]) -> int:
    """Send the unsent emails among these ids, each at most once; return the number sent."""
    emails = list(PublicationEmail.objects.filter(pk__in=email_ids, sent_at__isnull=True)
                  .select_related("publication__cycle", "assignment__candidate", "office")
                  .order_by("pk"))
    if not emails:
        return 0
    office_emails = [email for email in emails if email.office_id]
    placed_by_office: dict[int, list[Assignment]] = {}
    if office_emails:
        placed = (Assignment.objects.filter(run=office_emails[0].publication.run_id,
                                            office_id__in=[email.office_id for email in office_emails])
                  .select_related("candidate").order_by("office_id", "exam_rank", "pk"))
        placed_by_office = {office_id: list(rows) for office_id, rows in groupby(placed, key=lambda a: a.office_id)}
    connection = get_connection()
    try:
        # Opened here, the connection stays open across the batch: send_messages closes only what it opened.
        connection.open()
    except Exception:
        logger.warning("The mail connection could not be opened; each email will try on its own.", exc_info=True)
    sent = 0
    try:
        for email in emails:
            # Claiming the row before sending is what makes a retried or duplicated task skip it.
            claimed = PublicationEmail.objects.filter(pk=email.pk, claimed_at__isnull=True, sent_at__isnull=True
                                                      ).update(claimed_at=clock.now(), attempts=F("attempts") + 1)
            if not claimed:
                continue
            try:
                if not connection.send_messages([_message(email, placed_by_office)]):
                    raise OSError("the mail server accepted nothing")
            except Exception as error:
                logger.exception("Publication email %s could not be sent.", email.pk)
                PublicationEmail.objects.filter(pk=email.pk).update(claimed_at=None, error=str(error)[:500])
                _reopen(connection)
                continue
            PublicationEmail.objects.filter(pk=email.pk).update(sent_at=clock.now(), error="")
            sent += 1
    finally:
        _close_quietly(connection)
    return sent


def publication_emails_failed(*, email_ids: list[int]) -> int:
    """Return how many of these emails are neither sent nor being sent: those a retry should send."""
    return PublicationEmail.objects.filter(pk__in=email_ids, sent_at__isnull=True, claimed_at__isnull=True).count()
