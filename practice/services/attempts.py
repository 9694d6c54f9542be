"""Candidates practise: an office's multiple-choice set, scored at once, and answers to practical tasks."""
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from core.audit import audit_event
from placement.models import Candidate, LandOffice
from placement.phases import submissions_open

from ..models import PracticalTask, PracticeAttempt, Question, TaskAnswer, TaskAnswerFile
from ..scoring import CHOICE_LETTERS, AnswerKey, score_answers
from ..selectors import attempt_questions
from .shared import PracticeError, stored_file_save, uploaded_file_checked

ANSWERS_CLOSED = gettext_lazy(
    "Answers are closed: the focus groups are reading what candidates submitted, so no new answer can be added."
)


def practice_attempt_start(*, candidate: Candidate, office: LandOffice, acting_user) -> PracticeAttempt:
    """Start an attempt at the questions an office publishes now; refuse when it publishes none."""
    question_ids = list(Question.objects.filter(office=office, is_published=True).order_by("position", "pk")
                        .values_list("pk", flat=True))
    if not question_ids:
        raise PracticeError(_("This office has no published questions yet."))
    with transaction.atomic():
        attempt = PracticeAttempt.objects.create(candidate=candidate, office=office, question_ids=question_ids,
                                                 started_at=clock.now())
        audit_event(attempt, "practice_attempt.started", actor=acting_user, candidate=candidate.pk,
                    office=office.pk)
    return attempt


def practice_attempt_submit(*, attempt: PracticeAttempt, chosen: dict[int, list[int]],
                            acting_user) -> PracticeAttempt:
    """Score the chosen choice ids per question id and keep what was asked, chosen and right."""
    if attempt.submitted_at is not None:
        raise PracticeError(_("This attempt is already submitted. Start a new one to practise again."))
    questions = attempt_questions(attempt=attempt)
    score = score_answers(
        [AnswerKey(question.pk, frozenset(c.pk for c in question.choices.all() if c.is_correct))
         for question in questions],
        chosen,
    )
    answers = []
    for question, result in zip(questions, score.results, strict=True):
        answers.append({
            "question": question.pk, "category": question.category, "text": question.text,
            "explanation": question.explanation, "is_right": result.is_right,
            "choices": [{"letter": letter, "text": choice.text, "is_correct": choice.is_correct,
                         "chosen": choice.pk in result.chosen_choice_ids}
                        for letter, choice in zip(CHOICE_LETTERS, question.choices.all(), strict=False)],
        })
    with transaction.atomic():
        attempt.submitted_at = clock.now()
        attempt.score, attempt.question_count, attempt.answers = score.right, score.total, answers
        attempt.save(update_fields=["submitted_at", "score", "question_count", "answers"])
        audit_event(attempt, "practice_attempt.submitted", actor=acting_user, score=score.right,
                    question_count=score.total)
    return attempt


def task_answer_submit(*, candidate: Candidate, task: PracticalTask, text: str, files, acting_user) -> TaskAnswer:
    """Keep a candidate's answer to a task with its files, each checked by its content; all files or none."""
    # Answers are read by the focus groups with the portfolio, so they close with the other submissions; taking the
    # multiple-choice sets stays open, since only the candidate sees those scores.
    if not submissions_open(candidate.cycle):
        raise PracticeError(str(ANSWERS_CLOSED))
    if not text.strip():
        raise PracticeError(_("Write your answer."))
    checked = [(uploaded_file, *uploaded_file_checked(uploaded_file)) for uploaded_file in files]
    with transaction.atomic():
        answer = TaskAnswer.objects.create(candidate=candidate, task=task, text=text.strip(),
                                           submitted_at=clock.now())
        TaskAnswerFile.objects.bulk_create([
            TaskAnswerFile(answer=answer, file=stored_file_save(uploaded_file, folder="answers", extension=extension),
                           original_name=(uploaded_file.name or "")[:255], content_type=content_type,
                           size_bytes=uploaded_file.size)
            for uploaded_file, content_type, extension in checked
        ])
        audit_event(answer, "task_answer.submitted", actor=acting_user, candidate=candidate.pk, task=task.pk,
                    files=[uploaded_file.name for uploaded_file, _type, _extension in checked])
    return answer
