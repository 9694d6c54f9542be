"""Caps on multipart uploads (evidence, attachments, imports): reading stops once a file or the request is too big.

Django's own handlers write a large file to the server's temporary space before any form or service sees its size.
CappedUploadHandler, first in FILE_UPLOAD_HANDLERS, refuses the upload once the request's announced length passes
MEDIA_UPLOAD_REQUEST_MAX_BYTES or one file's bytes pass MEDIA_UPLOAD_FILE_MAX_BYTES: the rest of the body is never
read, and what was written of the refused file is deleted. The refusal is kept on the request. A view marked with
`shows_upload_refusal` shows it in its own form (read it with `upload_refusal`); for any other view,
UploadRefusalMiddleware answers before the view runs, with the message on the page the form was sent from.
"""
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .messages import problem_message


@dataclass(frozen=True)
class UploadRefused:
    code: str
    params: dict

    @property
    def message(self) -> str:
        return problem_message(self.code, self.params)


class CappedUploadHandler(FileUploadHandler):
    """Stop reading a multipart body once the request or one of its files passes its cap; keep nothing of it."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803 - Django's name.
        self.request_length = content_length
        # The fields before the first file (the CSRF token, a title) are still read, so the refusal can be shown.
        self.request_too_long = content_length > settings.MEDIA_UPLOAD_REQUEST_MAX_BYTES
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.request_too_long:
            self._refuse("upload_request_too_large", {"size": self.request_length,
                                                      "limit": settings.MEDIA_UPLOAD_REQUEST_MAX_BYTES})

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.MEDIA_UPLOAD_FILE_MAX_BYTES:
            self._refuse("upload_file_too_large", {"limit": settings.MEDIA_UPLOAD_FILE_MAX_BYTES})
        return raw_data

    def file_complete(self, file_size):
        return None

    def _refuse(self, code: str, params: dict):
        if self.request is not None:
            self.request.upload_refused = UploadRefused(code, params)
        # The parser closes the files the later handlers were writing, which deletes their temporary files, and
        # leaves the rest of the body unread.
        raise StopUpload(connection_reset=True)


def upload_refusal(request) -> str | None:
    """Return why the request's upload was refused, in the active language, or None when it was not."""
    refusal = getattr(request, "upload_refused", None)
    return refusal.message if refusal is not None else None


def shows_upload_refusal(view):
    """Mark a view that shows an upload refusal in its own form, so UploadRefusalMiddleware lets it run."""
    view.shows_upload_refusal = True
    return view


class UploadRefusalMiddleware:
    """Answer a refused multipart upload with its reason, before a view could take the form for one without files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.content_type != "multipart/form-data":
            return None
        request.POST  # noqa: B018 - parsing the body now is what tells whether its upload was refused.
        refusal = getattr(request, "upload_refused", None)
        if refusal is None or getattr(view_func, "shows_upload_refusal", False):
            return None
        back = request.headers.get("Referer", "")
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                    require_https=request.is_secure()):
            messages.error(request, refusal.message)
            return redirect(back)
        return render(request, "media_pipeline/upload_refused.html", {"message": refusal.message}, status=413)
