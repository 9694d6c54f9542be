"""An email backend for tests: Django's in-memory outbox, except that it refuses chosen addresses."""
from smtplib import SMTPRecipientsRefused

from django.core.mail.backends.locmem import EmailBackend


class RefusingEmailBackend(EmailBackend):
    """Deliver to the test outbox, refusing any message to an address in `refused` as a mail server would."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            refused = self.refused.intersection(message.to)
            if refused:
                raise SMTPRecipientsRefused({address: (550, b"mailbox unavailable") for address in refused})
        return super().send_messages(messages)
