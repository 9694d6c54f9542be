"""Scoped lookups: an id outside the user's scope answers 404, exactly like a missing one.

Office staff write the bank of the offices where they hold the office-staff role, and nothing of other offices.
A candidate practises with their record in the current cycle and sees only their own attempts and answers.
An office's focus group (leader and members) reads the task answers of the candidates who consent to that office,
as portfolios.selectors decides.
"""
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import Role
from accounts.scopes import offices_where_user_holds
from placement import selectors as placement_selectors
from placement.models import Candidate, LandOffice
from portfolios.selectors import consenting_candidate_ids

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
    task = get_object_or_404(PracticalTask.objects.exclude(attachment=""), pk=pk)
    if not (task.is_published or task.office_id in staff_office_ids(user)):
        raise Http404
    return task


# The focus group of an office reads its candidates' task answers, as it reads their portfolios.
FOCUS_GROUP_ROLES = frozenset({Role.FOCUS_GROUP_LEADER, Role.FOCUS_GROUP_MEMBER})


def focus_group_office_ids(user) -> frozenset[int]:
    return offices_where_user_holds(user, FOCUS_GROUP_ROLES)


def focus_group_office_get(user, code: str) -> LandOffice:
    return get_object_or_404(LandOffice.objects.filter(pk__in=focus_group_office_ids(user)), code=code)


def answer_file_get(user, pk: int) -> TaskAnswerFile:
    """Return a task answer's file to the candidate who gave it, or to a focus group they consent to."""
    item = get_object_or_404(TaskAnswerFile.objects.select_related("answer__candidate", "answer__task"), pk=pk)
    answer = item.answer
    if Role.CANDIDATE in user.roles and answer.candidate.user_id == user.pk:
        return item
    office_id = answer.task.office_id
    if office_id in focus_group_office_ids(user) and TaskAnswerFile.objects.filter(
            pk=item.pk, answer__candidate_id__in=consenting_candidate_ids([office_id])).exists():
        return item
    raise Http404
