"""Reads of the practice app, each with a fixed query shape."""
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from placement.models import Candidate, LandOffice

from .columns import CHOICE_COLUMNS
from .models import Category, PracticalTask, PracticeAttempt, Question, TaskAnswer
from .scoring import CHOICE_LETTERS


@dataclass(frozen=True)
class PracticeSetSummary:
    """What an office offers for practice: published questions per category and published tasks."""

    office: LandOffice
    questions_by_category: list[tuple[str, int]]  # (category label, count), in the categories' order
    question_count: int
    task_count: int


def practice_set_summary(office: LandOffice) -> PracticeSetSummary:
    """Return what an office publishes for practice, in two queries."""
    counts = dict(Question.objects.filter(office=office, is_published=True).values_list("category")
                  .annotate(count=Count("pk")).order_by())
    task_count = PracticalTask.objects.filter(office=office, is_published=True).count()
    return PracticeSetSummary(
        office=office,
        questions_by_category=[(label, counts[value]) for value, label in Category.choices if value in counts],
        question_count=sum(counts.values()), task_count=task_count,
    )


def offices_by_ids(office_ids) -> QuerySet[LandOffice]:
    return LandOffice.objects.filter(pk__in=office_ids).order_by("sort_order", "name")


def office_bank(*, office: LandOffice) -> tuple[list[Question], list[PracticalTask]]:
    """Return every question (choices loaded) and task of an office, published or not, in their order."""
    questions = list(Question.objects.filter(office=office).prefetch_related("choices").order_by("position", "pk"))
    tasks = list(PracticalTask.objects.filter(office=office).annotate(answer_count=Count("answers"))
                 .order_by("position", "pk"))
    return questions, tasks


def question_choice_pairs(question: Question) -> list[tuple[str, bool]]:
    """Return a question's (text, is right) choices in order, from its prefetched choices when loaded."""
    return [(choice.text, choice.is_correct) for choice in question.choices.all()]


def attempt_questions(*, attempt: PracticeAttempt) -> list[Question]:
    """Return the questions an attempt asks, in the order it fixed when it started, leaving out removed ones."""
    questions = Question.objects.filter(office=attempt.office_id, pk__in=attempt.question_ids).prefetch_related(
        "choices").in_bulk()
    return [questions[pk] for pk in attempt.question_ids if pk in questions]


def published_tasks(*, office: LandOffice) -> QuerySet[PracticalTask]:
    return PracticalTask.objects.filter(office=office, is_published=True).order_by("position", "pk")


def offices_with_practice() -> QuerySet[LandOffice]:
    """Return the offices that publish questions or tasks, with how many of each."""
    return (LandOffice.objects
            .annotate(question_count=Count("practice_questions", filter=Q(practice_questions__is_published=True),
                                           distinct=True),
                      task_count=Count("practical_tasks", filter=Q(practical_tasks__is_published=True),
                                       distinct=True))
            .filter(Q(question_count__gt=0) | Q(task_count__gt=0))
            .order_by("sort_order", "name"))


def attempts_for_candidate(*, candidate: Candidate, office: LandOffice | None = None) -> QuerySet[PracticeAttempt]:
    """Return a candidate's attempts, newest first, with their office loaded and without the kept answers."""
    attempts = PracticeAttempt.objects.filter(candidate=candidate).select_related("office").defer("answers")
    return attempts.filter(office=office) if office is not None else attempts


def task_answers_for_candidate(*, candidate: Candidate, task: PracticalTask) -> list[TaskAnswer]:
    """Return a candidate's answers to one task, newest first, with their files."""
    return list(TaskAnswer.objects.filter(candidate=candidate, task=task).prefetch_related("files"))


def task_answers_for_office(office: LandOffice, candidate_ids) -> list[TaskAnswer]:
    """Return the answers to an office's tasks by the given candidates only, with candidate, task and files.

    The caller decides which candidates' answers an office may read (those who consent to it), as a list of ids
    or a subquery of them; this function never widens that list.
    """
    return list(TaskAnswer.objects.filter(task__office=office, candidate_id__in=candidate_ids)
                .select_related("candidate", "task")
                .prefetch_related(Prefetch("files"))
                .order_by("candidate__exam_rank", "candidate_id", "task__position", "task_id", "-submitted_at"))


def question_bank_export_rows(*, office: LandOffice) -> list[list[str]]:
    """Return one row per question of an office in the import's shape (see practice/columns.py)."""
    rows = []
    for question in Question.objects.filter(office=office).prefetch_related("choices").order_by("position", "pk"):
        choices = list(question.choices.all())
        texts = [choice.text for choice in choices] + [""] * (len(CHOICE_COLUMNS) - len(choices))
        right = ",".join(letter for letter, choice in zip(CHOICE_LETTERS, choices, strict=False)
                         if choice.is_correct)
        rows.append([question.category, question.text, *texts, right, question.explanation])
    return rows
