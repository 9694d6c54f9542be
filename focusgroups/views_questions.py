"""Pages of the questions to candidates (回復用人機關) and of the candidate's own focus groups.

Members and the leader ask a rostered candidate and follow the thread; the candidate sees the groups that have
them on the roster, their sessions' times and agendas, and the questions to them, and replies. A candidate never
sees a score, a note, or another candidate. Scope is in access.py: an id outside it answers 404.
"""
from collections import defaultdict

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core import clock
from placement.phases import cycle_phase

from . import access, selectors
from .forms_questions import CandidateReplyForm, FollowUpForm, QuestionAskForm
from .models import CandidateQuestion, QuestionReply
from .services import questions as question_services
from .services.shared import GROUP_PHASES, FocusGroupError

# ---- Members and the leader -------------------------------------------------------------------------------------

def _member_page(request, *, group, candidate, questions, question=None, ask_form=None, follow_up_form=None,
                 status=200):
    return render(request, "focusgroups/question_thread.html", {
        "group": group, "candidate": candidate, "questions": questions, "question": question,
        "ask_form": ask_form or QuestionAskForm(), "follow_up_form": follow_up_form or FollowUpForm(),
        "for_candidate": False, "single_thread": question is not None,
    }, status=status)


@require_http_methods(["GET", "POST"])
def question_ask(request, pk, candidate_id):
    """Show the questions to one rostered candidate, and ask them another with a reply deadline."""
    group = access.group_get_for_member(request.user, pk)
    candidate = access.roster_candidate_get(group, candidate_id)
    form = QuestionAskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = question_services.question_ask(
                group=group, candidate=candidate, text=form.cleaned_data["text"],
                reply_due_at=form.cleaned_data["reply_due_at"], acting_user=request.user)
        except FocusGroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The question was sent; the candidate is told by email."))
            return redirect("focusgroups:question_thread", question_id=question.pk)
    return _member_page(request, group=group, candidate=candidate,
                        questions=selectors.questions_for_group(group=group, candidate=candidate),
                        ask_form=form if request.method == "POST" else None,
                        status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def question_thread(request, question_id):
    """Show one question's thread to the group, and let a member write a follow-up."""
    question = access.question_get_for_member(request.user, question_id)
    group = question.group
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question_services.question_reply(question=question, author=request.user,
                                             text=form.cleaned_data["text"])
        except FocusGroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The follow-up was sent; the candidate is told by email."))
            return redirect("focusgroups:question_thread", question_id=question.pk)
    questions = selectors.questions_for_group(group=group, candidate=question.candidate).filter(pk=question.pk)
    return _member_page(request, group=group, candidate=question.candidate, questions=questions, question=question,
                        follow_up_form=form if request.method == "POST" else None,
                        status=400 if request.method == "POST" else 200)


# ---- The candidate ----------------------------------------------------------------------------------------------

def _questions_to(candidates) -> dict[tuple[int, int], list]:
    """Return the questions to these candidacies with their threads, by (group id, candidate id), in one read."""
    questions = (CandidateQuestion.objects.filter(candidate__in=candidates).select_related("asked_by", "candidate")
                 .prefetch_related(Prefetch("replies", queryset=QuestionReply.objects.select_related("author", "video")
                                            .prefetch_related("evidence"))).order_by("created_at", "pk"))
    by_group: dict[tuple[int, int], list] = defaultdict(list)
    for question in questions:
        by_group[(question.group_id, question.candidate_id)].append(question)
    return by_group


@require_GET
def candidate_groups(request):
    """List the focus groups that have the candidate on their roster, their sessions, and the questions asked."""
    candidates = list(access.candidacies_of(request.user).select_related("cycle", "user")
                      .order_by("-cycle__year", "-pk"))
    questions = _questions_to(candidates)
    rows = [{"group": group, "candidate": candidate, "questions": questions.get((group.pk, candidate.pk), [])}
            for candidate in candidates for group in selectors.groups_for_candidate(candidate=candidate)]
    return render(request, "focusgroups/candidate_groups.html", {"rows": rows, "has_candidacy": bool(candidates)})


def _reply_open(question) -> bool:
    """Say whether the candidate may still reply: before the question's deadline, in a group that can change."""
    group = question.group
    return (clock.now() <= question.reply_due_at and not group.is_finalised
            and cycle_phase(group.cycle) in GROUP_PHASES)


@require_http_methods(["GET", "POST"])
def candidate_question(request, question_id):
    """Show the candidate one question to them, and take their reply: text, files and a YouTube link."""
    question = access.question_get_for_candidate(request.user, question_id)
    form = CandidateReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            question_services.question_reply(
                question=question, author=request.user, text=form.cleaned_data["text"],
                evidence_files=form.cleaned_data["files"], youtube_url=form.cleaned_data["youtube_url"])
        except FocusGroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your reply was sent to the focus group."))
            return redirect("focusgroups:candidate_question", question_id=question.pk)
    questions = selectors.questions_for_group(group=question.group, candidate=question.candidate).filter(
        pk=question.pk)
    return render(request, "focusgroups/question_thread.html", {
        "group": question.group, "candidate": question.candidate, "questions": questions, "question": question,
        "reply_form": form if request.method == "POST" else CandidateReplyForm(), "for_candidate": True,
        "single_thread": True, "reply_open": _reply_open(question),
    }, status=400 if request.method == "POST" else 200)
