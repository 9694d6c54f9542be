"""What every practice service shares: its error, stored files and the checks of uploaded files."""
import uuid

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ..attachments import sniff_attachment
from ..scoring import choice_problems


class PracticeError(ValueError):
    """A write refused with a message in the user's language; nothing was saved."""


CHOICE_PROBLEM_MESSAGES = {
    "too_few": lambda: _("Give at least two choices."),
    "too_many": lambda: _("Give at most six choices."),
    "no_right_answer": lambda: _("Mark at least one choice as a right answer."),
    "right_without_text": lambda: _("A choice marked as right needs its text."),
}


def choices_checked(choices: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Return the choices with text, or raise PracticeError naming every problem of the question's choices."""
    problems = choice_problems(choices)
    if problems:
        raise PracticeError(" ".join(str(CHOICE_PROBLEM_MESSAGES[code]()) for code in problems))
    return [(text.strip(), is_right) for text, is_right in choices if text.strip()]


def uploaded_file_checked(uploaded_file) -> tuple[str, str]:
    """Return (content type, extension) of an upload judged by its bytes, or raise PracticeError."""
    limit = settings.MEDIA_EVIDENCE_MAX_BYTES
    if uploaded_file.size > limit:
        raise PracticeError(_("%(name)s is larger than %(limit)s.") % {
            "name": uploaded_file.name, "limit": filesizeformat(limit)})
    if uploaded_file.size == 0:
        raise PracticeError(_("%(name)s is empty.") % {"name": uploaded_file.name})
    uploaded_file.seek(0)
    sniffed = sniff_attachment(uploaded_file.read(), filename=uploaded_file.name or "")
    uploaded_file.seek(0)
    if sniffed is None:
        raise PracticeError(_("%(name)s is not a PDF, JPEG, PNG, XLSX, CSV or plain text file.") % {
            "name": uploaded_file.name})
    return sniffed


def stored_file_save(uploaded_file, *, folder: str, extension: str) -> str:
    """Store an upload under a random name with the extension its content showed; return the stored name."""
    return default_storage.save(f"practice/{folder}/{uuid.uuid4().hex}.{extension}", File(uploaded_file))


def stored_files_delete_on_commit(names: list[str]) -> None:
    """Delete stored files once the transaction that stopped using them commits."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
