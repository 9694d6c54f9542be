from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .timecodes import format_timecode


class Portfolio(models.Model):
    """A candidate's portfolio as a whole: its summary, and whether the candidate has chosen who may see it.

    Until `consent_chosen_at` is set, the offices on the candidate's preference list count as consented (the
    default rule in portfolios/selectors.py); from then on, only the offices with a PortfolioConsent in force do.
    """

    candidate = models.OneToOneField("placement.Candidate", on_delete=models.CASCADE, related_name="portfolio",
                                     verbose_name=_("candidate"))
    summary = models.TextField(_("summary"), blank=True)
    consent_chosen_at = models.DateTimeField(_("consent first chosen at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last saved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")

    def __str__(self):
        return str(self.candidate)


class Terrain(models.TextChoices):
    FLAT = "flat", _("Flat land")
    HILL = "hill", _("Hills")
    MOUNTAIN = "mountain", _("Mountains")
    URBAN = "urban", _("Urban area")
    COASTAL = "coastal", _("Coast")
    OTHER = "other", _("Other terrain")


class VideoDescription(models.Model):
    """What one of a candidate's demonstration videos shows, in a structure a focus group can compare."""

    video = models.OneToOneField("media_pipeline.Video", on_delete=models.CASCADE, related_name="portfolio_description",
                                 verbose_name=_("video"))
    terrain = models.CharField(_("terrain"), max_length=16, choices=Terrain.choices)
    instrument_make = models.CharField(_("instrument make"), max_length=100)
    instrument_model = models.CharField(_("instrument model"), max_length=100)
    weather = models.CharField(_("weather"), max_length=200, blank=True)
    visibility = models.CharField(_("visibility"), max_length=200, blank=True)
    shows = models.TextField(_("what the video shows"))
    updated_at = models.DateTimeField(_("last saved at"))

    class Meta:
        verbose_name = _("video description")
        verbose_name_plural = _("video descriptions")

    def __str__(self):
        return str(self.video)


class ProcedureStep(models.Model):
    """One step of the setup and measuring procedure a video shows; position 1 comes first."""

    description = models.ForeignKey(VideoDescription, verbose_name=_("video description"),
                                    on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("step"), max_length=500)
    at_seconds = models.PositiveIntegerField(_("time in the video (seconds)"), null=True, blank=True)

    class Meta:
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        ordering = ["description", "position"]
        constraints = [models.UniqueConstraint(fields=["description", "position"], name="one_step_per_position")]

    def __str__(self):
        return f"{self.position}. {self.text}"

    @property
    def timecode(self) -> str:
        return format_timecode(self.at_seconds) if self.at_seconds is not None else ""


class PortfolioConsent(models.Model):
    """A candidate's consent that one office's focus group may see their portfolio; withdrawn, it no longer counts."""

    candidate = models.ForeignKey("placement.Candidate", on_delete=models.CASCADE, related_name="portfolio_consents",
                                  verbose_name=_("candidate"))
    office = models.ForeignKey("placement.LandOffice", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("land office"))
    granted_at = models.DateTimeField(_("granted at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("portfolio consent")
        verbose_name_plural = _("portfolio consents")
        constraints = [models.UniqueConstraint(fields=["candidate", "office"], name="one_consent_per_office")]
        indexes = [models.Index(fields=["office", "withdrawn_at"])]

    def __str__(self):
        return f"{self.candidate} → {self.office}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class PortfolioVisit(models.Model):
    """When a focus group of an office last opened a candidate's portfolio, shown to the candidate."""

    candidate = models.ForeignKey("placement.Candidate", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("candidate"))
    office = models.ForeignKey("placement.LandOffice", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("land office"))
    last_viewed_at = models.DateTimeField(_("last viewed at"))
    last_viewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("last viewed by"),
                                       on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+")

    class Meta:
        verbose_name = _("portfolio visit")
        verbose_name_plural = _("portfolio visits")
        constraints = [models.UniqueConstraint(fields=["candidate", "office"], name="one_visit_row_per_office")]

    def __str__(self):
        return f"{self.office} · {self.candidate}"
