"""Lengths that accounts' text fields may not exceed, and the messages that say so."""
from django.utils.translation import gettext_lazy as _

# RFC 5321 limits a mail path to 256 octets including its angle brackets, which leaves 254 for the address.
EMAIL_MAX_LENGTH = 254
# The length of the User.name column.
NAME_MAX_LENGTH = 150

# Django fills in limit_value and show_value when a form field's max_length is exceeded.
EMAIL_TOO_LONG = _("An email address is at most %(limit_value)d characters long (this one has %(show_value)d).")
NAME_TOO_LONG = _("A name is at most %(limit_value)d characters long (this one has %(show_value)d).")


def email_too_long_message(email: str) -> str | None:
    """Return why the email address is too long, or None if it fits."""
    if len(email) > EMAIL_MAX_LENGTH:
        return EMAIL_TOO_LONG % {"limit_value": EMAIL_MAX_LENGTH, "show_value": len(email)}
    return None
