"""A candidate's requests for a copy of their data, and the record that their data was erased."""
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataExport(models.Model):
    """One archive of everything the platform holds about a candidate, built in the background."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be built")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")

    candidate = models.ForeignKey("placement.Candidate", on_delete=models.CASCADE, related_name="data_exports",
                                  verbose_name=_("candidate"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # The server names the stored archive; the download answers only to the candidate's own account.
    file = models.FileField(_("archive"), max_length=300, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.candidate_id} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.READY, self.State.FAILED)

    @property
    def available_until(self):
        """Return when the sweeper deletes a finished archive (privacy.services.data_exports_sweep)."""
        return self.finished_at + timedelta(days=settings.PRIVACY_EXPORT_KEEP_DAYS) if self.finished_at else None


class Erasure(models.Model):
    """That a candidate's personal data was erased: when, and which exam record, without the data itself."""

    candidate = models.OneToOneField("placement.Candidate", on_delete=models.PROTECT, related_name="erasure",
                                     verbose_name=_("candidate"))
    cycle = models.ForeignKey("placement.ExamCycle", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("exam cycle"))
    # The exam number is public with the published result, which keeps it too; the name is kept only masked.
    exam_number = models.CharField(_("exam number"), max_length=20)
    masked_name = models.CharField(_("masked name"), max_length=100)
    erased_at = models.DateTimeField(_("erased at"))
    files_deleted = models.PositiveIntegerField(_("files deleted"), default=0)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at", "-pk"]

    def __str__(self):
        # The audit history keeps this text as the entry's subject, so it names the record, not the person.
        return f"#{self.pk} {self.erased_at:%Y-%m-%d}"
