"""Examination staff's list of every office's profile: sortable by its column headers, searchable, paginated."""
import django_filters
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_tables2 import Column, Table

from placement.filters import SearchFilter


def _english() -> bool:
    return (get_language() or "").startswith("en")


class OfficeProfileFilter(django_filters.FilterSet):
    """The search of the profile list: by the office's name (either language), code or county."""

    q = SearchFilter("name", "name_en", "code", "county", "county_en", label=_("Office, code or county"))


class OfficeProfileTable(Table):
    caption = _("Office profiles")

    office = Column(verbose_name=_("Land office"), accessor="name", empty_values=())
    county = Column(verbose_name=_("County or city"), empty_values=())
    status = Column(verbose_name=_("Status"), accessor="profile__status", empty_values=())
    history = Column(verbose_name=_("History"), accessor="code", orderable=False, empty_values=())

    class Meta:
        # The same table markup as the placement app's long tables (headers sort by plain links).
        template_name = "placement/_table.html"
        empty_text = _("No land office matches the search.")

    def render_office(self, record):
        name = record.name_en if _english() else record.name
        return format_html('<a href="{}">{}</a>', reverse("offices:profile_detail", args=[record.code]), name)

    def order_office(self, queryset, is_descending):
        field = "name_en" if _english() else "name"
        return queryset.order_by(f"-{field}" if is_descending else field), True

    def render_county(self, record):
        return record.county_en if _english() else record.county

    def order_county(self, queryset, is_descending):
        field = "county_en" if _english() else "county"
        return queryset.order_by(f"-{field}" if is_descending else field, "name"), True

    def render_status(self, record):
        profile = getattr(record, "profile", None) if hasattr(record, "profile") else None
        if profile is None:
            return format_html('<span class="muted">{}</span>', _("Not started"))
        return profile.get_status_display()

    def render_history(self, record):
        return format_html('<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
                           reverse("offices:profile_history", args=[record.code]), _("History"), record.name)
