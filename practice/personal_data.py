"""What the practice app holds about a candidate, for the privacy app: their attempts and task answers.

Erasing deletes all of it, with the answers' files: practice never counts towards the placement.
"""
import posixpath

from core.registry import PersonalData, StoredFile

from .models import PracticeAttempt, TaskAnswer, TaskAnswerFile


def candidate_export(candidate) -> PersonalData:
    """Return the candidate's practice attempts and task answers, and the files attached to the answers."""
    attempts = PracticeAttempt.objects.filter(candidate=candidate).select_related("office").order_by("pk")
    answers = (TaskAnswer.objects.filter(candidate=candidate).select_related("task__office")
               .prefetch_related("files").order_by("pk"))
    files = []
    answer_data = []
    for answer in answers:
        answer_files = []
        for item in answer.files.all():
            path = f"practice/{answer.pk}-{item.pk}{posixpath.splitext(item.file.name)[1]}"
            files.append(StoredFile(item.file.name, path))
            answer_files.append({"original_name": item.original_name, "content_type": item.content_type,
                                 "size_bytes": item.size_bytes, "in_archive": path})
        answer_data.append({"office": answer.task.office.name, "task": answer.task.title, "text": answer.text,
                            "submitted_at": answer.submitted_at, "files": answer_files})
    return PersonalData(data={
        "attempts": [{"office": attempt.office.name, "started_at": attempt.started_at,
                      "submitted_at": attempt.submitted_at, "score": attempt.score,
                      "question_count": attempt.question_count, "answers": attempt.answers}
                     for attempt in attempts],
        "task_answers": answer_data,
    }, files=tuple(files))


def candidate_erase(candidate) -> list[str]:
    """Delete the candidate's attempts and answers and return the answers' stored files' names."""
    names = list(TaskAnswerFile.objects.filter(answer__candidate=candidate).values_list("file", flat=True))
    TaskAnswer.objects.filter(candidate=candidate).delete()
    PracticeAttempt.objects.filter(candidate=candidate).delete()
    return names
