from django.core.paginator import Paginator
from django.shortcuts import render

from . import access, selectors
from .filters import LandOfficeFilter
from .models import Vacancy


def office_list(request):
    """List land offices with their seats in the current cycle, filterable by county and name."""
    cycle = selectors.current_cycle()
    office_filter = LandOfficeFilter(
        request.GET or None, queryset=selectors.office_list(cycle=cycle), counties=selectors.office_counties()
    )
    return render(request, "placement/office_list.html", {
        "filter": office_filter, "offices": office_filter.qs, "cycle": cycle,
    })


def office_detail(request, code):
    office = access.office_get_for_user(request.user, code)
    cycle = selectors.current_cycle()
    vacancy = Vacancy.objects.filter(cycle=cycle, office=office).first() if cycle else None
    return render(request, "placement/office_detail.html", {"office": office, "cycle": cycle, "vacancy": vacancy})


def cycle_candidate_list(request, pk):
    cycle = access.cycle_get_for_user(request.user, pk)
    page = Paginator(selectors.cycle_candidates(cycle=cycle), 100).get_page(request.GET.get("page"))
    return render(request, "placement/cycle_candidate_list.html", {"cycle": cycle, "page": page})


def candidate_detail(request, pk):
    candidate = access.candidate_get_for_user(request.user, pk)
    return render(request, "placement/candidate_detail.html", {"candidate": candidate})
