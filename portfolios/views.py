"""Pages of the portfolio: the candidate's own (edit, preview, consent) and the focus groups' (list, detail).

Views check scope, call a service or selector, and render. Candidates reach only their own candidacy's portfolio;
focus group leaders and members only the portfolios of candidates who consent for their office.
"""
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Role
from accounts.scopes import offices_where_user_holds
from media_pipeline import access as media_access
from media_pipeline import selectors as media_selectors
from media_pipeline.forms import EvidenceForm
from media_pipeline.services.evidence import evidence_add
from media_pipeline.services.shared import MediaError
from placement import access as placement_access
from placement import selectors as placement_selectors
from placement.models import CandidateDataView
from placement.phases import submissions_open
from placement.services.access_log import candidate_data_view_record

from . import selectors
from .forms import ConsentForm, StepFormSet, SummaryForm, VideoDescriptionForm
from .services import (
    PortfolioError,
    portfolio_consent_set,
    portfolio_summary_set,
    portfolio_visit_record,
    video_description_save,
)

EVALUATOR_ROLES = frozenset({Role.FOCUS_GROUP_LEADER, Role.FOCUS_GROUP_MEMBER})
PORTFOLIOS_PER_PAGE = 50


# ---- The candidate's own portfolio -----------------------------------------------------------------------------

def _candidacy_or_404(request):
    candidate = media_access.candidacy_for_user(request.user)
    if candidate is None:
        raise Http404
    return candidate


def _own_video_or_404(candidate, video_id):
    return get_object_or_404(media_selectors.video_list_for_owner(candidate=candidate), pk=video_id)


def _mine_page(request, candidate, *, summary_form=None, evidence_form=None, status=200):
    context = {"candidate": candidate}
    if candidate is not None:
        videos = list(media_selectors.video_list_for_owner(candidate=candidate))
        described = selectors.described_video_ids(video_ids=[video.pk for video in videos])
        portfolio = selectors.portfolio_for_candidate(candidate=candidate)
        context |= {
            "videos": [(video, video.pk in described) for video in videos],
            "evidence": [item for item in media_selectors.evidence_list_for_candidate(candidate=candidate)
                         if item.video_id is None],
            "summary_form": summary_form or SummaryForm(initial={"summary": portfolio.summary if portfolio else ""}),
            "evidence_form": evidence_form or EvidenceForm(),
            "editable": submissions_open(candidate.cycle),
        }
    return render(request, "portfolios/mine.html", context, status=status)


@require_http_methods(["GET", "POST"])
def mine(request):
    """Show a candidate's portfolio for editing: the summary, each video's description, the files."""
    candidate = media_access.candidacy_for_user(request.user)
    if request.method == "GET":
        return _mine_page(request, candidate)
    if candidate is None:
        raise Http404
    form = SummaryForm(request.POST)
    if form.is_valid():
        try:
            portfolio_summary_set(candidate=candidate, summary=form.cleaned_data["summary"],
                                  acting_user=request.user)
        except PortfolioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The summary is saved."))
            return redirect("portfolios:mine")
    return _mine_page(request, candidate, summary_form=form, status=400)


@require_POST
def evidence_add_to_portfolio(request):
    """Attach a file to the portfolio as a whole."""
    candidate = _candidacy_or_404(request)
    form = EvidenceForm(request.POST, request.FILES)
    if _evidence_added(request, form, candidate=candidate, video=None):
        return redirect("portfolios:mine")
    return _mine_page(request, candidate, evidence_form=form, status=400)


@require_POST
def evidence_add_to_video(request, video_id):
    """Attach a file to one of the candidate's videos."""
    candidate = _candidacy_or_404(request)
    video = _own_video_or_404(candidate, video_id)
    form = EvidenceForm(request.POST, request.FILES)
    if _evidence_added(request, form, candidate=candidate, video=video):
        return redirect("portfolios:video_describe", video_id=video.pk)
    return _describe_page(request, candidate, video, evidence_form=form, status=400)


def _evidence_added(request, form, *, candidate, video) -> bool:
    if not form.is_valid():
        return False
    try:
        evidence_add(candidate=candidate, uploaded_file=form.cleaned_data["file"], title=form.cleaned_data["title"],
                     acting_user=request.user, video=video)
    except MediaError as error:
        form.add_error("file", str(error))
        return False
    messages.success(request, _("The file was added."))
    return True


def _describe_page(request, candidate, video, *, form=None, steps=None, evidence_form=None, status=200):
    description = selectors.description_for_video(video=video)
    if form is None:
        form = VideoDescriptionForm(instance=description)
    if steps is None:
        initial = [{"text": step.text, "at_seconds": step.at_seconds, "ORDER": step.position}
                   for step in (description.steps.all() if description else [])]
        steps = StepFormSet(initial=initial, prefix="steps", form_kwargs={"duration_seconds": video.duration_seconds})
    evidence = [item for item in media_selectors.evidence_list_for_candidate(candidate=candidate)
                if item.video_id == video.pk]
    return render(request, "portfolios/video_describe.html", {
        "candidate": candidate, "video": video, "form": form, "steps": steps, "evidence": evidence,
        "evidence_form": evidence_form or EvidenceForm(), "editable": submissions_open(candidate.cycle),
    }, status=status)


@require_http_methods(["GET", "POST"])
def video_describe(request, video_id):
    """Describe one of the candidate's videos: terrain, instrument, conditions, and the procedure step by step."""
    candidate = _candidacy_or_404(request)
    video = _own_video_or_404(candidate, video_id)
    if request.method == "GET":
        return _describe_page(request, candidate, video)
    form = VideoDescriptionForm(request.POST)
    steps = StepFormSet(request.POST, prefix="steps", form_kwargs={"duration_seconds": video.duration_seconds})
    if form.is_valid() and steps.is_valid():
        try:
            video_description_save(video=video, steps=steps.steps(), acting_user=request.user, **form.cleaned_data)
        except PortfolioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The description is saved."))
            return redirect("portfolios:video_describe", video_id=video.pk)
    return _describe_page(request, candidate, video, form=form, steps=steps, status=400)


def _portfolio_page(candidate):
    return selectors.portfolio_page(
        candidate=candidate, videos=media_selectors.video_list_for_evaluators(candidate=candidate),
        evidence_files=media_selectors.evidence_list_for_candidate(candidate=candidate))


@require_GET
def preview(request):
    """Show the candidate's portfolio exactly as a focus group sees it."""
    candidate = media_access.candidacy_for_user(request.user)
    return render(request, "portfolios/preview.html", {
        "candidate": candidate, "page": _portfolio_page(candidate) if candidate else None})


def _consent_state(candidate):
    """Return the consent overview, every office by id, and the form's choices."""
    overview = selectors.consent_overview(candidate=candidate)
    offices = {office.pk: office for office in placement_selectors.office_list(cycle=candidate.cycle)}
    language = get_language() or ""
    # The offices consented for first (by default, the preference list in its order), then every other with seats.
    order = dict.fromkeys([*overview.office_ids, *(pk for pk, office in offices.items() if office.seats > 0)])
    choices = [(pk, offices[pk].display_name(language)) for pk in order if pk in offices]
    return overview, offices, choices


def _consent_page(request, candidate, *, form=None, status=200):
    context = {"candidate": candidate}
    if candidate is not None:
        overview, offices, choices = _consent_state(candidate)
        language = get_language() or ""
        context |= {
            "overview": overview,
            "holders": [(item, offices[item.office_id].display_name(language)) for item in overview.in_force],
            "withdrawn": [(row, offices[row.office_id].display_name(language)) for row in overview.withdrawn],
            "form": form or ConsentForm(office_choices=choices, initial={"offices": overview.office_ids}),
        }
    return render(request, "portfolios/consent.html", context, status=status)


@require_http_methods(["GET", "POST"])
def consent(request):
    """Let the candidate choose which offices' focus groups may see the portfolio, and show who has it."""
    candidate = media_access.candidacy_for_user(request.user)
    if request.method == "GET":
        return _consent_page(request, candidate)
    if candidate is None:
        raise Http404
    _overview, _offices, choices = _consent_state(candidate)
    form = ConsentForm(request.POST, office_choices=choices)
    if not form.is_valid():
        return _consent_page(request, candidate, form=form, status=400)
    portfolio_consent_set(candidate=candidate, office_ids=form.cleaned_data["offices"], acting_user=request.user)
    messages.success(request, _("Your choice of offices is saved."))
    return redirect("portfolios:consent")


@require_POST
def consent_withdraw(request, office_id):
    """Withdraw the consent for one office; an office without consent answers 404."""
    candidate = _candidacy_or_404(request)
    overview = selectors.consent_overview(candidate=candidate)
    if office_id not in overview.office_ids:
        raise Http404
    portfolio_consent_set(candidate=candidate, office_ids=[pk for pk in overview.office_ids if pk != office_id],
                          acting_user=request.user)
    messages.success(request, _("The consent is withdrawn: that office's focus group no longer sees your portfolio."))
    return redirect("portfolios:consent")


# ---- The focus groups' view ------------------------------------------------------------------------------------

def _evaluated_offices(user):
    return placement_access.offices_for_user(user).filter(
        pk__in=offices_where_user_holds(user, EVALUATOR_ROLES)).order_by("sort_order", "name")


def _evaluated_office_or_404(user, office_id):
    return get_object_or_404(_evaluated_offices(user), pk=office_id)


@require_GET
def evaluated(request):
    """Send a focus group leader or member to the portfolios of the (first) office where they evaluate."""
    office = _evaluated_offices(request.user).first()
    if office is None:
        raise Http404
    return redirect("portfolios:office_portfolios", office_id=office.pk)


@require_GET
def office_portfolios(request, office_id):
    """List the portfolios of the candidates who consent for this office."""
    office = _evaluated_office_or_404(request.user, office_id)
    candidates = placement_selectors.candidates_with_ids(
        candidate_ids=selectors.consenting_candidate_ids([office.pk]))
    page = Paginator(candidates, PORTFOLIOS_PER_PAGE).get_page(request.GET.get("page"))
    ids = [candidate.pk for candidate in page]
    summaries = selectors.summaries_for_candidates(candidate_ids=ids)
    videos = media_selectors.video_counts_for_evaluators(candidate_ids=ids)
    files = media_selectors.evidence_counts_for_candidates(candidate_ids=ids)
    rows = [{"candidate": candidate, "summary": summaries.get(candidate.pk, ""),
             "videos": videos.get(candidate.pk, 0), "files": files.get(candidate.pk, 0)} for candidate in page]
    other_offices = [other for other in _evaluated_offices(request.user) if other.pk != office.pk]
    return render(request, "portfolios/office_portfolios.html", {
        "office": office, "page": page, "rows": rows, "other_offices": other_offices})


@require_GET
def office_portfolio(request, office_id, candidate_id):
    """Show one consenting candidate's portfolio to the office's focus group, and record the visit."""
    office = _evaluated_office_or_404(request.user, office_id)
    candidate = get_object_or_404(placement_selectors.candidates_with_ids(
        candidate_ids=selectors.consenting_candidate_ids([office.pk])), pk=candidate_id)
    portfolio_visit_record(candidate=candidate, office=office, viewer=request.user)
    candidate_data_view_record(viewer=request.user, candidates=candidate, what=CandidateDataView.What.PORTFOLIO,
                               url_name=request.resolver_match.view_name)
    return render(request, "portfolios/office_portfolio.html", {
        "office": office, "page": _portfolio_page(candidate),
        "back": reverse("portfolios:office_portfolios", kwargs={"office_id": office.pk})})
