"""Scoped lookups: an id outside the user's scope answers 404, exactly like a missing one.

Office staff write the bank of the offices where they hold the office-staff role, and nothing of other offices.
A candidate practises with their record in the current cycle and sees only their own attempts and answers.
"""
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import Role
from accounts.scopes import offices_where_user_holds
from placement import selectors as placement_selectors
from placement.models import Candidate, LandOffice

from .models import PracticalTask, PracticeAttempt, Question, TaskAnswerFile


def staff_office_ids(user) -> frozenset[int]:
    return offices_where_user_holds(user, {Role.OFFICE_STAFF})


def staff_office_get(user, code: str) -> LandOffice:
    return get_object_or_404(LandOffice.objects.filter(pk__in=staff_office_ids(user)), code=code)


def staff_question_get(user, pk: int) -> Question:
    return get_object_or_404(Question.objects.filter(office__in=staff_office_ids(user))
                             .select_related("office").prefetch_related("choices"), pk=pk)


def staff_task_get(user, pk: int) -> PracticalTask:
    return get_object_or_404(PracticalTask.objects.filter(office__in=staff_office_ids(user))
                             .select_related("office"), pk=pk)


def candidacy_or_none(user) -> Candidate | None:
    """Return the user's record in the current cycle, the one they practise with."""
    return placement_selectors.current_candidacy(user) if Role.CANDIDATE in user.roles else None


def candidacy_get(user) -> Candidate:
    """Return the user's record in the current cycle; without one there is nothing to practise with (404)."""
    candidate = candidacy_or_none(user)
    if candidate is None:
        raise Http404
    return candidate


def office_get(code: str) -> LandOffice:
    return get_object_or_404(LandOffice, code=code)


def own_attempt_get(user, pk: int) -> PracticeAttempt:
    return get_object_or_404(PracticeAttempt.objects.filter(candidate__user=user).select_related("office"), pk=pk)


def published_task_get(pk: int) -> PracticalTask:
    return get_object_or_404(PracticalTask.objects.filter(is_published=True).select_related("office"), pk=pk)


def attachment_task_get(user, pk: int) -> PracticalTask:
    """Return a task whose attachment the user may download: any published one, or any of their office's."""
    tasks = PracticalTask.objects.filter(attachment__gt="")
    task = tasks.filter(pk=pk).first()
    if task is None or not (task.is_published or task.office_id in staff_office_ids(user)):
        raise Http404
    return task


def own_answer_file_get(user, pk: int) -> TaskAnswerFile:
    return get_object_or_404(TaskAnswerFile.objects.filter(answer__candidate__user=user), pk=pk)
