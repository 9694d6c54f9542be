"""The emails that announce a publication: planned once, sent in batches, each recipient at most once.

Planning writes one PublicationEmail row per recipient in a short transaction; sending happens outside any
transaction, in Celery tasks of EMAIL_BATCH_SIZE emails (a setting), each claiming its row just before
it sends. A task that fails halfway or runs twice therefore never emails anyone a second time, and a failed send
keeps its error and is sent by the next attempt.
"""
import logging
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import RoleGrant
from core import clock
from core.audit import audit_event
from core.queue import enqueue

from ..models import Assignment, Publication, PublicationEmail

logger = logging.getLogger(__name__)

def publication_emails_plan(*, publication_id: int) -> list[int]:
    """Write the email rows of a publication (once) and return the ids of those not yet sent."""
    publication = Publication.objects.get(pk=publication_id)
    assignments = list(Assignment.objects.filter(run=publication.run_id).select_related("candidate")
                       .order_by("candidate__exam_rank"))
    placed_offices = sorted({assignment.office_id for assignment in assignments if assignment.office_id})
    office_emails: dict[int, set[str]] = {}
    for grant in RoleGrant.objects.filter(office_id__in=placed_offices).select_related("user"):
        office_emails.setdefault(grant.office_id, set()).add(grant.user.email)
    rows = [PublicationEmail(publication=publication, assignment=assignment, to=[assignment.candidate.email])
            for assignment in assignments]
    rows += [PublicationEmail(publication=publication, office_id=office_id, to=sorted(office_emails[office_id]))
             for office_id in placed_offices if office_id in office_emails]
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
        context.update(office=email.office, placed=placed_by_office.get(email.office_id, []))
        kind = "office"
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"placement/email/{kind}_subject.txt", context).strip()
        body = render_to_string(f"placement/email/{kind}_body.txt", context)
    return EmailMessage(subject, body, to=email.to)


def publication_emails_send(*, email_ids: list[int]) -> int:
    """Send the unsent emails among these ids, each at most once; return the number sent."""
    emails = list(PublicationEmail.objects.filter(pk__in=email_ids, sent_at__isnull=True)
                  .select_related("publication__cycle", "assignment__candidate", "assignment__office", "office")
                  .order_by("pk"))
    office_emails = [email for email in emails if email.office_id]
    placed_by_office: dict[int, list[Assignment]] = {}
    if office_emails:
        placed = (Assignment.objects.filter(run=office_emails[0].publication.run_id,
                                            office_id__in=[email.office_id for email in office_emails])
                  .select_related("candidate", "office").order_by("office_id", "candidate__exam_rank"))
        placed_by_office = {office_id: list(rows) for office_id, rows in groupby(placed, key=lambda a: a.office_id)}
    connection = get_connection()
    sent = 0
    for email in emails:
        # Claiming the row before sending is what makes a retried or duplicated task skip it.
        claimed = PublicationEmail.objects.filter(pk=email.pk, claimed_at__isnull=True).update(claimed_at=clock.now())
        if not claimed:
            continue
        try:
            connection.send_messages([_message(email, placed_by_office)])
        except Exception as error:
            logger.exception("Publication email %s could not be sent.", email.pk)
            PublicationEmail.objects.filter(pk=email.pk).update(claimed_at=None, error=str(error)[:500])
            continue
        PublicationEmail.objects.filter(pk=email.pk).update(sent_at=clock.now(), error="")
        sent += 1
    return sent
