"""An office's profile: the facts that drive a candidate's choice, its re-survey projects and its instruments."""
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import rules

PERCENT_VALIDATORS = [MinValueValidator(rules.PERCENT_RANGE[0]), MaxValueValidator(rules.PERCENT_RANGE[1])]


class ProfileStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class InstrumentKind(models.TextChoices):
    TOTAL_STATION = "total_station", _("Total station")
    GNSS_RTK = "gnss_rtk", _("GNSS/RTK receiver")
    THEODOLITE = "theodolite", _("Theodolite")
    LEVEL = "level", _("Level")
    UAV = "uav", _("UAV (drone)")
    SCANNER_3D = "scanner_3d", _("3D scanner")
    OTHER = "other", _("Other")


def _share_pair_constraint(first: str, second: str, name: str) -> models.CheckConstraint:
    # A draft may leave both shares empty; once given, the two describe one whole. Both are non-negative
    # integers, so adding up to 100 also keeps each within 0–100.
    return models.CheckConstraint(
        condition=Q(**{f"{first}__isnull": True, f"{second}__isnull": True})
        | Q(**{f"{first}__isnull": False, f"{second}__isnull": False, first: 100 - models.F(second)}),
        name=name,
    )


class OfficeProfile(models.Model):
    """What the work at one land office is really like, as its staff describe it for candidates.

    The facts are separate fields, not one text, so that offices can be filtered and compared. A draft may be
    incomplete; publishing asks for the facts in `rules.REQUIRED_FOR_PUBLISHING`.
    """

    office = models.OneToOneField(
        "placement.LandOffice", on_delete=models.CASCADE, related_name="profile", verbose_name=_("land office")
    )
    field_survey_distance_km = models.DecimalField(
        _("average field-survey distance (km)"), max_digits=6, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    digitized_area_percent = models.PositiveSmallIntegerField(
        _("digitized cadastral area (%)"), null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    graphical_area_percent = models.PositiveSmallIntegerField(
        _("graphical cadastral area (%)"), null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    flat_land_percent = models.PositiveSmallIntegerField(
        _("flat land (%)"), null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    mountain_land_percent = models.PositiveSmallIntegerField(
        _("mountain land (%)"), null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    field_conditions = models.TextField(_("typical field conditions"), blank=True)
    field_conditions_en = models.TextField(_("typical field conditions (English)"), blank=True)
    communication_expectations = models.TextField(_("communication and coordination expected"), blank=True)
    communication_expectations_en = models.TextField(
        _("communication and coordination expected (English)"), blank=True
    )
    required_abilities = models.TextField(_("professional abilities needed"), blank=True)
    required_abilities_en = models.TextField(_("professional abilities needed (English)"), blank=True)
    culture_and_customs = models.TextField(_("organisational culture and local customs"), blank=True)
    culture_and_customs_en = models.TextField(_("organisational culture and local customs (English)"), blank=True)
    work_address = models.CharField(_("work address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True,
        validators=[MinValueValidator(rules.LATITUDE_RANGE[0]), MaxValueValidator(rules.LATITUDE_RANGE[1])],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True,
        validators=[MinValueValidator(rules.LONGITUDE_RANGE[0]), MaxValueValidator(rules.LONGITUDE_RANGE[1])],
    )
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProfileStatus.choices, default=ProfileStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("office profile")
        verbose_name_plural = _("office profiles")
        constraints = [
            _share_pair_constraint(
                "digitized_area_percent", "graphical_area_percent", "offices_profile_cadastral_shares_add_to_100"
            ),
            _share_pair_constraint(
                "flat_land_percent", "mountain_land_percent", "offices_profile_land_shares_add_to_100"
            ),
            models.CheckConstraint(
                condition=Q(field_survey_distance_km__isnull=True) | Q(field_survey_distance_km__gte=0),
                name="offices_profile_distance_not_negative",
            ),
        ]

    def __str__(self):
        return str(self.office)

    @property
    def is_published(self) -> bool:
        return self.status == ProfileStatus.PUBLISHED


class ResurveyProject(models.Model):
    """One year's cadastral re-survey (重測) project of an office."""

    profile = models.ForeignKey(
        OfficeProfile, on_delete=models.CASCADE, related_name="resurvey_projects", verbose_name=_("office profile")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(rules.EARLIEST_RESURVEY_YEAR)])
    area_hectares = models.DecimalField(
        _("area (hectares)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    parcel_count = models.PositiveIntegerField(_("number of parcels"))

    class Meta:
        verbose_name = _("re-survey project")
        verbose_name_plural = _("re-survey projects")
        ordering = ["-year", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(area_hectares__gt=0), name="offices_resurvey_area_positive"),
        ]

    def __str__(self):
        return f"{self.profile} {self.year}"


class OfficeInstrument(models.Model):
    """How many instruments of one kind an office uses; one row per kind."""

    profile = models.ForeignKey(
        OfficeProfile, on_delete=models.CASCADE, related_name="instruments", verbose_name=_("office profile")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InstrumentKind.choices)
    count = models.PositiveSmallIntegerField(_("count"), validators=[MinValueValidator(1)])
    note = models.CharField(_("make and model"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "kind"], name="offices_instrument_one_row_per_kind"),
            models.CheckConstraint(condition=Q(count__gte=1), name="offices_instrument_count_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} × {self.count}"
