"""The office profile pages: office staff edit and publish their own office's, examination staff read all of them,
and anyone reads a published profile on the page for exam passers."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from media_pipeline import selectors as media_selectors
from placement.tables import table_page
from practice import selectors as practice_selectors

from . import access, selectors, services
from .forms import OfficeInstrumentFormSet, OfficeProfileForm, ResurveyProjectFormSet
from .history import history_rows
from .models import OfficeProfile
from .rules import INSTRUMENTS_FIELD
from .services import INSTRUMENT_FIELDS, RESURVEY_FIELDS, RowChange
from .tables import OfficeProfileFilter, OfficeProfileTable

HISTORY_ENTRIES_PER_PAGE = 50


@require_GET
def our_profile(request):
    """Send office staff to the profile of the (first) office they work at."""
    office = access.managed_offices(request.user).first()
    if office is None:
        raise Http404
    return redirect("offices:profile_edit", code=office.code)


def _row_changes(formset, originals: dict, fields) -> list[RowChange]:
    """Return what the formset's forms ask: remove the rows marked, update the changed ones, add the new ones."""
    changes = []
    deleted = formset.deleted_forms
    for form in formset.forms:
        row = originals.get(form.instance.pk) if form.instance.pk else None
        if form in deleted:
            if row is not None:
                changes.append(RowChange(row=row, values={}, remove=True))
        elif form.has_changed():
            changes.append(RowChange(row=row, values={field: form.cleaned_data[field] for field in fields}))
    return changes


def _show_refusal(error: ValidationError, form, instrument_formset) -> None:
    for field, messages_of_field in error.message_dict.items():
        for message in messages_of_field:
            if field == INSTRUMENTS_FIELD:
                instrument_formset.non_form_errors().append(message)
            else:
                form.add_error(field if field in form.fields else None, message)


def profile_edit(request, code):
    """Edit the office's profile: its facts, re-survey projects and instruments, saved all together."""
    office = access.managed_office_get(request.user, code)
    profile = selectors.profile_for_office(office)
    # The formsets load rows of their own and write the posted values into them; the rows loaded with the profile
    # keep the saved values, which the services compare with to record old → new.
    formset_profile = profile or OfficeProfile(office=office)
    initial = services.profile_facts(profile) if profile else {}
    data = request.POST if request.method == "POST" else None
    form = OfficeProfileForm(data, initial=initial)
    resurvey_formset = ResurveyProjectFormSet(data, instance=formset_profile, prefix="resurvey")
    instrument_formset = OfficeInstrumentFormSet(data, instance=formset_profile, prefix="instruments")
    if data is not None and all([form.is_valid(), resurvey_formset.is_valid(), instrument_formset.is_valid()]):
        resurvey_originals = {row.pk: row for row in profile.resurvey_projects.all()} if profile else {}
        instrument_originals = {row.pk: row for row in profile.instruments.all()} if profile else {}
        try:
            services.office_profile_edit(
                office=office, facts=form.cleaned_data, acting_user=request.user,
                resurvey_changes=_row_changes(resurvey_formset, resurvey_originals, RESURVEY_FIELDS),
                instrument_changes=_row_changes(instrument_formset, instrument_originals, INSTRUMENT_FIELDS),
            )
        except ValidationError as error:
            _show_refusal(error, form, instrument_formset)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("offices:profile_edit", code=office.code)
    return render(request, "offices/profile_edit.html", {
        "office": office, "profile": profile, "form": form,
        "public_url": request.build_absolute_uri(reverse("offices:public_profile", kwargs={"code": office.code})),
        "resurvey_formset": resurvey_formset, "instrument_formset": instrument_formset,
    })


@require_POST
def profile_publish(request, code):
    """Publish the office's profile, or say field by field what is still missing."""
    office = access.managed_office_get(request.user, code)
    profile = selectors.profile_for_office(office)
    if profile is None:
        messages.error(request, _("Fill in and save the profile before publishing it."))
        return redirect("offices:profile_edit", code=office.code)
    try:
        services.office_profile_publish(profile=profile, acting_user=request.user)
    except ValidationError as error:
        labels = {field.name: capfirst(field.verbose_name) for field in OfficeProfile._meta.fields}
        labels[INSTRUMENTS_FIELD] = _("Instruments")
        messages.error(request, _("The profile cannot be published yet:"))
        for field, field_messages in error.message_dict.items():
            for message in field_messages:
                messages.error(request, f"{labels.get(field, field)}: {message}")
    else:
        messages.success(request, _("The profile is published."))
    return redirect("offices:profile_edit", code=office.code)


@require_POST
def profile_unpublish(request, code):
    """Take the office's profile back to draft, so no candidate sees it until it is published again."""
    office = access.managed_office_get(request.user, code)
    profile = selectors.profile_for_office(office)
    if profile is not None:
        services.office_profile_unpublish(profile=profile, acting_user=request.user)
        messages.success(request, _("The profile is back to draft; candidates no longer see it."))
    return redirect("offices:profile_edit", code=office.code)


@require_GET
def profile_list(request):
    """Show examination staff every office with the state of its profile, searchable and sortable."""
    office_filter = OfficeProfileFilter(request.GET or None, queryset=selectors.offices_with_profiles())
    table = OfficeProfileTable(office_filter.qs)
    page = table_page(request, table)
    return render(request, "offices/profile_list.html", {"filter": office_filter, "table": table, "page": page})


@require_GET
def profile_detail(request, code):
    """Show a profile, draft or published, read-only: to examination staff, and to the office's own staff."""
    office = access.readable_office_get(request.user, code)
    return render(request, "offices/profile_detail.html", {
        "office": office, "profile": selectors.profile_for_office(office),
        "can_edit": office in access.managed_offices(request.user),
    })


@require_GET
def profile_history(request, code):
    """Show every change of the office's profile and its rows, newest first, with who made it."""
    office = access.readable_office_get(request.user, code)
    profile = selectors.profile_for_office(office)
    page = Paginator(selectors.profile_history(profile) if profile else [], HISTORY_ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "offices/profile_history.html", {
        "office": office, "profile": profile, "page": page, "rows": history_rows(page),
    })


@require_GET
def public_profile(request, code):
    """Show exam passers an office's published profile and its videos; a draft answers 404 like a missing office."""
    profile = selectors.published_profile_for_office_code(code)
    if profile is None:
        raise Http404
    return render(request, "offices/public_profile.html", {
        "profile": profile, "office": profile.office,
        "videos": media_selectors.office_videos_playable(office=profile.office),
        "practice_summary": practice_selectors.practice_set_summary(profile.office),
    })
