from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .messages import problem_message
from .validation import youtube_recheck_after
from .youtube_urls import embed_url, watch_url


class MediaLimits(models.Model):
    """Limits one exam cycle sets on videos; a cycle without a row uses the defaults from settings."""

    cycle = models.OneToOneField("placement.ExamCycle", on_delete=models.CASCADE, related_name="media_limits",
                                 verbose_name=_("exam cycle"))
    max_upload_bytes = models.PositiveBigIntegerField(_("largest upload (bytes)"))
    max_duration_seconds = models.PositiveIntegerField(_("longest video (seconds)"))

    class Meta:
        verbose_name = _("media limits")
        verbose_name_plural = _("media limits")

    def __str__(self):
        return str(self.cycle)


class Video(models.Model):
    """A demonstration video of a candidate or an introduction video of a land office: a YouTube link or a file."""

    class Kind(models.TextChoices):
        YOUTUBE = "youtube", _("YouTube link")
        UPLOAD = "upload", _("Uploaded file")

    class State(models.TextChoices):
        # YouTube links.
        PENDING = "pending", _("Being checked")
        VERIFIED = "verified", _("Verified")
        NOT_VERIFIED = "not_verified", _("Not verified")
        DEFERRED = "deferred", _("Check postponed")
        # Uploaded files.
        AWAITING_UPLOAD = "awaiting_upload", _("Waiting for the file")
        # One request holds the claim to send the file; any other is refused until it ends.
        RECEIVING = "receiving", _("Receiving the file")
        UPLOADED = "uploaded", _("Uploaded")
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        # Both.
        REJECTED = "rejected", _("Rejected")

    candidate = models.ForeignKey("placement.Candidate", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="videos", verbose_name=_("candidate"))
    office = models.ForeignKey("placement.LandOffice", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="videos", verbose_name=_("land office"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Why a video was rejected, as a stable code and its numbers, so the message follows the reader's language.
    problems = models.JSONField(_("problems found"), default=list, blank=True)

    youtube_id = models.CharField(_("YouTube video id"), max_length=11, blank=True)
    youtube_title = models.CharField(_("title on YouTube"), max_length=300, blank=True)
    youtube_channel = models.CharField(_("YouTube channel"), max_length=300, blank=True)
    youtube_thumbnail_url = models.URLField(_("YouTube thumbnail address"), max_length=500, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    # A check postponed by the daily API quota waits until this moment.
    next_check_at = models.DateTimeField(_("next check at"), null=True, blank=True)

    # Object keys are chosen by the server; names people give their files are never used as keys.
    file = models.FileField(_("stored file"), max_length=300, blank=True)
    playback_file = models.FileField(_("playback copy"), max_length=300, blank=True)
    thumbnail = models.FileField(_("thumbnail"), max_length=300, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    # The stored object's ETag when its upload finished (S3): the object checked and served must still have it.
    file_etag = models.CharField(_("stored file's ETag"), max_length=100, blank=True)
    width = models.PositiveIntegerField(_("width (pixels)"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height (pixels)"), null=True, blank=True)

    duration_seconds = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("processing attempts"), default=0)
    state_changed_at = models.DateTimeField(_("state changed at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Publication(models.TextChoices):
        NONE = "", _("Not published")
        QUEUED = "queued", _("Waiting to publish")
        PUBLISHING = "publishing", _("Publishing")
        PUBLISHED = "published", _("Published on YouTube")
        FAILED = "failed", _("Publishing failed")

    # An uploaded file the candidate also published to their own YouTube channel (unlisted).
    publication = models.CharField(_("YouTube publication"), max_length=16, choices=Publication.choices,
                                   blank=True, default="")
    published_youtube_id = models.CharField(_("published YouTube video id"), max_length=11, blank=True)
    publication_changed_at = models.DateTimeField(_("publication changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="video_has_exactly_one_owner",
                condition=(Q(candidate__isnull=False, office__isnull=True)
                           | Q(candidate__isnull=True, office__isnull=False)),
            ),
        ]
        indexes = [models.Index(fields=["state", "state_changed_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("media_pipeline:video_detail", kwargs={"pk": self.pk})

    @property
    def is_youtube(self) -> bool:
        return self.kind == self.Kind.YOUTUBE

    @property
    def is_playable(self) -> bool:
        if self.is_youtube:
            return self.state in {self.State.VERIFIED, self.State.NOT_VERIFIED, self.State.PENDING,
                                  self.State.DEFERRED}
        return self.state == self.State.READY

    @property
    def watch_url(self) -> str:
        return watch_url(self.youtube_id) if self.youtube_id else ""

    @property
    def embed_url(self) -> str:
        return embed_url(self.youtube_id, base=settings.YOUTUBE_EMBED_BASE) if self.youtube_id else ""

    @property
    def published_watch_url(self) -> str:
        return watch_url(self.published_youtube_id) if self.published_youtube_id else ""

    @property
    def may_recheck(self) -> bool:
        """Say whether a rejected link could pass if checked again (still processing, private, not embeddable)."""
        return (self.is_youtube and self.state == self.State.REJECTED
                and youtube_recheck_after([problem.get("code", "") for problem in self.problems]) is not None)

    @property
    def problem_messages(self) -> list[str]:
        return [problem_message(problem.get("code", ""), problem.get("params") or {}) for problem in self.problems]


class EvidenceFile(models.Model):
    """A supporting document or photo a candidate attaches: PDF, JPEG or PNG, checked by its content."""

    candidate = models.ForeignKey("placement.Candidate", on_delete=models.CASCADE, related_name="evidence_files",
                                  verbose_name=_("candidate"))
    video = models.ForeignKey(Video, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="evidence_files", verbose_name=_("video"))
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("stored file"), max_length=300)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=100)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

