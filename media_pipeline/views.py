"""Pages for videos and evidence files. Views check scope, call a service or selector, and render."""
import json
import re
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from placement.models import CandidateDataView
from placement.services.access_log import candidate_data_view_record

from . import access, selectors
from .forms import EvidenceAttachForm, EvidenceForm, UploadStartForm, YouTubeLinkForm
from .models import Video
from .services import evidence, shared, uploads, videos, youtube_links
from .services.shared import MediaError
from .upload_limits import shows_upload_refusal, upload_refusal

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
STREAM_CHUNK = 512 * 1024


# ---- Owner pages -----------------------------------------------------------------------------------------------

def _owner_page(request, *, candidate=None, office=None, link_form=None, status=200):
    limits = shared.limits_for_owner(candidate=candidate, office=office) if (candidate or office) else None
    if candidate:
        urls = {"add_link": reverse("media_pipeline:my_video_add_link"),
                "upload_start": reverse("media_pipeline:my_video_upload_start")}
    elif office:
        urls = {"add_link": reverse("media_pipeline:office_video_add_link", kwargs={"office_id": office.pk}),
                "upload_start": reverse("media_pipeline:office_video_upload_start", kwargs={"office_id": office.pk})}
    else:
        urls = {}
    owner_videos = selectors.video_list_for_owner(candidate=candidate, office=office) if (candidate or office) else []
    other_offices = []
    if office:
        other_offices = [o for o in selectors.offices_managed(office_ids=access.managed_office_ids(request.user))
                         if o.pk != office.pk]
    return render(request, "media_pipeline/video_list.html", {
        "candidate": candidate, "office": office, "videos": owner_videos, "urls": urls, "limits": limits,
        "link_form": link_form or YouTubeLinkForm(), "youtube_configured": youtube_links.youtube_checks_configured(),
        "other_offices": other_offices, "submissions_open": selectors.submissions_open_for_owner(candidate=candidate),
        "title_max": UploadStartForm.base_fields["title"].max_length,
    }, status=status)


@require_GET
def my_videos(request):
    """List a candidate's videos, with forms to add a link or upload a file."""
    return _owner_page(request, candidate=access.candidacy_for_user(request.user))


@require_GET
def our_videos(request):
    """Send office staff to the video page of the (first) office they work at."""
    offices = selectors.offices_managed(office_ids=access.managed_office_ids(request.user))
    office = offices.first()
    if office is None:
        raise Http404
    return redirect("media_pipeline:office_videos", office_id=office.pk)


@require_GET
def office_videos(request, office_id):
    return _owner_page(request, office=access.office_get_for_manage(request.user, office_id))


def _add_link(request, *, candidate=None, office=None, back):
    form = YouTubeLinkForm(request.POST)
    if form.is_valid():
        try:
            video = youtube_links.video_youtube_add(url=form.cleaned_data["url"], title=form.cleaned_data["title"],
                                               acting_user=request.user, candidate=candidate, office=office)
        except youtube_links.AlreadyListed as error:
            if error.rechecking:
                messages.info(request, str(error))
                return redirect(back)
            form.add_error("url", str(error))
        except MediaError as error:
            form.add_error("url", str(error))
        else:
            if video.state == Video.State.NOT_VERIFIED:
                messages.warning(request, _("The link is saved but not verified: YouTube checks are not set up."))
            else:
                messages.success(request, _("The link is saved."))
            return redirect(back)
    return _owner_page(request, candidate=candidate, office=office, link_form=form, status=400)


@require_POST
def my_video_add_link(request):
    candidate = access.candidacy_for_user(request.user)
    if candidate is None:
        raise Http404
    return _add_link(request, candidate=candidate, back="media_pipeline:my_videos")


@require_POST
def office_video_add_link(request, office_id):
    office = access.office_get_for_manage(request.user, office_id)
    return _add_link(request, office=office, back=reverse("media_pipeline:office_videos",
                                                           kwargs={"office_id": office.pk}))


def _upload_start(request, *, candidate=None, office=None):
    form = UploadStartForm(request.POST)
    if not form.is_valid():
        # A title too long is the person's to fix; anything else means no usable file was chosen.
        error = form.errors["title"][0] if "title" in form.errors else _("Choose a video file.")
        return JsonResponse({"error": error}, status=400)
    try:
        video, ticket = uploads.video_upload_start(
            title=form.cleaned_data["title"], file_name=form.cleaned_data["file_name"],
            size=form.cleaned_data["size"], content_type=form.cleaned_data["content_type"],
            acting_user=request.user, candidate=candidate, office=office,
        )
    except MediaError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({
        "video": video.pk, "upload": ticket.as_dict(),
        "finish_url": reverse("media_pipeline:video_upload_finish", kwargs={"pk": video.pk}),
        "detail_url": video.get_absolute_url(),
    })


@require_POST
def my_video_upload_start(request):
    candidate = access.candidacy_for_user(request.user)
    if candidate is None:
        raise Http404
    return _upload_start(request, candidate=candidate)


@require_POST
def office_video_upload_start(request, office_id):
    return _upload_start(request, office=access.office_get_for_manage(request.user, office_id))


@require_http_methods(["PUT"])
def video_upload_local(request, pk):
    """Receive a file's bytes as the request body and stream them to local storage."""
    video = access.video_get_for_manage(request.user, pk)
    try:
        content_length = int(request.META["CONTENT_LENGTH"])
    except (KeyError, ValueError):
        content_length = None
    try:
        uploads.video_upload_receive(video=video, stream=request, content_length=content_length,
                                     acting_user=request.user)
    except uploads.UploadConflict as error:
        return JsonResponse({"error": str(error)}, status=409)
    except MediaError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"state": Video.objects.values_list("state", flat=True).get(pk=video.pk)})


@require_POST
def video_upload_finish(request, pk):
    """Called by the browser once the storage service has the file (ETags listed for a multipart upload)."""
    video = access.video_get_for_manage(request.user, pk)
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        payload = {}
    parts = [str(etag) for etag in payload.get("parts") or []]
    try:
        video = uploads.video_upload_finish(video=video, acting_user=request.user, parts=parts,
                                            upload_id=str(payload.get("upload_id") or ""))
    except MediaError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"state": video.state, "detail_url": video.get_absolute_url()})


# ---- One video -------------------------------------------------------------------------------------------------

def _record_video_view(request, video: Video) -> None:
    """Record in the access log that someone watched a candidate's video (an office's own videos are public)."""
    if video.candidate_id:
        candidate_data_view_record(viewer=request.user, candidates=video.candidate,
                                   what=CandidateDataView.What.VIDEO, url_name=request.resolver_match.view_name)


@require_GET
def video_detail(request, pk):
    """Show one video in a player (HTML5 for files, YouTube's privacy-enhanced embed for links)."""
    video = access.video_get_for_watch(request.user, pk)
    _record_video_view(request, video)
    may_manage = access.video_may_manage(request.user, video)
    back = _video_list_url(video) if may_manage else None
    publish = None
    if (may_manage and video.candidate_id and video.kind == Video.Kind.UPLOAD
            and youtube_links.google_upload_configured()):
        publish = {"connected": youtube_links.google_token_for(request.user) is not None,
                   "connect_url": _google_connect_url(video)}
    return render(request, "media_pipeline/video_detail.html", {
        "video": video, "may_manage": may_manage, "back": back, "publish": publish,
        "youtube_configured": youtube_links.youtube_checks_configured(),
        "submissions_open": selectors.submissions_open_for_owner(candidate=video.candidate),
    })


@require_POST
def video_publish(request, pk):
    """Publish a ready upload to the candidate's own YouTube channel as unlisted."""
    video = access.video_get_for_manage(request.user, pk)
    try:
        youtube_links.video_youtube_publish_request(video=video, acting_user=request.user)
    except MediaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The video is being published to your YouTube channel as unlisted."))
    return redirect(video.get_absolute_url())


@require_POST
def video_recheck(request, pk):
    """Check a link that was rejected for a reason that can change again now, at its owner's request."""
    video = access.video_get_for_manage(request.user, pk)
    try:
        youtube_links.video_youtube_recheck(video=video, acting_user=request.user)
    except MediaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The link is being checked again."))
    return redirect(video.get_absolute_url())


def _google_connect_url(video) -> str:
    """Return allauth's Google connect link asking for the YouTube upload permission, or "" when not set up."""
    if not youtube_links.google_upload_configured():
        return ""
    try:
        login = reverse("google_login")
    except NoReverseMatch:  # The provider's URLs exist only when the app was configured at start-up.
        return ""
    return login + "?" + urlencode({
        "process": "connect", "scope": youtube_links.GOOGLE_UPLOAD_SCOPE, "next": video.get_absolute_url(),
        # Offline access with consent returns a refresh token, so uploads keep working after an hour.
        "auth_params": "access_type=offline&prompt=consent",
    })


def _video_list_url(video) -> str:
    return (reverse("media_pipeline:my_videos") if video.candidate_id
            else reverse("media_pipeline:office_videos", kwargs={"office_id": video.office_id}))


@require_http_methods(["GET", "HEAD", "POST"])
def video_remove(request, pk):
    """Ask whether to remove a video, saying what goes with it (GET), then remove it (POST from that page)."""
    video = access.video_get_for_manage(request.user, pk)
    back = _video_list_url(video)
    if request.method != "POST":
        if not selectors.submissions_open_for_owner(candidate=video.candidate):
            messages.error(request, str(shared.SUBMISSIONS_CLOSED_FOR_REMOVING))
            return redirect(back)
        # The page was opened from the video's own page when it says so; cancelling returns there.
        cancel = video.get_absolute_url() if request.GET.get("from") == "video" else back
        return render(request, "media_pipeline/video_remove_confirm.html", {
            "video": video, "cancel": cancel, "evidence_count": selectors.video_evidence_count(video=video),
        })
    try:
        videos.video_remove(video=video, acting_user=request.user)
    except MediaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The video was removed."))
    return redirect(back)


def _serve_stored(request, name: str, content_type: str, *, attachment: bool = False):
    """Redirect to a short-lived presigned URL (S3), or serve the local file with byte ranges for seeking."""
    read_url = shared.stored_file_read_url(name=name, content_type=content_type, attachment=attachment)
    if read_url is not None:
        return redirect(read_url)
    storage = shared.video_storage()
    if not name or not storage.exists(name):
        raise Http404
    size = storage.size(name)
    match = RANGE.match(request.headers.get("Range", ""))
    if match and (match.group(1) or match.group(2)):
        start, end = match.group(1), match.group(2)
        if start:
            first, last = int(start), min(int(end) if end else size - 1, size - 1)
        else:
            first, last = max(size - int(end), 0), size - 1
        if first > last or first >= size:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        handle = storage.open(name, "rb")
        handle.seek(first)

        def chunks(remaining=last - first + 1):
            with handle:
                while remaining > 0:
                    data = handle.read(min(STREAM_CHUNK, remaining))
                    if not data:
                        break
                    remaining -= len(data)
                    yield data

        response = StreamingHttpResponse(chunks(), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type, as_attachment=attachment)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def video_file(request, pk):
    """Play a ready upload: the transcoded copy when there is one, else the original."""
    video = access.video_get_for_watch(request.user, pk)
    if video.kind != Video.Kind.UPLOAD or video.state != Video.State.READY:
        raise Http404
    # The player fetches a file in many range requests; the access log's dedupe window keeps them one row.
    _record_video_view(request, video)
    try:
        uploads.video_original_check(video=video)
    except MediaError as error:
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    if video.playback_file:
        return _serve_stored(request, video.playback_file.name, "video/mp4")
    return _serve_stored(request, video.file.name, video.content_type or "video/mp4")


@require_GET
def video_thumbnail(request, pk):
    video = access.video_get_for_watch(request.user, pk)
    if not video.thumbnail:
        raise Http404
    return _serve_stored(request, video.thumbnail.name, "image/jpeg")


# ---- Evidence --------------------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@shows_upload_refusal
def my_evidence(request):
    """List a candidate's evidence files and take a new one (PDF, JPEG or PNG)."""
    candidate = access.candidacy_for_user(request.user)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if candidate is None:
            raise Http404
        refusal = upload_refusal(request)
        if refusal is not None:
            # The file was too large to read to its end, so nothing of it was kept; say so instead of "required".
            form.full_clean()
            form.errors.pop("file", None)
            form.add_error("file", refusal)
            status = 413
        elif form.is_valid():
            try:
                evidence.evidence_add(candidate=candidate, uploaded_file=form.cleaned_data["file"],
                                      title=form.cleaned_data["title"], acting_user=request.user)
            except MediaError as error:
                form.add_error("file", str(error))
            else:
                messages.success(request, _("The file was added."))
                return redirect("media_pipeline:my_evidence")
            status = 400
        else:
            status = 400
    files = selectors.evidence_list_for_candidate(candidate=candidate) if candidate else []
    videos = list(selectors.video_list_for_owner(candidate=candidate)) if candidate else []
    return render(request, "media_pipeline/evidence_list.html", {
        "candidate": candidate, "files": files, "form": form, "videos": videos,
        "submissions_open": selectors.submissions_open_for_owner(candidate=candidate),
    }, status=status)


@require_GET
def evidence_file(request, pk):
    item = access.evidence_get_for_view(request.user, pk)
    candidate_data_view_record(viewer=request.user, candidates=item.candidate, what=CandidateDataView.What.EVIDENCE,
                               url_name=request.resolver_match.view_name)
    # PDFs download rather than open inline, so a crafted document never runs in the site's origin.
    return _serve_stored(request, item.file.name, item.content_type, attachment=not item.is_image)


@require_http_methods(["GET", "HEAD", "POST"])
def evidence_remove(request, pk):
    """Ask whether to remove an evidence file, saying what goes with it (GET), then remove it (POST from that page)."""
    item = access.evidence_get_for_manage(request.user, pk)
    if request.method != "POST":
        if not selectors.submissions_open_for_owner(candidate=item.candidate):
            messages.error(request, str(shared.SUBMISSIONS_CLOSED_FOR_REMOVING))
            return redirect("media_pipeline:my_evidence")
        return render(request, "media_pipeline/evidence_remove_confirm.html", {"evidence": item})
    try:
        evidence.evidence_remove(evidence=item, acting_user=request.user)
    except MediaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The file was removed."))
    return redirect("media_pipeline:my_evidence")


@require_POST
def evidence_attach(request, pk):
    """Move one of the candidate's files onto one of their videos, or back to the portfolio as a whole."""
    item = access.evidence_get_for_manage(request.user, pk)
    form = EvidenceAttachForm(request.POST, videos=selectors.video_list_for_owner(candidate=item.candidate))
    if not form.is_valid():
        messages.error(request, _("Choose one of your own videos."))
        return redirect("media_pipeline:my_evidence")
    try:
        evidence.evidence_attach(evidence=item, video=form.cleaned_data["video"], acting_user=request.user)
    except MediaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The file now supports what you chose."))
    return redirect("media_pipeline:my_evidence")
