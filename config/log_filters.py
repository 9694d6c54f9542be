"""Logging filters that every handler uses."""
import logging
import re

# Query parameters and headers whose values are credentials. google-api-python-client logs each request URL at
# DEBUG level, and the YouTube API key rides in it as `key=`; presigned S3 URLs carry a signature.
SECRET_PARAMETER = re.compile(
    r"(?P<name>\b(?:key|api_key|access_token|refresh_token|id_token|client_secret|code|password|token|"
    r"X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|Signature)=)[^&\s\"'#]+",
    re.IGNORECASE,
)
SECRET_HEADER = re.compile(r"(?P<name>\bAuthorization:\s*(?:Bearer|Basic)\s+)\S+", re.IGNORECASE)
# Link tokens are credentials too: whoever has an invitation, password-reset or email-confirmation link may take
# the account it belongs to.
SECRET_PATH = re.compile(
    r"(?P<name>/invitations/accept/|/accounts/password/reset/key/|/accounts/confirm-email/)[^/\s\"']+"
)
# Taiwan's national ID numbers (國民身分證統一編號) and resident certificate numbers: a letter, then 1/2 (citizens) or
# 8/9 (the new resident certificates) and eight digits. They are personal data and never belong in a log.
NATIONAL_ID = re.compile(r"\b[A-Z][1289]\d{8}\b")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """Return text with the values of credential parameters and authorization headers replaced."""
    text = SECRET_PARAMETER.sub(lambda match: match["name"] + REDACTED, text)
    text = SECRET_PATH.sub(lambda match: match["name"] + REDACTED, text)
    text = NATIONAL_ID.sub(REDACTED, text)
    return SECRET_HEADER.sub(lambda match: match["name"] + REDACTED, text)


class RedactSecrets(logging.Filter):
    """Remove API keys, tokens and signatures from every record, whatever the logger and the level."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
