"""Messages shown to a video's owner for each problem code that validation.py and the services produce."""
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MESSAGES = {
    "empty": gettext_lazy("The file is empty."),
    "too_large": gettext_lazy("The file is {size}; the limit is {limit}. Shorten or compress the video and try again."),
    "evidence_too_large": gettext_lazy(
        "The file is {size}; the limit is {limit}. Save it smaller (scan at a lower resolution, or export the PDF "
        "with compressed images) and try again."
    ),
    "incomplete": gettext_lazy(
        "The file is incomplete: the end of the video is missing, so the upload or an earlier copy was cut short. "
        "Upload the whole file again."
    ),
    "unreadable": gettext_lazy("The file is not a video we can read. Export it again as MP4 and upload that."),
    "probe_timeout": gettext_lazy("Reading the file took too long. Export it again as MP4 and upload that."),
    "container": gettext_lazy("The file format ({container}) is not accepted. Use MP4, MOV, MKV, WebM or AVI."),
    "no_video_stream": gettext_lazy("The file has no picture (it may be sound only)."),
    "several_video_streams": gettext_lazy("The file has {count} video tracks; keep exactly one."),
    "video_codec": gettext_lazy("The video is encoded with {codec}, which is not accepted. Export it as H.264."),
    "audio_codec": gettext_lazy("The sound is encoded with {codec}, which is not accepted. Export it as AAC."),
    "resolution_too_high": gettext_lazy("The picture is {width}×{height}; the largest accepted is 3840×2160."),
    "resolution_too_low": gettext_lazy("The picture is {width}×{height}; it must be at least 240 pixels high."),
    "no_duration": gettext_lazy("The length of the video cannot be read."),
    "too_long": gettext_lazy("The video lasts {duration} seconds; the limit is {limit} seconds."),
    "too_short": gettext_lazy("The video lasts only {duration} seconds."),
    "transcode_failed": gettext_lazy("The video could not be converted for playback. Export it again as MP4."),
    "processing_failed": gettext_lazy("Processing failed several times. Upload the file again."),
    "upload_missing": gettext_lazy("The file did not arrive. Upload it again."),
    "size_mismatch": gettext_lazy(
        "The file that arrived does not have the size announced when the upload started ({declared}). "
        "Upload the file again."
    ),
    "replaced": gettext_lazy(
        "The stored file was replaced after it was checked, so it is not shown. Upload the file again."
    ),
    "upload_file_too_large": gettext_lazy(
        "A file is larger than {limit}, the largest accepted, so nothing was kept. Save it smaller (scan at a lower "
        "resolution, or export the PDF with compressed images) and try again."
    ),
    "upload_request_too_large": gettext_lazy(
        "The files sent together are {size}; at most {limit} can be sent at once, so nothing was kept. Send fewer "
        "or smaller files."
    ),
    "youtube_missing": gettext_lazy(
        "YouTube does not have this video (it may have been deleted). Remove it and add a link to a video that exists."
    ),
    "youtube_private": gettext_lazy(
        "The video is private. Make it public or unlisted on YouTube; it is checked again automatically."
    ),
    "youtube_not_processed": gettext_lazy(
        "YouTube has not finished processing the video. It is checked again automatically, or check again yourself "
        "in a few minutes."
    ),
    "youtube_not_embeddable": gettext_lazy(
        "The video does not allow embedding. Turn on “Allow embedding” on YouTube; it is checked again automatically."
    ),
    "youtube_rejected": gettext_lazy(
        "YouTube rejected the video ({reason}), so it cannot be shown. Remove it, and upload the file here or link "
        "another video."
    ),
    "youtube_failed": gettext_lazy(
        "YouTube could not process the upload ({reason}). Upload the video to YouTube again and add the new link, "
        "or upload the file here."
    ),
}

# Problems whose numbers are byte counts, shown as sizes ("20.0 MB").
SIZE_CODES = frozenset({"too_large", "evidence_too_large", "size_mismatch", "upload_file_too_large",
                        "upload_request_too_large"})

# YouTube's status.rejectionReason and status.failureReason values, as the owner reads them.
YOUTUBE_REASONS = {
    "claim": gettext_lazy("a copyright claim"),
    "copyright": gettext_lazy("copyright infringement"),
    "duplicate": gettext_lazy("a duplicate of another video"),
    "inappropriate": gettext_lazy("inappropriate content"),
    "legal": gettext_lazy("a legal reason"),
    "length": gettext_lazy("too long"),
    "termsOfUse": gettext_lazy("a breach of the terms of use"),
    "trademark": gettext_lazy("trademark infringement"),
    "uploaderAccountClosed": gettext_lazy("the uploader's account was closed"),
    "uploaderAccountSuspended": gettext_lazy("the uploader's account was suspended"),
    "codec": gettext_lazy("an unsupported codec"),
    "conversion": gettext_lazy("the video could not be converted"),
    "emptyFile": gettext_lazy("the file was empty"),
    "invalidFile": gettext_lazy("the file was not a valid video"),
    "tooSmall": gettext_lazy("the file was too small"),
    "uploadAborted": gettext_lazy("the upload was interrupted"),
}


def problem_message(code: str, params: dict) -> str:
    """Return the owner-facing message for a problem, in the active language."""
    template = MESSAGES.get(code)
    if template is None:
        return _("The video cannot be used.")
    params = dict(params)
    for key in ("size", "limit", "declared"):
        if code in SIZE_CODES and key in params:
            params[key] = filesizeformat(params[key])
    if "reason" in params:
        reason = params["reason"]
        params["reason"] = str(YOUTUBE_REASONS.get(reason, reason or _("no reason given")))
    try:
        return str(template).format(**params)
    except (KeyError, IndexError, ValueError):
        return str(template)
