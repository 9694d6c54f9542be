"""The filters of office discovery; they read and write the URL's query string, so a search can be bookmarked."""
import django_filters
from django import forms
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import clock

from . import discovery
from .models import InstrumentKind


def _percent_range() -> tuple[forms.IntegerField, forms.IntegerField]:
    return (forms.IntegerField(min_value=0, max_value=100), forms.IntegerField(min_value=0, max_value=100))


class PercentRangeWidget(django_filters.widgets.RangeWidget):
    """Two number boxes, "from" and "to", named `<filter>_min` and `<filter>_max` in the URL."""

    def __init__(self, field_label, attrs=None):
        # The field's <label> cannot point at two boxes, so each box names itself for screen readers.
        low, high = (
            forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1,
                                     "aria-label": format_lazy(bound, field=field_label)})
            for bound in (_("{field}: from"), _("{field}: to"))
        )
        # RangeWidget's own boxes are text boxes; skip its __init__ to give the pair number boxes instead.
        django_filters.widgets.SuffixedMultiWidget.__init__(self, (low, high), attrs)


SORT_NAME, SORT_DISTANCE, SORT_VACANCIES = "name", "distance", "vacancies"


class OfficeDiscoveryFilter(django_filters.FilterSet):
    """Narrow the offices by place, seats and the facts of their published profiles; sort them."""

    county = django_filters.ChoiceFilter(label=_("County or city"), empty_label=_("All counties and cities"))
    q = django_filters.CharFilter(label=_("Name or district"), method="filter_text")
    with_vacancies = django_filters.BooleanFilter(
        label=_("Only offices with vacancies"), method="filter_with_vacancies", widget=forms.CheckboxInput(),
    )
    distance = django_filters.NumberFilter(
        label=_("At most this far from where you live (km)"), method="filter_distance", min_value=1,
        max_value=1000, widget=forms.NumberInput(attrs={"min": 1, "max": 1000, "step": 1}),
    )
    flat_land = django_filters.RangeFilter(
        label=_("Flat land (%)"), method="filter_flat_land", fields=_percent_range(),
        widget=PercentRangeWidget(_("Flat land (%)")),
    )
    digitized = django_filters.RangeFilter(
        label=_("Digitized cadastral area (%)"), method="filter_digitized", fields=_percent_range(),
        widget=PercentRangeWidget(_("Digitized cadastral area (%)")),
    )
    instrument = django_filters.MultipleChoiceFilter(
        label=_("Uses these instruments"), choices=InstrumentKind.choices, method="filter_instruments",
        widget=forms.CheckboxSelectMultiple(),
    )
    resurvey_years = django_filters.NumberFilter(
        label=_("Re-survey project in the last N years"), method="filter_resurvey", min_value=1, max_value=50,
        widget=forms.NumberInput(attrs={"min": 1, "max": 50, "step": 1}),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), method="sort_offices", empty_label=_("County, north to south"),
        choices=[(SORT_NAME, _("Name")), (SORT_DISTANCE, _("Distance")), (SORT_VACANCIES, _("Vacancies"))],
    )

    def __init__(self, *args, counties=(), origin=None, language_code="zh-hant", **kwargs):
        super().__init__(*args, **kwargs)
        self.origin = origin
        self.language_code = language_code
        self.filters["county"].extra["choices"] = [
            (county, county_en if language_code.startswith("en") else county) for county, county_en in counties
        ]
        this_year = clock.now().year
        self.filters["resurvey_years"].extra["help_text"] = _(
            "Counts this year: 3 means a project in %(first)s–%(last)s."
        ) % {"first": this_year - 2, "last": this_year}
        if origin is None:
            self.filters["distance"].extra["help_text"] = _(
                "Record where you live on your preference page to filter and sort by distance."
            )

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(name_en__icontains=value) | Q(district__icontains=value))

    def filter_with_vacancies(self, queryset, name, value):
        return queryset.filter(seats__gt=0) if value else queryset

    def filter_distance(self, queryset, name, value):
        # Without a residence there is nothing to measure from; the field's help text says so.
        return queryset.filter(distance_km__lte=value) if self.origin is not None else queryset

    def filter_flat_land(self, queryset, name, value):
        return _published_range(queryset, "flat_land_percent", value)

    def filter_digitized(self, queryset, name, value):
        return _published_range(queryset, "digitized_area_percent", value)

    def filter_instruments(self, queryset, name, value):
        for kind in value:
            queryset = discovery.with_instrument(queryset, kind)
        return queryset

    def filter_resurvey(self, queryset, name, value):
        return discovery.with_resurvey_since(queryset, discovery.first_year_of_last(int(value)))

    def sort_offices(self, queryset, name, value):
        if value == SORT_DISTANCE and self.origin is not None:
            return queryset.order_by("distance_km", "sort_order", "name")
        if value == SORT_VACANCIES:
            return queryset.order_by("-seats", "sort_order", "name")
        if value == SORT_NAME:
            return queryset.order_by("name_en" if self.language_code.startswith("en") else "name")
        return queryset


def _published_range(queryset, field: str, value: slice):
    lookups = {}
    if value.start is not None:
        lookups[f"{field}__gte"] = value.start
    if value.stop is not None:
        lookups[f"{field}__lte"] = value.stop
    return discovery.with_published_facts(queryset, **lookups) if lookups else queryset

