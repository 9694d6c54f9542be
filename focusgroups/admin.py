"""Back office pages for focus groups: read-only with their history, since the leader's pages make every change."""
from django.contrib import admin

from core.admin import ReadOnlyInline, ServiceOnlyAdmin

from .models import CandidateQuestion, Criterion, FocusGroup, Member, Outcome


class MemberInline(ReadOnlyInline):
    model = Member
    fields = ["email", "user", "added_at", "removed_at"]


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ["position", "name", "weight"]


class OutcomeInline(ReadOnlyInline):
    model = Outcome
    fields = ["candidate", "aggregate_score", "adjustment", "adjustment_reason", "final_score", "rank"]


@admin.register(FocusGroup)
class FocusGroupAdmin(ServiceOnlyAdmin):
    list_display = ["office", "cycle", "leader", "state", "finalised_at"]
    list_filter = ["state", "cycle"]
    search_fields = ["office__name", "office__code", "leader__email"]
    inlines = [MemberInline, CriterionInline, OutcomeInline]


@admin.register(CandidateQuestion)
class CandidateQuestionAdmin(ServiceOnlyAdmin):
    list_display = ["group", "candidate", "asked_by", "reply_due_at", "created_at"]
    search_fields = ["candidate__name", "candidate__exam_number", "text"]
