"""Office staff write their office's question bank and practical tasks."""
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.audit import audit_event
from placement.models import LandOffice

from ..models import Choice, PracticalTask, Question
from ..selectors import question_choice_pairs
from .shared import (
    PracticeError,
    choices_checked,
    stored_file_save,
    stored_files_delete_on_commit,
    uploaded_file_checked,
)


def _choices_snapshot(choices) -> list[list]:
    return [[text, is_right] for text, is_right in choices]


def _next_position(model, office: LandOffice) -> int:
    highest = model.objects.filter(office=office).aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def question_create(*, office: LandOffice, category: str, text: str, explanation: str,
                    choices: list[tuple[str, bool]], is_published: bool = True, acting_user) -> Question:
    """Add a question with its choices to an office's bank; refuse one without a right answer."""
    choices = choices_checked(choices)
    with transaction.atomic():
        question = Question.objects.create(
            office=office, category=category, text=text.strip(), explanation=explanation.strip(),
            is_published=is_published, position=_next_position(Question, office),
        )
        Choice.objects.bulk_create([
            Choice(question=question, text=choice_text, is_correct=is_right, position=index)
            for index, (choice_text, is_right) in enumerate(choices)
        ])
        audit_event(question, "question.created", actor=acting_user, office=office.pk, category=category,
                    choices=_choices_snapshot(choices))
    return question


def question_update(*, question: Question, category: str, text: str, explanation: str,
                    choices: list[tuple[str, bool]], is_published: bool, acting_user) -> Question:
    """Change a question and replace its choices; record each changed field old → new."""
    choices = choices_checked(choices)
    new_values = {"category": category, "text": text.strip(), "explanation": explanation.strip(),
                  "is_published": is_published}
    changes = {field: [getattr(question, field), value] for field, value in new_values.items()
               if getattr(question, field) != value}
    old_choices = question_choice_pairs(question)
    if old_choices != choices:
        changes["choices"] = [_choices_snapshot(old_choices), _choices_snapshot(choices)]
    if not changes:
        return question
    with transaction.atomic():
        for field, value in new_values.items():
            setattr(question, field, value)
        question.save()
        if "choices" in changes:
            question.choices.all().delete()
            Choice.objects.bulk_create([
                Choice(question=question, text=choice_text, is_correct=is_right, position=index)
                for index, (choice_text, is_right) in enumerate(choices)
            ])
        audit_event(question, "question.updated", actor=acting_user, changes=changes)
    return question


def question_remove(*, question: Question, acting_user) -> None:
    """Remove a question; attempts already made keep what they showed."""
    with transaction.atomic():
        # Written while the row still has its id; the entry outlives the row.
        audit_event(question, "question.removed", actor=acting_user, office=question.office_id,
                    text=question.text, choices=_choices_snapshot(question_choice_pairs(question)))
        question.delete()


def _attachment_store(uploaded_file) -> dict:
    content_type, extension = uploaded_file_checked(uploaded_file)
    return {"attachment": stored_file_save(uploaded_file, folder="tasks", extension=extension),
            "attachment_name": (uploaded_file.name or "")[:255], "attachment_content_type": content_type}


def practical_task_create(*, office: LandOffice, category: str, title: str, instructions: str, good_answer: str,
                attachment=None, is_published: bool = True, acting_user) -> PracticalTask:
    """Add a practical task to an office, with an optional attachment checked by its content."""
    with transaction.atomic():
        stored = _attachment_store(attachment) if attachment else {}
        task = PracticalTask.objects.create(
            office=office, category=category, title=title.strip(), instructions=instructions.strip(),
            good_answer=good_answer.strip(), is_published=is_published,
            position=_next_position(PracticalTask, office), **stored,
        )
        audit_event(task, "practical_task.created", actor=acting_user, office=office.pk, title=task.title,
                    attachment=task.attachment_name)
    return task


def practical_task_update(*, task: PracticalTask, category: str, title: str, instructions: str, good_answer: str,
                is_published: bool, attachment=None, remove_attachment: bool = False,
                acting_user) -> PracticalTask:
    """Change a task; a new attachment replaces the old one, whose stored file goes after commit."""
    new_values = {"category": category, "title": title.strip(), "instructions": instructions.strip(),
                  "good_answer": good_answer.strip(), "is_published": is_published}
    with transaction.atomic():
        old_file = task.attachment.name
        if attachment:
            new_values.update(_attachment_store(attachment))
        elif remove_attachment and old_file:
            new_values.update(attachment="", attachment_name="", attachment_content_type="")
        changes = {field: [getattr(task, field), value] for field, value in new_values.items()
                   if field != "attachment" and getattr(task, field) != value}
        if not changes and "attachment" not in new_values:
            return task
        for field, value in new_values.items():
            setattr(task, field, value)
        task.save()
        if "attachment" in new_values and old_file:
            stored_files_delete_on_commit([old_file])
        if "attachment" in new_values:
            changes["attachment"] = [old_file, task.attachment.name]
        audit_event(task, "practical_task.updated", actor=acting_user, changes=changes)
    return task


def practical_task_remove_refusal(task: PracticalTask) -> str:
    """Return why a task cannot be removed, or "" when it can: a task candidates have answered stays."""
    if task.answers.exists():
        return _("Candidates have answered this task, so it cannot be removed. Unpublish it instead.")
    return ""


def practical_task_remove(*, task: PracticalTask, acting_user) -> None:
    """Remove a task and its attachment; a task candidates have answered stays, so their work is not lost."""
    if refusal := practical_task_remove_refusal(task):
        raise PracticeError(refusal)
    with transaction.atomic():
        audit_event(task, "practical_task.removed", actor=acting_user, office=task.office_id, title=task.title,
                    attachment=task.attachment_name)
        stored_files_delete_on_commit([task.attachment.name])
        task.delete()
