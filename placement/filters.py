import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class ResultFilter(django_filters.FilterSet):
    """Filters of the published result table: county, office, and placed or not."""

    county = django_filters.ChoiceFilter(field_name="office__county", label=_("County or city"),
                                         empty_label=_("All counties and cities"))
    office = django_filters.ModelChoiceFilter(field_name="office", label=_("Land office"), queryset=None,
                                              empty_label=_("All offices"))
    placed = django_filters.BooleanFilter(
        field_name="office", lookup_expr="isnull", exclude=True, label=_("Placed"),
        widget=forms.Select(choices=[("", _("Everyone")), ("true", _("Placed")), ("false", _("Not placed"))]),
    )

    def __init__(self, *args, counties=(), offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["county"].extra["choices"] = [(county, county) for county, _en in counties]
        self.filters["office"].queryset = offices
