"""The long staff tables: sortable by their column headers (plain links), paginated, and named in the page's language.

A page and its export build the same table from the same filtered rows, so a download lists what the page lists,
in the same order, on every page of it.
"""
from django.core.paginator import Page
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_tables2 import Column, RequestConfig, Table

PER_PAGE = 100


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _ordered(queryset, field: str, is_descending: bool, *then: str):
    """Order by a field that may be empty (the unplaced have no office), empty rows last either way."""
    expression = F(field).desc(nulls_last=True) if is_descending else F(field).asc(nulls_last=True)
    return queryset.order_by(expression, *then), True


class ResultTable(Table):
    """The published result, one row per candidate, as it was published."""

    caption = _("Results")

    exam_rank = Column(verbose_name=_("Exam rank"), attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    exam_number = Column(verbose_name=_("Exam number"))
    candidate_name = Column(verbose_name=_("Name"))
    office = Column(verbose_name=_("Land office"), accessor="office_name", empty_values=())
    county = Column(verbose_name=_("County or city"), accessor="office_county", empty_values=())
    preference_rank = Column(verbose_name=_("Choice"), default="–",
                             attrs={"th": {"class": "num"}, "td": {"class": "num"}})

    class Meta:
        # Pages include this template with their own context (render_table would run the context processors again).
        template_name = "placement/_table.html"
        empty_text = _("No candidate matches these filters.")

    def render_exam_number(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("placement:candidate_result", args=[record.candidate_id]),
                           value)

    def render_office(self, record):
        if record.office_id is None:
            return format_html('<span class="muted">{}</span>', _("Not placed"))
        return record.office_name_en if _english() else record.office_name

    def render_county(self, record):
        if record.office_id is None:
            return ""
        return record.office_county_en if _english() else record.office_county

    def order_office(self, queryset, is_descending):
        return _ordered(queryset, "office_name_en" if _english() else "office_name", is_descending, "exam_rank")

    def order_county(self, queryset, is_descending):
        return _ordered(queryset, "office_county_en" if _english() else "office_county", is_descending,
                        "exam_rank")

    def order_preference_rank(self, queryset, is_descending):
        return _ordered(queryset, "preference_rank", is_descending, "exam_rank")


class CandidateTable(Table):
    """A cycle's candidates and whether each has an account yet."""

    caption = _("Candidates")

    exam_rank = Column(verbose_name=_("Exam rank"), attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    exam_number = Column(verbose_name=_("Exam number"))
    name = Column(verbose_name=_("Name"))
    exam_score = Column(verbose_name=_("Exam score"), attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    residence = Column(verbose_name=_("Residence"), accessor="residence_county", empty_values=(),
                       order_by=("residence_county", "residence_district", "exam_rank"))
    account = Column(verbose_name=_("Account"), accessor="user_id", empty_values=())

    class Meta:
        # Pages include this template with their own context (render_table would run the context processors again).
        template_name = "placement/_table.html"
        empty_text = _("No candidate matches the search.")

    def render_exam_number(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("placement:candidate_detail", args=[record.pk]), value)

    def render_residence(self, record):
        return f"{record.residence_county}{record.residence_district}"

    def render_account(self, record):
        if record.user_id:
            return _("Active")
        return format_html('<span class="muted">{}</span>', _("Not yet"))

    def order_account(self, queryset, is_descending):
        return _ordered(queryset, "user_id", is_descending, "exam_rank")


def table_page(request, table: Table) -> Page:
    """Sort and paginate the table by the request's `sort` and `page`; return the page of its records.

    The returned page serves the pagination links and lists the records themselves; the table renders the same
    rows, which the database returns once.
    """
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    page = table.page
    return Page([row.record for row in page.object_list], page.number, page.paginator)


def table_rows(request, table: Table):
    """Return the table's rows in the request's order, all of them, as a queryset (for an export)."""
    RequestConfig(request, paginate=False).configure(table)
    return table.data.data
