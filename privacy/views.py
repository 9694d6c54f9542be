"""The candidate's "My data" pages and the examination staff's list of erasures; each calls one service."""
from django.contrib import messages
from django.contrib.auth import logout
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import access, selectors, services
from .rules import erasure_allowed, erasure_opens_at


@require_GET
def mine(request):
    rows = selectors.candidacy_privacy_list(request.user)
    refreshing = any(row.export is not None and not row.export.is_finished for row in rows)
    return render(request, "privacy/mine.html", {"rows": rows, "refreshing": refreshing})


@require_POST
def export_request(request, pk):
    candidate = access.own_candidacy_get(request.user, pk)
    try:
        services.data_export_request(candidate=candidate, acting_user=request.user)
    except services.PrivacyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your archive is being built. This page shows when it is ready."))
    return redirect("privacy:mine")


@require_GET
def export_download(request, pk):
    export = access.own_export_get(request.user, pk)
    filename = f"surveyplace-{export.candidate.exam_number}.zip"
    storage = export.file.storage
    try:
        path = storage.path(export.file.name)
    except NotImplementedError:
        # On S3 the browser fetches the archive straight from the bucket, through a link that works for a minute
        # and is handed only to the archive's owner, so no worker holds gigabytes in memory.
        return redirect(storage.url(export.file.name, expire=60, parameters={
            "ResponseContentDisposition": f'attachment; filename="{filename}"',
            "ResponseContentType": "application/zip"}))
    try:
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it.
    except FileNotFoundError as error:
        raise Http404 from error
    # FileResponse streams the archive from disk in blocks.
    return FileResponse(handle, as_attachment=True, content_type="application/zip", filename=filename)


@require_http_methods(["GET", "HEAD", "POST"])
def erase(request, pk):
    """Ask whether to erase the candidacy's personal data, saying what goes and what stays (GET), then erase it."""
    candidate = access.own_candidacy_get(request.user, pk)
    if not erasure_allowed(candidate.cycle):
        messages.error(request, _("Your data can be erased only after the cycle has closed."))
        return redirect("privacy:mine")
    if request.method != "POST":
        return render(request, "privacy/erase_confirm.html", {
            "candidate": candidate, "opens_at": erasure_opens_at(candidate.cycle)})
    try:
        services.candidate_erase(candidate=candidate)
    except services.PrivacyError as error:
        messages.error(request, str(error))
        return redirect("privacy:mine")
    # The account is deleted or closed with the data (or no longer linked to this candidacy): sign out.
    logout(request)
    messages.success(request, _("Your personal data was erased."))
    return redirect("home")


@require_GET
def erasures(request):
    return render(request, "privacy/erasures.html", {"erasures": selectors.erasure_list()})
