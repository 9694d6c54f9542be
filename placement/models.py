from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class LandOffice(models.Model):
    """A land office (地政事務所), the employing agency that candidates are placed into."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=150)
    county = models.CharField(_("county or city"), max_length=20)
    county_en = models.CharField(_("county or city (English)"), max_length=40)
    district = models.CharField(_("district"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    # The data file lists counties in the official north-to-south order; sorting by it keeps lists familiar.
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("land office")
        verbose_name_plural = _("land offices")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def display_name(self, language_code: str) -> str:
        """Return the office name in the given language."""
        return self.name_en if language_code.startswith("en") else self.name


class ExamCycle(models.Model):
    """One year's examination in the surveying series, whose passers are placed together."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    year = models.PositiveSmallIntegerField(_("year (ROC calendar)"))
    is_current = models.BooleanField(_("current cycle"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("exam cycle")
        verbose_name_plural = _("exam cycles")
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_cycle"
            )
        ]

    def __str__(self):
        return self.name


class Candidate(models.Model):
    """A person who passed the exam in one cycle, with the standing the exam gave them."""

    cycle = models.ForeignKey(ExamCycle, on_delete=models.PROTECT, related_name="candidates",
                              verbose_name=_("exam cycle"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="candidacies", verbose_name=_("account"),
    )
    exam_number = models.CharField(_("exam number"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email address"))
    exam_score = models.DecimalField(
        _("exam score"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    exam_rank = models.PositiveIntegerField(_("exam rank"), validators=[MinValueValidator(1)])
    residence_county = models.CharField(_("county or city of residence"), max_length=20, blank=True)
    residence_district = models.CharField(_("district of residence"), max_length=20, blank=True)
    residence_latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    residence_longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["cycle", "exam_rank"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "exam_number"], name="unique_exam_number_per_cycle"),
            models.UniqueConstraint(fields=["cycle", "exam_rank"], name="unique_exam_rank_per_cycle"),
            models.UniqueConstraint(fields=["cycle", "user"], name="one_candidacy_per_user_per_cycle"),
        ]

    def __str__(self):
        return f"{self.exam_number} {self.name}"


class Vacancy(models.Model):
    """The seats one land office offers in one exam cycle."""

    cycle = models.ForeignKey(ExamCycle, on_delete=models.CASCADE, related_name="vacancies",
                              verbose_name=_("exam cycle"))
    office = models.ForeignKey(LandOffice, on_delete=models.PROTECT, related_name="vacancies",
                               verbose_name=_("land office"))
    seats = models.PositiveSmallIntegerField(_("seats"))

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["cycle", "office__sort_order", "office__name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "office"], name="one_vacancy_row_per_office")]

    def __str__(self):
        return f"{self.office} × {self.seats}"
