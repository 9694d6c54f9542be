"""Back office pages for the question bank and what candidates submitted: read-only, the practice pages write."""
from django.contrib import admin

from core.admin import ReadOnlyInline, ServiceOnlyAdmin

from .models import Choice, PracticalTask, PracticeAttempt, Question, TaskAnswer, TaskAnswerFile


class ChoiceInline(ReadOnlyInline):
    model = Choice
    fields = ["position", "text", "is_correct"]


class TaskAnswerFileInline(ReadOnlyInline):
    model = TaskAnswerFile
    fields = ["original_name", "content_type", "size_bytes"]


@admin.register(Question)
class QuestionAdmin(ServiceOnlyAdmin):
    list_display = ["office", "category", "text", "is_published", "position"]
    list_filter = ["category", "is_published"]
    search_fields = ["text", "office__name", "office__code"]
    inlines = [ChoiceInline]


@admin.register(PracticalTask)
class PracticalTaskAdmin(ServiceOnlyAdmin):
    list_display = ["office", "category", "title", "is_published", "position"]
    list_filter = ["category", "is_published"]
    search_fields = ["title", "office__name", "office__code"]


@admin.register(PracticeAttempt)
class PracticeAttemptAdmin(ServiceOnlyAdmin):
    list_display = ["candidate", "office", "started_at", "submitted_at", "score", "question_count"]
    search_fields = ["candidate__name", "candidate__exam_number", "office__name"]


@admin.register(TaskAnswer)
class TaskAnswerAdmin(ServiceOnlyAdmin):
    list_display = ["candidate", "task", "submitted_at"]
    search_fields = ["candidate__name", "candidate__exam_number", "task__title"]
    inlines = [TaskAnswerFileInline]
