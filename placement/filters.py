"""The filters of the long staff tables; each page and its export apply the same one, so both list the same rows."""
import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _english() -> bool:
    return (get_language() or "").startswith("en")


class SearchFilter(django_filters.CharFilter):
    """A search box that matches any of the given fields, ignoring case."""

    def __init__(self, *fields, **kwargs):
        self.search_fields = fields
        kwargs.setdefault("label", _("Name or exam number"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "search"}))
        super().__init__(method=self.search, **kwargs)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)


class ResultFilter(django_filters.FilterSet):
    """Filters of the published result table: a search, county, office, and placed or not."""

    q = SearchFilter("candidate_name", "exam_number")
    county = django_filters.ChoiceFilter(field_name="office__county", label=_("County or city"),
                                         empty_label=_("All counties and cities"))
    office = django_filters.ChoiceFilter(field_name="office_id", label=_("Land office"),
                                         empty_label=_("All offices"))
    placed = django_filters.BooleanFilter(
        field_name="office", lookup_expr="isnull", exclude=True, label=_("Placed"),
        widget=forms.Select(choices=[("", _("Everyone")), ("true", _("Placed")), ("false", _("Not placed"))]),
    )

    def __init__(self, *args, counties=(), offices=(), **kwargs):
        """Take the (county, English county) pairs and the (id, name, English name) of the offices to offer."""
        super().__init__(*args, **kwargs)
        english = _english()
        # The value stays the Chinese name the rows store; only the label follows the page's language.
        self.filters["county"].extra["choices"] = [(county, county_en if english else county)
                                                   for county, county_en in counties]
        self.filters["office"].extra["choices"] = [(office_id, name_en if english else name)
                                                   for office_id, name, name_en in offices]


class CandidateFilter(django_filters.FilterSet):
    """The search of the candidate list: by name or exam number."""

    q = SearchFilter("name", "exam_number")
