"""Office discovery: filter and map the offices, compare up to four, and add one to a candidate's preference list."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from placement import access as placement_access
from placement import selectors as placement_selectors
from placement.services.common import PlacementError
from placement.services.preferences import preference_list_save

from . import discovery
from .filters import OfficeDiscoveryFilter

PAGE_SIZE = 50


def office_discovery(request):
    """List the offices of the current cycle with filters, a map and boxes to tick for a comparison."""
    cycle = placement_selectors.current_cycle()
    me = discovery.candidate_view(request.user)
    language_code = get_language()
    office_filter = OfficeDiscoveryFilter(
        request.GET or None, queryset=discovery.discovery_offices(cycle=cycle, origin=me.origin),
        counties=placement_selectors.office_counties(), origin=me.origin, language_code=language_code,
    )
    offices = office_filter.qs
    page = Paginator(offices, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = discovery.attach_published_profiles(list(page.object_list), listed=me.listed)
    return render(request, "offices/discovery/discovery.html", {
        "filter": office_filter, "page": page, "cycle": cycle, "me": me, "max_compared": discovery.MAX_COMPARED,
        "office_map": discovery.office_map(offices),
    })


def office_compare(request):
    """Show up to four offices side by side, fact by fact (?o=CODE&o=CODE…)."""
    codes = list(dict.fromkeys(code for code in request.GET.getlist("o") if code))
    me = discovery.candidate_view(request.user)
    refusal, offices, rows = "", [], []
    if len(codes) > discovery.MAX_COMPARED:
        refusal = _("You chose %(count)s offices; compare at most %(max)s at a time.") % {
            "count": len(codes), "max": discovery.MAX_COMPARED}
    elif not codes:
        refusal = _("Tick two to four offices on the list of land offices to compare them.")
    else:
        offices = discovery.compared_offices(cycle=placement_selectors.current_cycle(), me=me, codes=codes)
        rows = discovery.comparison_rows(offices, language_code=get_language(), with_distance=me.origin is not None)
    unknown = [code for code in codes if code not in {office.code for office in offices}] if offices else []
    return render(request, "offices/discovery/compare.html", {
        "refusal": refusal, "offices": offices, "rows": rows, "me": me, "unknown": unknown,
        "max_compared": discovery.MAX_COMPARED,
    })


@require_POST
def preference_add(request, code):
    """Append an office to the end of the candidate's preference list, then go back where they were."""
    office = placement_access.office_get_for_user(request.user, code)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = reverse("offices:discovery")
    name = office.display_name(get_language())
    candidate = placement_selectors.current_candidacy(request.user)
    if candidate is None:
        messages.error(request, _("Your account is not linked to an exam record of the current cycle, so there is "
                                  "no list to add to."))
        return redirect(back)
    listed = placement_selectors.preference_office_ids(candidate=candidate)
    if office.pk in listed:
        messages.info(request, _("%(office)s is already number %(position)s on your preference list.") % {
            "office": name, "position": listed.index(office.pk) + 1})
        return redirect(back)
    try:
        preference_list_save(candidate=candidate, office_ids=[*listed, office.pk])
    except PlacementError as error:
        messages.error(request, _("%(office)s was not added: %(reason)s") % {"office": name, "reason": error})
    else:
        messages.success(request, _("%(office)s is now number %(position)s on your preference list.") % {
            "office": name, "position": len(listed) + 1})
    return redirect(back)
