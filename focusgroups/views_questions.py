"""Pages of the questions to candidates (回復用人機關) and of the candidate's own focus groups.

Members and the leader ask a rostered candidate and follow the thread; the candidate sees the groups that have
them on the roster, their sessions' times and agendas, and the questions to them, and replies. A candidate never
sees a score, a note, or another candidate. Scope is in access.py: an id outside it answers 404.
"""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import access, selectors
from .forms_questions import CandidateReplyForm, FollowUpForm, QuestionAskForm
from .services import questions as question_services
from .services.shared import FocusGroupError

# ---- Members and the leader -------------------------------------------------------------------------------------

def _member_page(request, *, group, candidate, questions, question=None, ask_form=None, follow_up_form=None,
                 status=200):
    return render(request, "focusgroups/question_thread.html", {
        "group": group, "candidate": candidate, "questions": questions, "question": question,
        "ask_form": ask_form or QuestionAskForm(), "follow_up_form": follow_up_form or FollowUpForm(),
        "for_candidate": False,
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

@require_GET
def candidate_groups(request):
    """List the focus groups that have the candidate on their roster, their sessions, and the questions asked."""
    rows = []
    for candidate in access.candidacies_of(request.user).select_related("cycle").order_by("-cycle__year", "-pk"):
        for group in selectors.groups_for_candidate(candidate=candidate):
            rows.append({"group": group, "candidate": candidate,
                         "questions": selectors.questions_for_group(group=group, candidate=candidate)})
    return render(request, "focusgroups/candidate_groups.html", {
        "rows": rows, "has_candidacy": access.candidacies_of(request.user).exists()})


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
    }, status=400 if request.method == "POST" else 200)
