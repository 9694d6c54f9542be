"""Thin views of what follows a publication: candidates answer their place, offices report late seats, examination
staff set the report-by time and decide deferrals and late vacancies."""
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import access, charts, selectors
from .forms import DecisionForm, DeclineForm, DeferralForm, LateVacancyForm, ReportByForm, RoundForm
from .models import LateVacancy, PlaceResponse
from .services import reporting
from .services.common import PlacementError
from .services.rounds import placement_round_start
from .tabular import FORMATS, write_table


def _run(request, action, success: str) -> bool:
    try:
        action()
    except PlacementError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


@require_POST
def place_answer(request, pk):
    """Take the candidate's answer to their published place: confirm, decline with a reason, or ask to defer."""
    candidate = access.candidate_get_for_user(request.user, pk)
    place = selectors.candidate_place(candidate=candidate)
    response = selectors.place_response_for(assignment=place.assignment) if place else None
    if response is None or response.candidate.user_id != request.user.pk:
        raise Http404
    action = request.POST.get("action")
    if action == "confirm":
        _run(request, lambda: reporting.place_confirm(response=response, acting_user=request.user),
             _("Thank you: you have confirmed that you will report for duty."))
    elif action == "decline":
        form = DeclineForm(request.POST)
        if form.is_valid():
            _run(request, lambda: reporting.place_decline(response=response, reason=form.cleaned_data["reason"],
                                                          acting_user=request.user),
                 _("You have declined the place. The seat goes to the supplementary round."))
        else:
            messages.error(request, _("Say why you decline the place; the office and the examination staff read it."))
    elif action == "defer":
        form = DeferralForm(request.POST, request.FILES)
        if form.is_valid():
            _run(request, lambda: reporting.place_deferral_request(
                response=response, deferral_reason=form.cleaned_data["deferral_reason"],
                reason=form.cleaned_data["reason"], evidence_files=form.cleaned_data["files"],
                acting_user=request.user),
                _("Your deferral request is sent; the examination staff decide and you will get an email."))
        else:
            messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    else:
        raise Http404
    return redirect("placement:candidate_result", pk=candidate.pk)


@require_POST
def late_vacancy_report(request, code):
    office = access.own_office_get_for_user(request.user, code)
    cycle = selectors.current_cycle()
    form = LateVacancyForm(request.POST)
    if cycle is None:
        raise Http404
    if form.is_valid():
        _run(request, lambda: reporting.late_vacancy_report(
            cycle=cycle, office=office, seats=form.cleaned_data["seats"], reason=form.cleaned_data["reason"],
            acting_user=request.user), _("The late vacancy is reported; the examination staff decide on it."))
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect("placement:office_placements", code=office.code)


@require_http_methods(["GET", "POST"])
@require_GET
def published_verify(request, pk):
    """Check the cycle's published results against the hashes stored when they were published."""
    cycle = access.cycle_get_for_user(request.user, pk)
    return render(request, "placement/published_verify.html", {
        "cycle": cycle, "publications": selectors.publication_count(cycle=cycle),
        "problems": selectors.published_results_problems(cycle=cycle),
    })


def after_publication(request, pk):
    """The examination staff's page after publishing: the report-by time, answers, deferrals, late vacancies."""
    cycle = access.cycle_get_for_user(request.user, pk)
    publication = selectors.current_publication(cycle)
    form = ReportByForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The report-by time is saved."))
        return redirect("placement:after_publication", pk=cycle.pk)
    overview = selectors.after_publication(cycle=cycle, publication=publication) if publication else None
    if overview is not None:
        # One decision form per request and per late vacancy, each with its own element ids.
        for response in overview.deferral_requests:
            response.decision_form = DecisionForm(auto_id=f"deferral-{response.pk}-%s")
        for late in overview.late_vacancies:
            late.decision_form = DecisionForm(auto_id=f"late-{late.pk}-%s")
    return render(request, "placement/after_publication.html", {
        "cycle": cycle, "publication": publication, "form": form, "overview": overview,
        # Every state with its count, 0 included, so that no figure is left blank.
        "answer_counts": [(label, overview.counts.get(value, 0)) for value, label in PlaceResponse.State.choices]
        if overview else [],
        "round_form": RoundForm(),
        "rounds": selectors.round_runs(cycle=cycle),
    }, status=400 if form.errors else 200)


@require_POST
def round_start(request, pk):
    """Start the next supplementary round and follow it on its run page."""
    cycle = access.cycle_get_for_user(request.user, pk)
    form = RoundForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect("placement:after_publication", pk=cycle.pk)
    try:
        run = placement_round_start(cycle=cycle, policy=form.cleaned_data["policy"],
                                    exam_weight=form.cleaned_data["exam_weight"], seed=form.cleaned_data["seed"],
                                    acting_user=request.user)
    except PlacementError as error:
        messages.error(request, str(error))
        return redirect("placement:after_publication", pk=cycle.pk)
    messages.success(request, _("Round %(n)s is started.") % {"n": run.round_number})
    return redirect("placement:run_detail", pk=run.pk)


@require_POST
def deferral_decide(request, pk):
    response = get_object_or_404(PlaceResponse.objects.filter(cycle__in=access.cycles_for_user(request.user)), pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        _run(request, lambda: reporting.place_deferral_decide(
            response=response, approve=form.cleaned_data["approve"],
            decision_reason=form.cleaned_data["decision_reason"], acting_user=request.user),
            _("The decision is recorded and the candidate is told by email."))
    else:
        messages.error(request, _("Choose approve or refuse, and give the reason."))
    return redirect("placement:after_publication", pk=response.cycle_id)


@require_POST
def late_vacancy_decide(request, pk):
    late = get_object_or_404(LateVacancy.objects.filter(cycle__in=access.cycles_for_user(request.user)), pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        _run(request, lambda: reporting.late_vacancy_decide(
            late=late, approve=form.cleaned_data["approve"], decision_reason=form.cleaned_data["decision_reason"],
            acting_user=request.user), _("The decision on the late vacancy is recorded."))
    else:
        messages.error(request, _("Choose approve or refuse, and give the reason."))
    return redirect("placement:after_publication", pk=late.cycle_id)


OUTCOME_COLUMNS = ["office", "office_name", "county", "seats", "late_seats", "placed_round_1", "placed_in_rounds",
                   "confirmed", "pending", "deferral_requested", "declined", "deferred", "not_taken", "unfilled"]
DEFERRAL_COLUMNS = ["exam_number", "name", "email", "exam_rank", "office", "office_name", "deferral_reason",
                    "reason", "decided_at", "decided_by", "decision_reason"]


@require_GET
def outcomes(request, pk):
    """Seats filled, declined, deferred and unfilled per round, office and county, with a chart."""
    cycle = access.cycle_get_for_user(request.user, pk)
    result = selectors.placement_outcomes(cycle=cycle)
    labels = [_("Placed"), _("Reported for duty"), _("Declined"), _("Training deferred"), _("Not taken")]
    keys = ["placed", "confirmed", "declined", "deferred", "lapsed"]
    chart = charts.grouped_bar_chart(
        labels, [[result.by_round[number][key] for key in keys] for number in result.rounds],
        [_("Main placement") if number == 1 else _("Round %(n)s") % {"n": number} for number in result.rounds])
    return render(request, "placement/outcomes.html", {"cycle": cycle, "result": result, "chart": chart})


def _outcome_rows(result):
    for row in result.offices:
        yield [row.office.code, row.office.name, row.office.county, row.seats, row.late_seats,
               row.placed_by_round.get(1, 0), sum(count for number, count in row.placed_by_round.items()
                                                  if number > 1),
               row.states["confirmed"], row.states["pending"], row.states["deferral_requested"],
               row.states["declined"], row.states["deferred"], row.states["lapsed"], row.unfilled]


@require_GET
def outcomes_export(request, pk, kind, fmt):
    """Download the outcomes by office, or the deferral list that carries into next year's cycle."""
    cycle = access.cycle_get_for_user(request.user, pk)
    if fmt not in FORMATS or kind not in ("outcomes", "deferrals"):
        raise Http404
    if kind == "outcomes":
        columns, rows = OUTCOME_COLUMNS, _outcome_rows(selectors.placement_outcomes(cycle=cycle))
    else:
        columns, rows = DEFERRAL_COLUMNS, selectors.deferral_rows(cycle=cycle)
    content, content_type = write_table(columns, rows, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="cycle-{cycle.pk}-{kind}.{fmt}"'
    return response
