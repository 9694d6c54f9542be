import copy

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core import clock

from . import access, access_log, charts, selectors
from .columns import CANDIDATE_COLUMNS, CANDIDATE_RESIDENCE_COLUMNS, SUITABILITY_COLUMNS, VACANCY_COLUMNS
from .filters import CandidateFilter, ResultFilter
from .forms import (
    AccessLogFilterForm,
    DeadlinesForm,
    DeclineForm,
    DeferralForm,
    ImportForm,
    LateVacancyForm,
    PublishForm,
    ResidenceForm,
    RunForm,
)
from .import_templates import column_notes, import_template
from .models import PHASE_ORDER, CandidateDataView, Phase, PlacementRun, Publication, Vacancy
from .services.access_log import candidate_data_view_record
from .services.candidates import candidate_residence_set
from .services.common import PlacementError
from .services.cycles import exam_cycle_set_deadlines
from .services.imports import (
    SUITABILITY_MAX,
    SUITABILITY_MIN,
    candidates_import,
    import_closed_reason,
    suitability_import,
    vacancies_import,
)
from .services.preferences import (
    preference_list_editable,
    preference_list_save,
    preference_list_submit,
    round_preferences_open,
)
from .services.publications import publication_create
from .services.runs import placement_run_cancel, placement_run_start
from .tables import CandidateTable, ResultTable, table_page, table_rows
from .tabular import FORMATS, TableError, max_errors, max_rows, write_table


def office_detail(request, code):
    office = access.office_get_for_user(request.user, code)
    cycle = selectors.current_cycle()
    vacancy = Vacancy.objects.filter(cycle=cycle, office=office).first() if cycle else None
    return render(request, "placement/office_detail.html", {"office": office, "cycle": cycle, "vacancy": vacancy})


def cycle_candidate_list(request, pk):
    """List a cycle's candidates, searchable by name or exam number and sortable by any column."""
    cycle = access.cycle_get_for_user(request.user, pk)
    candidate_filter = CandidateFilter(request.GET or None, queryset=selectors.cycle_candidates(cycle=cycle))
    table = CandidateTable(candidate_filter.qs)
    page = table_page(request, table)
    return render(request, "placement/cycle_candidate_list.html", {
        "cycle": cycle, "filter": candidate_filter, "table": table, "page": page,
        "export_query": _export_query(request),
    })


def _export_query(request) -> str:
    """Return the page's filters and sort order for its export links; the page number is left out."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


def candidate_detail(request, pk):
    candidate = access.candidate_get_for_user(request.user, pk)
    candidate_data_view_record(viewer=request.user, candidates=candidate, what=CandidateDataView.What.PROFILE,
                               url_name=request.resolver_match.view_name)
    return render(request, "placement/candidate_detail.html", {
        "candidate": candidate, "may_read_access_log": access.may_read_access_log(request.user)})


ACCESS_LOG_PER_PAGE = 50


def candidate_access_log(request, pk):
    """Show examination staff who saw or changed one candidate's data, newest first, filtered by viewer or kind."""
    candidate = access.candidate_get_for_access_log(request.user, pk)
    form = AccessLogFilterForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    timeline = access_log.candidate_access_timeline(candidate=candidate,
                                                    viewer_email=criteria.get("viewer", "").strip(),
                                                    kind=criteria.get("kind", ""))
    page = Paginator(timeline, ACCESS_LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "placement/candidate_access_log.html", {
        "candidate": candidate, "form": form, "page": page, "rows": page.object_list})


# The placement cycle -------------------------------------------------------------------------------------------------

IMPORT_KINDS = {
    "candidates": gettext_lazy("candidates"),
    "vacancies": gettext_lazy("vacancies"),
    "suitability": gettext_lazy("suitability scores"),
}
EXPORT_KINDS = ("candidates", "vacancies", "results")


def cycle_detail(request, pk):
    """Show a cycle's phase and timeline, and let examination staff set the deadlines."""
    cycle = access.cycle_get_for_user(request.user, pk)
    # The form validates into a copy: the service compares the deadlines stored with the new ones.
    form = DeadlinesForm(request.POST or None, instance=copy.copy(cycle))
    if request.method == "POST" and form.is_valid():
        phase_before = selectors.phase_info(cycle).phase
        try:
            exam_cycle_set_deadlines(cycle=cycle, deadlines=form.cleaned_data, acting_user=request.user,
                                     confirm_reopen=form.cleaned_data["confirm"], reason=form.cleaned_data["reason"])
        except PlacementError as error:
            form.add_error(None, str(error))
        else:
            phase_after = selectors.phase_info(cycle).phase
            if PHASE_ORDER.index(phase_after) < PHASE_ORDER.index(phase_before):
                messages.warning(request, _("Deadlines saved. The cycle is back in the “%(phase)s” phase; the "
                                            "reason is kept in the audit history.")
                                 % {"phase": Phase(phase_after).label})
            else:
                messages.success(request, _("Deadlines saved."))
            return redirect("placement:cycle_detail", pk=cycle.pk)
    cycle.refresh_from_db()
    summary = next(s for s in selectors.cycle_summaries() if s.cycle.pk == cycle.pk)
    return render(request, "placement/cycle_detail.html", {
        "cycle": cycle, "form": form, "summary": summary, "phase": summary.phase,
        "timeline": [(Phase(phase).label, deadline) for phase, deadline in cycle.deadlines()],
        "publication": selectors.current_publication(cycle),
        "import_kinds": IMPORT_KINDS,
        "carried_deferrals": selectors.deferrals_carried_into(cycle=cycle),
    })


def cycle_import(request, pk, kind):
    """Import candidates, vacancies or one office's suitability scores from CSV or XLSX; all rows or none."""
    cycle = access.cycle_get_for_user(request.user, pk)
    if kind not in IMPORT_KINDS:
        raise Http404
    offices = selectors.result_offices(cycle=cycle) if kind == "suitability" else None
    # When the cycle would refuse the import, the page says why instead of offering a form that fails.
    closed = import_closed_reason(cycle=cycle, kind=kind)
    form = None if closed else ImportForm(request.POST or None, request.FILES or None, offices=offices)
    row_errors = []
    if closed and request.method == "POST":
        messages.error(request, closed)
    if form is not None and request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            if kind == "candidates":
                report = candidates_import(cycle=cycle, content=content, filename=upload.name,
                                                    acting_user=request.user)
            elif kind == "vacancies":
                report = vacancies_import(cycle=cycle, content=content, filename=upload.name)
            else:
                report = suitability_import(cycle=cycle, office=form.cleaned_data["office"],
                                                     content=content, filename=upload.name)
        except TableError as error:
            # A problem with the whole file (unreadable, too large) belongs to the file field; rows get the table.
            for problem in error.errors:
                if problem.row == 0:
                    form.add_error("file", problem.message)
            row_errors = [problem for problem in error.errors if problem.row != 0]
            messages.error(request, _import_refusal(error))
        except PlacementError as error:
            messages.error(request, str(error))
        else:
            text = _("Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.") % vars(report)
            if kind == "candidates":
                text += " " + ngettext("%(n)s invitation sent.", "%(n)s invitations sent.", report.invited) % {
                    "n": report.invited}
            messages.success(request, text)
            return redirect("placement:cycle_detail", pk=cycle.pk)
    return render(request, "placement/cycle_import.html", {
        "cycle": cycle, "form": form, "kind": kind, "kind_label": IMPORT_KINDS[kind], "row_errors": row_errors,
        "columns": {"candidates": CANDIDATE_COLUMNS, "vacancies": VACANCY_COLUMNS,
                    "suitability": SUITABILITY_COLUMNS}[kind],
        "column_notes": column_notes(kind), "closed": closed,
        "cycle_url": reverse("placement:cycle_detail", kwargs={"pk": cycle.pk}),
        "suitability_min": SUITABILITY_MIN, "suitability_max": SUITABILITY_MAX,
        "max_rows": max_rows(), "max_errors": max_errors(),
    }, status=400 if row_errors or (form is not None and form.errors) else 200)


def cycle_import_template(request, pk, kind):
    """Download an import's template: its header row and one example row, in CSV or in XLSX with notes."""
    cycle = access.cycle_get_for_user(request.user, pk)
    fmt = request.GET.get("format", "csv")
    if kind not in IMPORT_KINDS or fmt not in FORMATS:
        raise Http404
    content, content_type = import_template(kind, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="cycle-{cycle.pk}-{kind}-template.{fmt}"'
    return response


def _import_refusal(error: TableError) -> str:
    """Return the message that tells staff an import saved nothing, and how many problems they are shown."""
    count = len(error.errors)
    if error.truncated:
        return _("Nothing was imported: the file has more than %(n)s problems, and checking stopped there. "
                 "Showing the first %(n)s problems; fix these and import again.") % {"n": count}
    return ngettext(
        "Nothing was imported: the file has %(n)s problem. Correct it and upload the file again.",
        "Nothing was imported: the file has %(n)s problems. Correct them and upload the file again.",
        count) % {"n": count}


def cycle_export(request, pk, kind):
    """Download candidates, vacancies or the published result as CSV or XLSX."""
    cycle = access.cycle_get_for_user(request.user, pk)
    fmt = request.GET.get("format", "csv")
    if kind not in EXPORT_KINDS or fmt not in FORMATS:
        raise Http404
    # The candidate list and the result page link here with their filters and sort order: the download holds
    # exactly the rows they list, all pages of them, in the same order.
    if kind == "candidates":
        columns = CANDIDATE_COLUMNS + CANDIDATE_RESIDENCE_COLUMNS
        candidate_filter = CandidateFilter(request.GET, queryset=selectors.cycle_candidates(cycle=cycle))
        exported = table_rows(request, CandidateTable(candidate_filter.qs))
        rows = selectors.candidates_export_rows(candidates=exported)
        # The file holds every listed candidate's contact details and residence: each one's log shows the download.
        candidate_data_view_record(viewer=request.user, candidates=exported.only("pk", "user_id"),
                                   what=CandidateDataView.What.EXPORT, url_name="placement:cycle_export")
    elif kind == "vacancies":
        columns, rows = ["office", "seats"], selectors.vacancies_export_rows(cycle=cycle)
    else:
        publication = selectors.current_publication(cycle)
        if publication is None:
            raise Http404
        result_filter = _result_filter(request, cycle=cycle, publication=publication)
        columns = selectors.RESULT_EXPORT_COLUMNS
        rows = selectors.result_export_rows(rows=table_rows(request, ResultTable(result_filter.qs)))
    content, content_type = write_table(columns, rows, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="cycle-{cycle.pk}-{kind}.{fmt}"'
    return response


def preference_edit(request):
    """Let a candidate build and order their preference list; every change is saved at once."""
    candidate = selectors.current_candidacy(request.user)
    if candidate is None:
        return render(request, "placement/preference_edit.html", {"candidate": None})
    editable = preference_list_editable(candidate.cycle, candidate)
    if request.method == "POST":
        wants_json = request.headers.get("Accept", "").startswith("application/json")
        try:
            _preference_action(candidate, request.POST)
        except (PlacementError, ValueError) as error:
            if wants_json:
                return JsonResponse({"ok": False, "error": str(error)}, status=400)
            messages.error(request, str(error))
        else:
            if wants_json:
                return JsonResponse({"ok": True})
            if request.POST.get("action") == "submit":
                messages.success(request, _("Your preference list is submitted."))
        return redirect("placement:preference_edit")
    context = selectors.preference_page(candidate=candidate)
    phase = selectors.phase_info(candidate.cycle)
    residence_form = ResidenceForm(initial={
        "county": candidate.residence_county, "district": candidate.residence_district,
    })
    return render(request, "placement/preference_edit.html", {
        "candidate": candidate, "editable": editable, "phase": phase, "residence_form": residence_form,
        # While lists change for a supplementary round, the deadline shown is that window's end.
        "deadline": (candidate.cycle.round_preferences_until if editable and round_preferences_open(candidate.cycle)
                     else candidate.cycle.preferences_until),
        **context,
    })


@require_POST
def residence_edit(request):
    """Record where the candidate lives, so the preference page can show distances."""
    candidate = selectors.current_candidacy(request.user)
    if candidate is None:
        raise Http404
    form = ResidenceForm(request.POST)
    if form.is_valid():
        try:
            candidate_residence_set(candidate=candidate, county=form.cleaned_data["county"],
                                    district=form.cleaned_data["district"])
        except PlacementError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your residence is saved; distances are updated."))
    elif "county" in form.errors:
        messages.error(request, _("Choose the county or city where you live."))
    else:
        messages.error(request, " ".join(form.errors["district"]))
    return redirect("placement:preference_edit")


def _preference_action(candidate, data) -> None:
    """Apply one button of the preference page: add, remove, up, down, a whole new order, or submit."""
    action, _sep, value = (data.get("action") or "").partition(":")
    if action == "submit":
        preference_list_submit(candidate=candidate)
        return
    current = selectors.preference_page(candidate=candidate)["chosen_ids"]
    if action == "order":
        order = [int(part) for part in data.get("order", "").split(",") if part.strip()]
    else:
        office_id = int(value)
        order = list(current)
        if action == "add" and office_id not in order:
            order.append(office_id)
        elif action == "remove" and office_id in order:
            order.remove(office_id)
        elif action in ("up", "down") and office_id in order:
            index = order.index(office_id)
            other = index - 1 if action == "up" else index + 1
            if 0 <= other < len(order):
                order[index], order[other] = order[other], order[index]
    preference_list_save(candidate=candidate, office_ids=order)


def run_list(request, pk):
    """List a cycle's runs and start a new one, once the preference deadline has passed."""
    cycle = access.cycle_get_for_user(request.user, pk)
    phase = selectors.phase_info(cycle)
    # Before the preference deadline the page says when runs can start instead of offering a form that fails.
    runs_open = phase.phase in (Phase.PLACEMENT, Phase.PUBLISHED)
    form = RunForm(request.POST or None) if runs_open else None
    if request.method == "POST" and form is None:
        messages.error(request, _("Runs start after the preference deadline, when every list is final."))
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            run = placement_run_start(cycle=cycle, acting_user=request.user, **form.cleaned_data)
        except PlacementError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Run #%(n)s started.") % {"n": run.pk})
            return redirect("placement:run_detail", pk=run.pk)
    runs = list(selectors.run_list(cycle=cycle))
    return render(request, "placement/run_list.html", {
        "cycle": cycle, "form": form, "runs": runs, "phase": phase, "runs_open": runs_open,
        "preferences_until": cycle.preferences_until,
        "cycle_url": reverse("placement:cycle_detail", kwargs={"pk": cycle.pk}),
        "submissions": selectors.preference_submissions(cycle=cycle),
    })


def _chart(stats_list: list[dict], names: list[str]):
    categories = []
    series = []
    for stats in stats_list:
        labels, counts = charts.rank_distribution(stats)
        if len(labels) > len(categories):
            categories = labels
        series.append(counts)
    # Runs on different inputs may have lists of different lengths; pad so that the ranks line up.
    width = len(categories)
    padded = [counts[:-1] + [0] * (width - len(counts)) + counts[-1:] if counts else [0] * width for counts in series]
    return charts.grouped_bar_chart(categories, padded, names)


def run_detail(request, pk):
    """Show a run's progress, hashes, stability check and statistics, with the publish button."""
    run = access.run_get_for_user(request.user, pk)
    publication = Publication.objects.filter(run=run).first()
    current = selectors.current_publication(run.cycle)
    stale = run.status == PlacementRun.Status.SUCCEEDED and publication is None and selectors.run_is_stale(run)
    context = {"run": run, "publication": publication, "current": current, "stale": stale,
               "publish_form": PublishForm(), "cycle": run.cycle}
    if run.status == PlacementRun.Status.SUCCEEDED:
        context["rank_chart"] = _chart([run.stats], [_("Run #%(n)s") % {"n": run.pk}])
        context["fill_chart"] = charts.grouped_bar_chart(
            charts.FILL_BUCKETS, [charts.fill_rate_buckets(run.stats)], [_("Offices")]
        )
    return render(request, "placement/run_detail.html", context)


@require_POST
def run_cancel(request, pk):
    """Stop a queued or running run (its task may be lost), so the cycle is free for a new one."""
    run = access.run_get_for_user(request.user, pk)
    try:
        placement_run_cancel(run=run, acting_user=request.user)
    except PlacementError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Run #%(n)s is cancelled; you can start a new run.") % {"n": run.pk})
    return redirect("placement:run_detail", pk=run.pk)


def run_publish_confirm(request, pk):
    """Say what publishing the run does, before the examination staff confirm it on this page."""
    run = access.run_get_for_user(request.user, pk)
    current = selectors.current_publication(run.cycle)
    replaces = current is not None and not run.follows_id
    return render(request, "placement/run_publish_confirm.html", {
        "run": run, "cycle": run.cycle, "current": current, "replaces": replaces,
        "published": Publication.objects.filter(run=run).exists(),
        "emails": selectors.publication_email_estimate(run=run),
        "publish_form": PublishForm(require_reason=replaces),
    })


@require_POST
def run_publish(request, pk):
    run = access.run_get_for_user(request.user, pk)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        publication_create(run=run, acting_user=request.user, reason=form.cleaned_data.get("reason", ""))
    except PlacementError as error:
        messages.error(request, str(error))
        return redirect("placement:run_publish_confirm", pk=run.pk)
    messages.success(request, _("Run #%(n)s is published. Candidates and offices are being notified.")
                     % {"n": run.pk})
    return redirect("placement:run_detail", pk=run.pk)


def run_compare(request, pk):
    """Compare two finished runs of a cycle: statistics, a chart of achieved ranks, and who moves."""
    cycle = access.cycle_get_for_user(request.user, pk)
    finished = list(selectors.run_list(cycle=cycle).filter(status=PlacementRun.Status.SUCCEEDED))
    by_id = {str(run.pk): run for run in finished}
    run_a, run_b = by_id.get(request.GET.get("a", "")), by_id.get(request.GET.get("b", ""))
    context = {"cycle": cycle, "runs": finished, "run_a": run_a, "run_b": run_b}
    if run_a and run_b:
        comparison = selectors.run_comparison(cycle=cycle, run_a=run_a, run_b=run_b,
                                              language_code=request.LANGUAGE_CODE)
        if comparison is None:
            messages.warning(request, _("These runs used different preference lists, so only their totals "
                                        "can be compared."))
        else:
            context.update(comparison=comparison.comparison, moves=comparison.moves, gains=comparison.gains,
                           losses=comparison.losses)
        context["chart"] = _chart([run_a.stats, run_b.stats], [f"#{run_a.pk}", f"#{run_b.pk}"])
    return render(request, "placement/run_compare.html", context)


def cycle_results(request, pk):
    """Show the published result to examination staff: filters, charts, and exports."""
    cycle = access.cycle_get_for_user(request.user, pk)
    publication = selectors.current_publication(cycle)
    context = {"cycle": cycle, "publication": publication}
    if publication is not None:
        result_filter = _result_filter(request, cycle=cycle, publication=publication)
        table = ResultTable(result_filter.qs)
        stats = publication.run.stats
        context.update({
            "filter": result_filter, "table": table, "export_query": _export_query(request),
            "page": table_page(request, table),
            "stats": stats,
            "rank_chart": _chart([stats], [_("Candidates")]),
            "fill_chart": charts.grouped_bar_chart(charts.FILL_BUCKETS, [charts.fill_rate_buckets(stats)],
                                                   [_("Offices")]),
        })
    return render(request, "placement/cycle_results.html", context)


def _result_filter(request, *, cycle, publication) -> ResultFilter:
    return ResultFilter(request.GET or None, queryset=selectors.result_rows(run=publication.run),
                        counties=selectors.office_counties(),
                        offices=selectors.result_office_choices(run=publication.run))


def candidate_result(request, pk):
    """Show one candidate their own published placement, with the engine's reasons in plain sentences."""
    candidate = access.candidate_get_for_user(request.user, pk)
    candidate_data_view_record(viewer=request.user, candidates=candidate, what=CandidateDataView.What.RESULT,
                               url_name=request.resolver_match.view_name)
    # The main placement's publication, or the supplementary round that placed the candidate since.
    place = selectors.candidate_place(candidate=candidate)
    publication = place.publication if place else selectors.current_publication(candidate.cycle)
    context = {"candidate": candidate, "publication": publication, "round_number": place.round_number if place else 1,
               # The page speaks to the candidate only when they read it; staff read about the candidate.
               "own_result": candidate.user_id is not None and candidate.user_id == request.user.pk}
    if publication is not None:
        assignment = place.assignment if place else None
        context["assignment"] = assignment
        context["sentences"] = selectors.explanation_sentences(
            assignment=assignment, language_code=request.LANGUAGE_CODE,
            to_candidate=context["own_result"]) if assignment else []
        response = selectors.place_response_for(assignment=assignment) if assignment else None
        context.update({
            "response": response,
            # Only the candidate answers for their place; examination staff read the answer.
            "may_answer": response is not None and response.candidate.user_id == request.user.pk,
            "answer_open": response is not None and response.state == response.State.PENDING and (
                candidate.cycle.report_by is None or clock.now() < candidate.cycle.report_by),
            # Both forms have a reason field; their own element ids keep each label on its own field.
            "decline_form": DeclineForm(auto_id="decline-%s"), "deferral_form": DeferralForm(auto_id="deferral-%s"),
        })
    return render(request, "placement/candidate_result.html", context)


def office_placements(request, code):
    """Show land office staff who was placed at their office in the published result."""
    office = access.own_office_get_for_user(request.user, code)
    publication, rows = selectors.office_placements(office=office)
    responses = selectors.place_responses_for_office(office=office, publication=publication) if publication else {}
    return render(request, "placement/office_placements.html", {
        "office": office, "publication": publication,
        "rows": [{"assignment": row, "response": responses.get(row.candidate_id)} for row in rows],
        "late_vacancy_form": LateVacancyForm(),
    })
