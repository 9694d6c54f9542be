"""Thin views of the question bank (office staff), the practice zone (candidates) and the focus group's reading."""
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from placement.forms import ImportForm
from placement.models import CandidateDataView
from placement.phases import submissions_open
from placement.services.access_log import candidate_data_view_record
from placement.tabular import FORMATS, TableError, write_table
from portfolios.selectors import consenting_candidate_ids

from . import access, selectors
from .columns import BANK_COLUMNS
from .forms import AttemptForm, QuestionForm, TaskAnswerForm, TaskForm
from .models import Category
from .services import attempts, bank
from .services.imports import question_bank_import
from .services.shared import PracticeError

# ---- Office staff: the question bank ----------------------------------------------------------------------------

def question_bank(request):
    """Send office staff to the bank of the (first) office they work at."""
    office = selectors.offices_by_ids(access.staff_office_ids(request.user)).first()
    if office is None:
        raise Http404
    return redirect("practice:office_bank", code=office.code)


def office_bank(request, code):
    office = access.staff_office_get(request.user, code)
    questions, tasks = selectors.office_bank(office=office)
    return render(request, "practice/office_bank.html", {"office": office, "questions": questions, "tasks": tasks})


def question_add(request, code):
    office = access.staff_office_get(request.user, code)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bank.question_create(office=office, acting_user=request.user, **_question_values(form))
        except PracticeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The question is saved."))
            return redirect("practice:office_bank", code=office.code)
    return _question_page(request, office, form, question=None)


def question_edit(request, pk):
    question = access.staff_question_get(request.user, pk)
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                bank.question_update(question=question, acting_user=request.user, **_question_values(form))
            except PracticeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The question is saved."))
                return redirect("practice:office_bank", code=question.office.code)
    else:
        form = QuestionForm(initial=QuestionForm.initial_for(question, selectors.question_choice_pairs(question)))
    return _question_page(request, question.office, form, question=question)


def _question_values(form: QuestionForm) -> dict:
    data = form.cleaned_data
    return {"category": data["category"], "text": data["text"], "explanation": data["explanation"],
            "is_published": data["is_published"], "choices": form.choices()}


def _question_page(request, office, form, *, question):
    return render(request, "practice/question_form.html", {"office": office, "form": form, "question": question},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def question_remove(request, pk):
    """Ask whether to remove a question, saying what goes with it (GET), then remove it (POST from that page)."""
    question = access.staff_question_get(request.user, pk)
    if request.method != "POST":
        return render(request, "practice/question_remove_confirm.html", {
            "question": question, "office": question.office, "choice_count": question.choices.count(),
        })
    bank.question_remove(question=question, acting_user=request.user)
    messages.success(request, _("The question was removed."))
    return redirect("practice:office_bank", code=question.office.code)


def task_add(request, code):
    office = access.staff_office_get(request.user, code)
    form = TaskForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            bank.practical_task_create(office=office, acting_user=request.user, **_task_values(form))
        except PracticeError as error:
            form.add_error("attachment", str(error))
        else:
            messages.success(request, _("The task is saved."))
            return redirect("practice:office_bank", code=office.code)
    return _task_page(request, office, form, task=None)


def task_edit(request, pk):
    task = access.staff_task_get(request.user, pk)
    has_attachment = bool(task.attachment)
    if request.method == "POST":
        form = TaskForm(request.POST, request.FILES, has_attachment=has_attachment)
        if form.is_valid():
            try:
                bank.practical_task_update(task=task, acting_user=request.user,
                                 remove_attachment=form.cleaned_data.get("remove_attachment", False),
                                 **_task_values(form))
            except PracticeError as error:
                form.add_error("attachment", str(error))
            else:
                messages.success(request, _("The task is saved."))
                return redirect("practice:office_bank", code=task.office.code)
    else:
        form = TaskForm(has_attachment=has_attachment, initial={
            field: getattr(task, field) for field in ("category", "title", "instructions", "good_answer",
                                                      "is_published")})
    return _task_page(request, task.office, form, task=task)


def _task_values(form: TaskForm) -> dict:
    data = form.cleaned_data
    return {field: data[field] for field in ("category", "title", "instructions", "good_answer", "attachment",
                                             "is_published")}


def _task_page(request, office, form, *, task):
    return render(request, "practice/task_form.html", {"office": office, "form": form, "task": task},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def task_remove(request, pk):
    """Ask whether to remove a practical task, saying what goes with it (GET), then remove it (POST from that page)."""
    task = access.staff_task_get(request.user, pk)
    if request.method != "POST":
        if refusal := bank.practical_task_remove_refusal(task):
            messages.error(request, refusal)
            return redirect("practice:office_bank", code=task.office.code)
        return render(request, "practice/task_remove_confirm.html", {"task": task, "office": task.office})
    try:
        bank.practical_task_remove(task=task, acting_user=request.user)
    except PracticeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The task was removed."))
    return redirect("practice:office_bank", code=task.office.code)


def bank_import(request, code):
    """Import questions from CSV or XLSX; every row is checked first, then all rows or none."""
    office = access.staff_office_get(request.user, code)
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = question_bank_import(office=office, content=upload.read(), filename=upload.name,
                                          acting_user=request.user)
        except TableError as error:
            row_errors = error.errors
            messages.error(request, ngettext(
                "Nothing was imported: the file has %(n)s problem. Correct it and upload the file again.",
                "Nothing was imported: the file has %(n)s problems. Correct them and upload the file again.",
                len(row_errors)) % {"n": len(row_errors)})
        else:
            messages.success(request, _("Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.")
                             % vars(report))
            return redirect("practice:office_bank", code=office.code)
    return render(request, "practice/bank_import.html", {
        "office": office, "form": form, "row_errors": row_errors, "columns": BANK_COLUMNS,
    }, status=400 if row_errors or form.errors else 200)


def bank_export(request, code):
    """Download the office's questions as CSV or XLSX, in the shape the import reads."""
    office = access.staff_office_get(request.user, code)
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404
    content, content_type = write_table(BANK_COLUMNS, selectors.question_bank_export_rows(office=office), fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="questions-{office.code}.{fmt}"'
    return response


def task_attachment(request, pk):
    task = access.attachment_task_get(request.user, pk)
    return _download(task.attachment.name, task.attachment_content_type, task.attachment_name)


def _download(name: str, content_type: str, filename: str):
    # Every file downloads rather than opens inline, so a crafted document never runs in the site's origin.
    if not name or not default_storage.exists(name):
        raise Http404
    return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=filename,
                        content_type=content_type)


# ---- The focus group: task answers of the candidates who consent --------------------------------------------

def task_answers(request):
    """Send a focus group's leader or member to the task answers of the (first) office they serve."""
    office = selectors.offices_by_ids(access.focus_group_office_ids(request.user)).first()
    if office is None:
        raise Http404
    return redirect("practice:office_task_answers", code=office.code)


def office_task_answers(request, code):
    """List the answers to an office's tasks by the candidates who let its focus group see their portfolio."""
    office = access.focus_group_office_get(request.user, code)
    answers = selectors.task_answers_for_office(office, consenting_candidate_ids([office.pk]))
    # The page shows each listed candidate's full answers, so each one's access log shows the visit.
    candidate_data_view_record(viewer=request.user, candidates={answer.candidate for answer in answers},
                               what=CandidateDataView.What.TASK_ANSWER, url_name="practice:office_task_answers")
    return render(request, "practice/office_task_answers.html", {"office": office, "answers": answers})


# ---- Candidates: the practice zone ----------------------------------------------------------------------------

def my_practice(request):
    """List the offices a candidate can practise with, and the candidate's attempts."""
    candidate = access.candidacy_or_none(request.user)
    if candidate is None:
        return render(request, "practice/my_practice.html", {"candidate": None})
    return render(request, "practice/my_practice.html", {
        "candidate": candidate, "offices": selectors.offices_with_practice(),
        "attempts": selectors.attempts_for_candidate(candidate=candidate),
    })


def office_practice(request, code):
    """Show an office's set and tasks; posting starts a new attempt at the set."""
    candidate = access.candidacy_get(request.user)
    office = access.office_get(code)
    if request.method == "POST":
        try:
            attempt = attempts.practice_attempt_start(candidate=candidate, office=office, acting_user=request.user)
        except PracticeError as error:
            messages.error(request, str(error))
            return redirect("practice:office_practice", code=office.code)
        return redirect("practice:attempt_detail", pk=attempt.pk)
    return render(request, "practice/office_practice.html", {
        "office": office, "summary": selectors.practice_set_summary(office),
        "tasks": selectors.published_tasks(office=office),
        "attempts": selectors.attempts_for_candidate(candidate=candidate, office=office),
    })


def attempt_detail(request, pk):
    """Show the questions of an open attempt, or, once submitted, its score with every explanation."""
    attempt = access.own_attempt_get(request.user, pk)
    if attempt.submitted_at is not None:
        labels = dict(Category.choices)
        return render(request, "practice/attempt_result.html", {"attempt": attempt, "answers": [
            {**answer, "category_label": labels.get(answer["category"], "")} for answer in attempt.answers]})
    form = AttemptForm(request.POST or None, questions=selectors.attempt_questions(attempt=attempt))
    if request.method == "POST" and form.is_valid():
        try:
            attempts.practice_attempt_submit(attempt=attempt, chosen=form.chosen(), acting_user=request.user)
        except PracticeError as error:
            messages.error(request, str(error))
        return redirect("practice:attempt_detail", pk=attempt.pk)
    return render(request, "practice/attempt_form.html", {"attempt": attempt, "form": form})


def task_detail(request, pk):
    """Show a published task to a candidate, with their answers to it; posting adds an answer."""
    candidate = access.candidacy_get(request.user)
    task = access.published_task_get(pk)
    form = TaskAnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attempts.task_answer_submit(candidate=candidate, task=task, text=form.cleaned_data["text"],
                                        files=form.cleaned_data["files"], acting_user=request.user)
        except PracticeError as error:
            form.add_error("files", str(error))
        else:
            messages.success(request, _("Your answer is saved."))
            return redirect("practice:task_detail", pk=task.pk)
    return render(request, "practice/task_detail.html", {
        "task": task, "form": form, "answers_open": submissions_open(candidate.cycle),
        "answers": selectors.task_answers_for_candidate(candidate=candidate, task=task),
    }, status=400 if form.errors else 200)


def answer_file(request, pk):
    item = access.answer_file_get(request.user, pk)
    candidate_data_view_record(viewer=request.user, candidates=item.answer.candidate,
                               what=CandidateDataView.What.TASK_ANSWER, url_name="practice:answer_file")
    return _download(item.file.name, item.content_type, item.original_name)
