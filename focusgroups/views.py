"""Thin views of the focus groups: the leader sets up and finalises, members score. Scope is in access.py."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.history_views import history_row
from media_pipeline import selectors as media_selectors
from placement import selectors as placement_selectors
from placement.models import CandidateDataView, LandOffice
from placement.services.access_log import candidate_data_view_record
from placement.tabular import FORMATS, write_table
from portfolios.selectors import consenting_candidate_ids, portfolio_page
from practice.selectors import task_answers_for_office

from . import access, selectors
from .forms import (
    SCORE_CHOICES,
    AdjustForm,
    CriterionFormSet,
    FinaliseForm,
    MemberAddForm,
    NoteForm,
    ReopenForm,
    RosterForm,
    SessionForm,
    SessionRecordForm,
    VersionForm,
)
from .models import FocusGroup, Member, Session, VideoNote
from .services import groups as group_services
from .services import outcome as outcome_services
from .services import ratings as rating_services
from .services.groups import CriterionInput
from .services.ratings import RatingInput
from .services.shared import FocusGroupError

RECORD_COLUMNS = ["rank", "exam_number", "name", "aggregate_score", "adjustment", "adjustment_reason", "final_score",
                  "raters", "missing", "disagreement"]


def _localised(criteria, request):
    """Give each criterion (or rating's criterion) its name and levels in the page's language, as `shown_*`."""
    for item in criteria:
        criterion = getattr(item, "criterion", item)
        criterion.shown_name = criterion.name_for(request.LANGUAGE_CODE)
        criterion.shown_levels = criterion.levels_for(request.LANGUAGE_CODE)
    return criteria


def _is_leader(user, group: FocusGroup) -> bool:
    return group.office_id in access.led_office_ids(user)


def _version(request) -> int | None:
    form = VersionForm(request.POST)
    return form.cleaned_data["version"] if form.is_valid() else None


def _back_to(request, group, name="focusgroups:group_detail", **kwargs):
    return redirect(name, pk=group.pk, **kwargs)


def _run(request, action, success: str) -> bool:
    """Call a service; on FocusGroupError show its message. Return whether it succeeded."""
    try:
        action()
    except FocusGroupError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


# ---- The groups a user works in ---------------------------------------------------------------------------------

@require_GET
def my_groups(request):
    """List the groups the user rates in and, for a leader, the offices whose group they can start."""
    cycle = placement_selectors.current_cycle()
    led = list(LandOffice.objects.filter(pk__in=access.led_office_ids(request.user)).order_by("sort_order", "name"))
    groups = list((access.groups_rated_by(request.user) | access.groups_led_by(request.user)).distinct()
                  .select_related("office", "cycle").order_by("-cycle__year", "office__name"))
    started = {(group.office_id, group.cycle_id) for group in groups}
    startable = [office for office in led if cycle is not None and (office.pk, cycle.pk) not in started]
    counts = selectors.roster_counts(group.pk for group in groups)
    rows = [{"group": group, "roster_size": counts.get(group.pk, 0)} for group in groups]
    return render(request, "focusgroups/my_groups.html", {"rows": rows, "startable": startable, "cycle": cycle})


@require_POST
def group_start(request, office_id):
    office = get_object_or_404(LandOffice.objects.filter(pk__in=access.led_office_ids(request.user)), pk=office_id)
    cycle = placement_selectors.current_cycle()
    if cycle is None:
        raise Http404
    try:
        group = group_services.focus_group_create(office=office, cycle=cycle, leader=request.user)
    except FocusGroupError as error:
        messages.error(request, str(error))
        return redirect("focusgroups:my_groups")
    messages.success(request, _("The focus group is started with the default rubric. Add members next."))
    return _back_to(request, group)


@require_GET
def group_detail(request, pk):
    group = access.group_get_for_member(request.user, pk)
    leader = _is_leader(request.user, group)
    return render(request, "focusgroups/group_detail.html", {
        "group": group, "is_leader": leader, "members": selectors.members_of(group),
        "criteria": selectors.criteria_of(group), "sessions": selectors.sessions_of(group),
        "roster": selectors.roster_of(group), "progress": selectors.progress_of(group) if leader else None,
        "version_form": VersionForm(initial={"version": group.version}),
    })


# ---- Members ----------------------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def members(request, pk):
    group = access.group_get_for_leader(request.user, pk)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = group_services.member_add(group=group, email=form.cleaned_data["email"],
                                               acting_user=request.user)
        except FocusGroupError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("%(email)s is added to the focus group.") % {"email": member.email}
                             if member.user_id else
                             _("An invitation is sent to %(email)s; they join the group when they accept it.")
                             % {"email": member.email})
            return redirect("focusgroups:members", pk=group.pk)
    progress = selectors.progress_of(group)
    return render(request, "focusgroups/members.html", {
        "group": group, "form": form, "members": selectors.members_of(group), "progress": progress,
    }, status=400 if form.errors else 200)


@require_POST
def member_remove(request, pk, member_id):
    group = access.group_get_for_leader(request.user, pk)
    member = get_object_or_404(Member.objects.filter(group=group), pk=member_id)
    _run(request, lambda: group_services.member_remove(group=group, member=member, acting_user=request.user),
         _("The member is removed from the focus group."))
    return redirect("focusgroups:members", pk=group.pk)


# ---- Rubric -----------------------------------------------------------------------------------------------------

def _rubric_initial(criteria):
    return [{"name": c.name, "name_en": c.name_en, "weight": c.weight,
             **{f"level_{level}": text for level, text in enumerate(c.levels, start=1)},
             **{f"level_en_{level}": text for level, text in enumerate(c.levels_en, start=1)}} for c in criteria]


@require_http_methods(["GET", "POST"])
def rubric(request, pk):
    """Show the rubric to the group; the leader edits it until scoring opens."""
    group = access.group_get_for_member(request.user, pk)
    leader = _is_leader(request.user, group)
    criteria = _localised(selectors.criteria_of(group), request)
    editable = leader and group.rubric_editable
    formset = None
    status = 200
    if editable:
        formset = CriterionFormSet(request.POST or None, initial=_rubric_initial(criteria), prefix="criteria")
    if request.method == "POST":
        if not editable:
            messages.error(request, _("Scoring has opened, so the rubric is locked: members are scoring against it."))
            return redirect("focusgroups:rubric", pk=group.pk)
        if formset.is_valid():
            items = [CriterionInput(name=data["name"], name_en=data.get("name_en", ""), weight=str(data["weight"]),
                                    levels=[data[f"level_{level}"] for level in range(1, 6)],
                                    levels_en=[data.get(f"level_en_{level}", "") for level in range(1, 6)])
                     for data in formset.cleaned_data if data and not data.get("DELETE")]
            try:
                group_services.rubric_replace(group=group, criteria=items, version=_version(request),
                                              acting_user=request.user)
            except FocusGroupError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The rubric is saved."))
                return redirect("focusgroups:rubric", pk=group.pk)
        status = 400
    return render(request, "focusgroups/rubric.html", {
        "group": group, "criteria": criteria, "formset": formset, "is_leader": leader,
        "version_form": VersionForm(initial={"version": group.version}),
    }, status=status)


# ---- Sessions ---------------------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def sessions(request, pk):
    group = access.group_get_for_member(request.user, pk)
    leader = _is_leader(request.user, group)
    form = SessionForm(request.POST or None) if leader else None
    if request.method == "POST":
        if not leader:
            raise Http404
        if form.is_valid():
            try:
                group_services.session_save(group=group, session=None, acting_user=request.user, **form.cleaned_data)
            except FocusGroupError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The session is scheduled."))
                return redirect("focusgroups:sessions", pk=group.pk)
    return render(request, "focusgroups/sessions.html", {
        "group": group, "sessions": selectors.sessions_of(group), "form": form, "is_leader": leader,
    }, status=400 if form is not None and form.errors else 200)


@require_http_methods(["GET", "POST"])
def session_edit(request, pk, session_id):
    """Change a session's time, link and agenda, or record its minutes and attendance."""
    group = access.group_get_for_leader(request.user, pk)
    session = get_object_or_404(Session.objects.filter(group=group), pk=session_id)
    members_list = selectors.members_of(group, active_only=False)
    is_record = request.POST.get("part") == "record"
    form = SessionForm(request.POST if request.method == "POST" and not is_record else None, initial={
        "starts_at": session.starts_at, "duration_minutes": session.duration_minutes,
        "meeting_url": session.meeting_url, "agenda": session.agenda})
    record_form = SessionRecordForm(request.POST if is_record else None, members=members_list, initial={
        "minutes": session.minutes, "attendees": [str(pk) for pk in session.attendees.values_list("pk", flat=True)]})
    if request.method == "POST":
        bound = record_form if is_record else form
        if bound.is_valid():
            try:
                if is_record:
                    group_services.session_record(
                        session=session, minutes=bound.cleaned_data["minutes"],
                        attendee_ids=[int(value) for value in bound.cleaned_data["attendees"]],
                        acting_user=request.user)
                else:
                    group_services.session_save(group=group, session=session, acting_user=request.user,
                                                **bound.cleaned_data)
            except FocusGroupError as error:
                bound.add_error(None, str(error))
            else:
                messages.success(request, _("The session is saved."))
                return redirect("focusgroups:sessions", pk=group.pk)
    return render(request, "focusgroups/session_edit.html", {
        "group": group, "session": session, "form": form, "record_form": record_form,
    }, status=400 if form.errors or record_form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def session_cancel(request, pk, session_id):
    """Ask whether to cancel a session, saying what goes with it (GET), then cancel it (POST from that page)."""
    group = access.group_get_for_leader(request.user, pk)
    session = get_object_or_404(Session.objects.filter(group=group), pk=session_id)
    if request.method != "POST":
        return render(request, "focusgroups/session_cancel_confirm.html", {"group": group, "session": session})
    _run(request, lambda: group_services.session_cancel(session=session, acting_user=request.user),
         _("The session is cancelled."))
    return redirect("focusgroups:sessions", pk=group.pk)


# ---- Roster and scoring state -----------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def roster(request, pk):
    """Choose the roster among the candidates who consent for the office."""
    group = access.group_get_for_leader(request.user, pk)
    consenting = list(placement_selectors.candidates_with_ids(
        candidate_ids=consenting_candidate_ids([group.office_id])).filter(cycle=group.cycle))
    current = [str(candidate.pk) for candidate in selectors.roster_of(group)]
    form = RosterForm(request.POST or None, candidates=consenting,
                      initial={"candidates": current, "version": group.version})
    if request.method == "POST" and form.is_valid():
        try:
            count = group_services.roster_fix(group=group, candidate_ids=[int(v) for v in form.cleaned_data[
                "candidates"]], version=form.cleaned_data["version"], acting_user=request.user)
        except FocusGroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The roster is fixed: %(count)s candidates.") % {"count": count})
            return _back_to(request, group)
    return render(request, "focusgroups/roster.html", {
        "group": group, "form": form, "consenting": consenting, "roster": selectors.roster_of(group),
    }, status=400 if form.errors else 200)


@require_POST
def scoring_open(request, pk):
    group = access.group_get_for_leader(request.user, pk)
    _run(request, lambda: group_services.scoring_open(group=group, version=_version(request),
                                                      acting_user=request.user),
         _("Scoring is open. The rubric and the roster are locked."))
    return _back_to(request, group)


@require_POST
def scoring_close(request, pk):
    group = access.group_get_for_leader(request.user, pk)
    _run(request, lambda: group_services.scoring_close(group=group, version=_version(request),
                                                       acting_user=request.user),
         _("Scoring is closed. The aggregate is ready on the results page."))
    return _back_to(request, group)


# ---- Scoring ----------------------------------------------------------------------------------------------------

@require_GET
def score_list(request, pk):
    group = access.group_get_for_member(request.user, pk)
    mine = selectors.my_submissions(group=group, user=request.user)
    rows = [{"candidate": candidate, "submitted": candidate.pk in mine} for candidate in selectors.roster_of(group)]
    return render(request, "focusgroups/score_list.html", {"group": group, "rows": rows,
                                                           "is_leader": _is_leader(request.user, group)})


def _score_page(request, group, candidate, *, status=200):
    candidate_data_view_record(viewer=request.user, candidates=candidate, what=CandidateDataView.What.SCORING,
                               url_name=request.resolver_match.view_name)
    view = selectors.ratings_for_member(group=group, candidate=candidate, user=request.user)
    criteria = _localised(selectors.criteria_of(group), request)
    videos = list(media_selectors.video_list_for_evaluators(candidate=candidate))
    page = portfolio_page(candidate=candidate, videos=videos,
                          evidence_files=media_selectors.evidence_list_for_candidate(candidate=candidate))
    rows = [{"criterion": criterion, "rating": view.own.get(criterion.pk),
             "others": [rating for rating in view.others if rating.criterion_id == criterion.pk]}
            for criterion in criteria]
    roster = selectors.roster_of(group)
    position = next((index for index, item in enumerate(roster) if item.pk == candidate.pk), 0)
    return render(request, "focusgroups/score_candidate.html", {
        "group": group, "candidate": candidate, "rows": rows, "view": view, "page": page, "videos": videos,
        "score_choices": SCORE_CHOICES, "editable": group.scoring_open and not view.submitted,
        "answers": task_answers_for_office(group.office, [candidate.pk]),
        "questions": selectors.questions_for_group(group=group, candidate=candidate),
        "previous": roster[position - 1] if position > 0 else None,
        "next": roster[position + 1] if position + 1 < len(roster) else None,
        "note_form": NoteForm(),
    }, status=status)


def _ratings_from_post(post, criteria) -> list[RatingInput]:
    items = []
    for criterion in criteria:
        prefix = f"c{criterion.pk}"
        if f"{prefix}-score" not in post and f"{prefix}-comment" not in post:
            continue
        raw = post.get(f"{prefix}-score", "").strip()
        version = post.get(f"{prefix}-version", "").strip()
        try:
            score = int(raw) if raw else None
            version_number = int(version) if version else None
        except ValueError as error:
            raise FocusGroupError(_("A score is a whole number from 1 to 5.")) from error
        items.append(RatingInput(criterion_id=criterion.pk, score=score, comment=post.get(f"{prefix}-comment", ""),
                                 version=version_number))
    return items


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_http_methods(["GET", "POST"])
def score_candidate(request, pk, candidate_id):
    """One candidate's videos, portfolio, answers and questions beside the rubric; posting saves drafts."""
    group = access.group_get_for_member(request.user, pk)
    candidate = access.roster_candidate_get(group, candidate_id)
    if request.method == "GET":
        return _score_page(request, group, candidate)
    try:
        items = _ratings_from_post(request.POST, selectors.criteria_of(group))
        saved = rating_services.ratings_save(group=group, candidate=candidate, rater=request.user, ratings=items)
    except FocusGroupError as error:
        if _wants_json(request):
            return JsonResponse({"error": str(error)}, status=409)
        messages.error(request, str(error))
        return _score_page(request, group, candidate, status=409)
    if _wants_json(request):
        return JsonResponse({"saved": {str(key): {"version": rating.version,
                                                  "saved_at": rating.updated_at.isoformat()}
                                       for key, rating in saved.items()}})
    messages.success(request, _("Your draft is saved."))
    return redirect("focusgroups:score_candidate", pk=group.pk, candidate_id=candidate.pk)


@require_POST
def score_submit(request, pk, candidate_id):
    group = access.group_get_for_member(request.user, pk)
    candidate = access.roster_candidate_get(group, candidate_id)
    try:
        items = _ratings_from_post(request.POST, selectors.criteria_of(group))
        if items:
            rating_services.ratings_save(group=group, candidate=candidate, rater=request.user, ratings=items)
        rating_services.submission_submit(group=group, candidate=candidate, rater=request.user)
    except FocusGroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your scores are submitted. You can now see the other members' scores."))
    return redirect("focusgroups:score_candidate", pk=group.pk, candidate_id=candidate.pk)


@require_POST
def note_add(request, pk, candidate_id):
    group = access.group_get_for_member(request.user, pk)
    candidate = access.roster_candidate_get(group, candidate_id)
    form = NoteForm(request.POST)
    error = None
    if form.is_valid():
        video = get_object_or_404(media_selectors.video_list_for_evaluators(candidate=candidate),
                                  pk=form.cleaned_data["video"])
        try:
            note = rating_services.video_note_add(group=group, candidate=candidate, video=video, rater=request.user,
                                                  at_seconds=form.cleaned_data["at_seconds"],
                                                  text=form.cleaned_data["text"])
        except FocusGroupError as problem:
            error = str(problem)
    else:
        error = " ".join(message for errors in form.errors.values() for message in errors)
    if _wants_json(request):
        if error:
            return JsonResponse({"error": error}, status=400)
        remove_url = reverse("focusgroups:note_remove", kwargs={"pk": group.pk, "note_id": note.pk})
        return JsonResponse({"id": note.pk, "at_seconds": note.at_seconds, "text": note.text, "video": video.pk,
                             "remove_url": remove_url})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The note is saved."))
    return redirect("focusgroups:score_candidate", pk=group.pk, candidate_id=candidate.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def note_remove(request, pk, note_id):
    """Ask whether to remove one of your notes (GET), then remove it (POST from that page)."""
    group = access.group_get_for_member(request.user, pk)
    note = get_object_or_404(VideoNote.objects.filter(group=group, rater=request.user).select_related("video"),
                             pk=note_id)
    if request.method != "POST":
        back = reverse("focusgroups:score_candidate", kwargs={"pk": group.pk, "candidate_id": note.candidate_id})
        return render(request, "focusgroups/note_remove_confirm.html", {
            "group": group, "note": note, "cancel": f"{back}#notes-{note.video_id}",
        })
    _run(request, lambda: rating_services.video_note_remove(note=note, rater=request.user), _("The note is removed."))
    return redirect("focusgroups:score_candidate", pk=group.pk, candidate_id=note.candidate_id)


# ---- Results, consensus and finalising (leader) -------------------------------------------------------------------

def _shown(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _results_context(group, request):
    """Return the aggregate table: one row per rostered candidate, best first, with its outcome."""
    result = selectors.aggregate_of(group)
    criteria = _localised(selectors.criteria_of(group), request)
    candidates = {candidate.pk: candidate for candidate in selectors.roster_of(group)}
    outcomes = selectors.outcomes_of(group)
    names = {criterion.pk: criterion.shown_name for criterion in criteria}
    # Figures are formatted here rather than by template filters: the page lists every rostered candidate.
    rows = [{"result": item, "candidate": candidates[item.candidate], "outcome": outcomes.get(item.candidate),
             "weighted": _shown(item.weighted), "standardised": _shown(item.standardised),
             "disagreements": [(names[key], item.spread.get(key, 0)) for key in item.disagreement],
             "disagreement_text": "、".join(f"{names[key]} ({item.spread.get(key, 0)})" for key in item.disagreement)}
            for item in result.candidates]
    return {"group": group, "result": result, "rows": rows, "criteria": criteria,
            "members": [member for member in selectors.members_of(group) if member.user_id],
            "progress": selectors.progress_of(group)}


def _results_visible(group, progress) -> bool:
    return group.state in (FocusGroup.State.CLOSED, FocusGroup.State.FINALISED) or (
        group.state == FocusGroup.State.SCORING and progress.complete)


@require_GET
def results(request, pk):
    """The aggregate, the disagreements and each rater's scores, once everyone submitted or scoring closed."""
    group = access.group_get_for_leader(request.user, pk)
    progress = selectors.progress_of(group)
    visible = _results_visible(group, progress)
    context = _results_context(group, request) if visible else {"group": group, "progress": progress}
    context["visible"] = visible
    return render(request, "focusgroups/results.html", context)


@require_GET
def result_detail(request, pk, candidate_id):
    """One candidate's aggregate with each rater's scores and comments, the adjustment form and reopening."""
    group = access.group_get_for_leader(request.user, pk)
    candidate = access.roster_candidate_get(group, candidate_id)
    progress = selectors.progress_of(group)
    if not _results_visible(group, progress):
        messages.info(request, _("The aggregate is ready once every member has submitted, or when you close "
                                 "scoring."))
        return redirect("focusgroups:results", pk=group.pk)
    candidate_data_view_record(viewer=request.user, candidates=candidate, what=CandidateDataView.What.SCORING,
                               url_name=request.resolver_match.view_name)
    result = selectors.aggregate_of(group).result_for(candidate.pk)
    criteria = _localised(selectors.criteria_of(group), request)
    by_rater = selectors.ratings_by_rater(group, candidate=candidate)
    members_list = [member for member in selectors.members_of(group) if member.user_id]
    raters = [{"member": member, "submitted": (member.user_id, candidate.pk) in by_rater,
               "scores": [by_rater.get((member.user_id, candidate.pk), {}).get(criterion.pk)
                          for criterion in criteria]} for member in members_list]
    return render(request, "focusgroups/result_detail.html", {
        "group": group, "candidate": candidate, "result": result, "criteria": criteria, "raters": raters,
        "criterion_rows": [{"criterion": criterion, "mean": result.by_criterion.get(criterion.pk),
                            "spread": result.spread.get(criterion.pk, 0),
                            "disagree": criterion.pk in result.disagreement} for criterion in criteria],
        "outcome": selectors.outcomes_of(group).get(candidate.pk),
        "comments": _localised(selectors.comments_for_candidate(group=group, candidate=candidate), request),
    })


@require_POST
def outcome_adjust(request, pk, candidate_id):
    group = access.group_get_for_leader(request.user, pk)
    candidate = access.roster_candidate_get(group, candidate_id)
    form = AdjustForm(request.POST)
    if form.is_valid():
        _run(request, lambda: outcome_services.outcome_adjust(
            group=group, candidate=candidate, adjustment=form.cleaned_data["adjustment"],
            reason=form.cleaned_data["reason"], version=form.cleaned_data["version"], acting_user=request.user),
            _("The adjustment is recorded."))
    return redirect("focusgroups:result_detail", pk=group.pk, candidate_id=candidate.pk)


@require_POST
def submission_reopen(request, pk, candidate_id):
    group = access.group_get_for_leader(request.user, pk)
    candidate = access.roster_candidate_get(group, candidate_id)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the scores are reopened; the reason is kept in the history."))
        return redirect("focusgroups:results", pk=group.pk)
    member = get_object_or_404(Member.objects.filter(group=group, user__isnull=False).select_related("user"),
                               user_id=form.cleaned_data["rater"])
    _run(request, lambda: rating_services.submission_reopen(group=group, candidate=candidate, rater=member.user,
                                                            reason=form.cleaned_data["reason"],
                                                            acting_user=request.user),
         _("The scores are reopened; the member can change them and submit again."))
    return redirect("focusgroups:result_detail", pk=group.pk, candidate_id=candidate.pk)


@require_http_methods(["GET", "POST"])
def finalise(request, pk):
    """Confirm on its own page what finalising does; missing scores need a reason."""
    group = access.group_get_for_leader(request.user, pk)
    form = FinaliseForm(request.POST or None, initial={"version": group.version})
    if request.method == "POST" and form.is_valid():
        try:
            outcome_services.focus_group_finalise(
                group=group, missing_scores_reason=form.cleaned_data["missing_scores_reason"],
                version=form.cleaned_data["version"], acting_user=request.user)
        except FocusGroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The focus group is finalised; its scores are the office's suitability "
                                        "scores for the placement."))
            return redirect("focusgroups:record", pk=group.pk)
    return render(request, "focusgroups/finalise.html", {
        "group": group, "form": form, "progress": selectors.progress_of(group)},
        status=400 if form.errors else 200)


@require_GET
def record(request, pk):
    """The leader's printable record: the final ranking with the agreement figures."""
    group = access.group_get_for_leader(request.user, pk)
    context = _results_context(group, request)
    context["sessions"] = selectors.sessions_of(group)
    return render(request, "focusgroups/record.html", context)


def _record_rows(context):
    for row in sorted(context["rows"], key=lambda row: (row["outcome"] is None or row["outcome"].rank is None,
                                                         row["outcome"].rank if row["outcome"] else 0)):
        outcome, result = row["outcome"], row["result"]
        yield [outcome.rank if outcome else "", row["candidate"].exam_number, row["candidate"].name,
               outcome.aggregate_score if outcome and outcome.aggregate_score is not None else
               (round(result.weighted, 3) if result.weighted is not None else ""),
               outcome.adjustment if outcome else 0, outcome.adjustment_reason if outcome else "",
               outcome.final_score if outcome and outcome.final_score is not None else "",
               result.raters, result.missing,
               "、".join(name for name, _spread in row["disagreements"])]


@require_GET
def record_export(request, pk, fmt):
    group = access.group_get_for_leader(request.user, pk)
    if fmt not in FORMATS:
        raise Http404
    context = _results_context(group, request)
    content, content_type = write_table(RECORD_COLUMNS, _record_rows(context), fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="focus-group-{group.office.code}-{group.cycle_id}.{fmt}"'
    return response


@require_GET
def group_history(request, pk):
    """Every change of the group's scores, notes, rubric, roster, sessions and finalisation: who, when, old → new."""
    group = access.group_get_for_leader(request.user, pk)
    page = Paginator(selectors.group_history(group), 50).get_page(request.GET.get("page"))
    return render(request, "focusgroups/history.html", {"group": group, "page": page,
                                                        "rows": [history_row(entry) for entry in page]})
