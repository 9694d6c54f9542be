"""Result emails reach every recipient exactly once: per-address rows, automatic retries, and counts for staff."""
from smtplib import SMTPRecipientsRefused, SMTPResponseException

import pytest
from celery import current_app
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from placement.services.notifications import publication_notify
from placement.services.publications import publication_create
from placement.tasks import EMAIL_SEND_RETRIES
from tests.factories import make_user

pytestmark = pytest.mark.django_db


class FlakyBackend(EmailBackend):
    """The test outbox behind a mail server that refuses chosen addresses, each for a number of attempts.

    Like SMTP, a message is delivered to the addresses the server accepts, and refused as a whole only when it
    accepts none of them.
    """

    refusals: dict[str, int] = {}
    attempts: dict[str, int] = {}

    def send_messages(self, messages):
        for message in messages:
            refused = set()
            for address in message.to:
                FlakyBackend.attempts[address] = FlakyBackend.attempts.get(address, 0) + 1
                if FlakyBackend.refusals.get(address, 0) > 0:
                    FlakyBackend.refusals[address] -= 1
                    refused.add(address)
            if refused == set(message.to):
                raise SMTPRecipientsRefused({address: (550, b"mailbox unavailable") for address in refused})
            message.to = [address for address in message.to if address not in refused]
        return super().send_messages(messages)


class QuitFailingBackend(EmailBackend):
    """The test outbox behind a mail server that accepts every message but answers QUIT with an error.

    Like Django's SMTP backend, send_messages opens a connection when none is open and closes the one it opened.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.connection = None

    def open(self):
        if self.connection is not None:
            return False
        self.connection = object()
        return True

    def close(self):
        if self.connection is not None:
            self.connection = None
            raise SMTPResponseException(421, b"closing transmission channel")

    def send_messages(self, messages):
        opened = self.open()
        try:
            return super().send_messages(messages)
        finally:
            if opened:
                self.close()


@pytest.fixture
def flaky(settings, monkeypatch):
    """Send through FlakyBackend, with the tasks' retries run inline as a worker would run them later."""
    monkeypatch.setitem(current_app.conf, "task_eager_propagates", False)
    settings.EMAIL_BACKEND = "tests.placement.test_notice_delivery.FlakyBackend"
    FlakyBackend.refusals, FlakyBackend.attempts = {}, {}
    return FlakyBackend


@pytest.fixture
def ready(world, mailoutbox, django_capture_on_commit_callbacks):
    """A finished run of the world, ready to publish, with the deadline notices cleared from the outbox."""
    world.close_preferences()
    world.run_row = world.run(capture=django_capture_on_commit_callbacks)
    mailoutbox.clear()
    return world


def _received(mailoutbox) -> dict[str, int]:
    counts: dict[str, int] = {}
    for message in mailoutbox:
        for address in message.to:
            counts[address] = counts.get(address, 0) + 1
    return counts


def test_a_rerun_after_the_server_failed_to_close_the_connection_emails_nobody_twice(
        ready, settings, mailoutbox, django_capture_on_commit_callbacks):
    """A mail server that errs after accepting the messages leaves them sent: running the notices again sends none."""
    settings.EMAIL_BACKEND = "tests.placement.test_notice_delivery.QuitFailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        publication = publication_create(run=ready.run_row)
    with django_capture_on_commit_callbacks(execute=True):
        publication_notify(publication_id=publication.pk)
    assert _received(mailoutbox) == {candidate.email: 1 for candidate in ready.candidates}
    assert publication.emails.filter(sent_at__isnull=False).count() == 5


def test_a_refused_address_is_retried_automatically_and_emailed_once(ready, flaky, mailoutbox,
                                                                     django_capture_on_commit_callbacks):
    """The task retries the refused address on its own; everyone, that address included, gets one email."""
    refused = ready.candidates[2].email
    flaky.refusals = {refused: 2}
    with django_capture_on_commit_callbacks(execute=True):
        publication = publication_create(run=ready.run_row)
    assert _received(mailoutbox) == {candidate.email: 1 for candidate in ready.candidates}
    assert flaky.attempts[refused] == 3
    row = publication.emails.get(recipient=refused)
    assert row.sent_at is not None and row.attempts == 3 and row.error == ""


def test_each_office_staff_member_is_a_recipient_of_their_own(ready, flaky, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    """An office's staff are emailed one by one: a refused colleague is retried alone, nobody gets two."""
    make_user(Role.OFFICE_STAFF, office=ready.offices[0], email="a@example.com")
    make_user(Role.OFFICE_STAFF, office=ready.offices[0], email="b@example.com")
    flaky.refusals = {"b@example.com": 1}
    with django_capture_on_commit_callbacks(execute=True):
        publication = publication_create(run=ready.run_row)
    received = _received(mailoutbox)
    assert received["a@example.com"] == 1 and received["b@example.com"] == 1
    assert sorted(publication.emails.filter(office=ready.offices[0]).values_list("recipient", flat=True)) == [
        "a@example.com", "b@example.com"]


def test_an_address_refused_every_time_stops_after_bounded_retries_and_staff_see_it(
        client, ready, flaky, mailoutbox, django_capture_on_commit_callbacks):
    """The retries stop after a bounded number; everyone else has their email and the staff page counts the rest."""
    refused = ready.candidates[4].email
    flaky.refusals = {refused: 1000}
    with django_capture_on_commit_callbacks(execute=True):
        publication = publication_create(run=ready.run_row)
    assert flaky.attempts[refused] == EMAIL_SEND_RETRIES + 1
    assert _received(mailoutbox) == {candidate.email: 1 for candidate in ready.candidates[:4]}
    assert "mailbox unavailable" in publication.emails.get(recipient=refused).error
    client.force_login(make_user(Role.EXAM_STAFF))
    client.cookies["django_language"] = "en"
    body = client.get(reverse("placement:after_publication", kwargs={"pk": ready.cycle.pk})).content.decode()
    assert "Sent: 4" in body and "Failed: 1" in body and "Not sent yet: 0" in body
    client.cookies["django_language"] = "zh-hant"
    with translation.override("zh-hant"):
        body = client.get(reverse("placement:after_publication", kwargs={"pk": ready.cycle.pk})).content.decode()
    assert "失敗: 1" in body
