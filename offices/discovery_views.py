"""Office discovery: filter and map the offices, compare up to four, and add one to a candidate's preference list."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from placement import access as placement_access
from placement import selectors as placement_selectors
from placement.services.common import PlacementError
from placement.services.preferences import preference_list_save

from . import discovery
from .filters import OfficeDiscoveryFilter

# A page of rows stays short enough to read; the map shows every office that matches, not just this page.
PAGE_SIZE = 25


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
    page.object_list = _with_page_urls(discovery.attach_published_profiles(list(page.object_list),
                                                                         listed=me.listed))
    office_map = discovery.office_map(offices)
    return render(request, "offices/discovery/discovery.html", {
        "filter": office_filter, "page": page, "cycle": cycle, "me": me, "max_compared": discovery.MAX_COMPARED,
        "office_map": office_map, "map_dots": _map_dots(office_map, language_code),
    })


def _office_url(code: str, *, published: bool) -> str:
    # An office with a published profile is best read on its page for exam passers; others on the registry's page.
    return reverse("offices:public_profile" if published else "placement:office_detail", kwargs={"code": code})


def _with_page_urls(offices: list) -> list:
    for office in offices:
        office.page_url = _office_url(office.code, published=office.published_profile is not None)
    return offices


def _map_dots(office_map: discovery.OfficeMap, language_code: str) -> SafeString:
    """Return the SVG of the map's dots, each a link to its office with its name and seats as its accessible name.

    Built with format_html_join rather than a template loop: the map draws every office that matches the search
    (thousands at national scale), and a template costs several lookups per dot.
    """
    english = language_code.startswith("en")

    def dot_values(dot):
        office = dot.office
        label = ngettext("%(office)s: %(seats)s seat", "%(office)s: %(seats)s seats", office["seats"]) % {
            "office": office["name_en"] if english else office["name"], "seats": office["seats"]}
        return (_office_url(office["code"], published=office["published"]), label,
                "dot has-seats" if office["seats"] else "dot", dot.x, dot.y, label)

    return format_html_join(
        "\n", '<a href="{}" aria-label="{}"><circle class="{}" cx="{}" cy="{}" r="5"><title>{}</title></circle></a>',
        (dot_values(dot) for dot in office_map.dots),
    )


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
        offices = _with_page_urls(discovery.compared_offices(cycle=placement_selectors.current_cycle(), me=me,
                                                             codes=codes))
        rows = discovery.comparison_rows(offices, language_code=get_language(), with_distance=me.origin is not None)
    found = {office.code for office in offices}
    unknown = [code for code in codes if code not in found] if not refusal else []
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
