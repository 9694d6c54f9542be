"""Back office pages for portfolios and consent: read-only, since only the candidate changes them."""
from django.contrib import admin

from core.admin import ReadOnlyInline, ServiceOnlyAdmin

from .models import Portfolio, PortfolioConsent, ProcedureStep, VideoDescription


class ProcedureStepInline(ReadOnlyInline):
    model = ProcedureStep
    fields = ["position", "text", "at_seconds"]


@admin.register(Portfolio)
class PortfolioAdmin(ServiceOnlyAdmin):
    list_display = ["candidate", "consent_chosen_at", "updated_at"]
    search_fields = ["candidate__name", "candidate__exam_number"]


@admin.register(VideoDescription)
class VideoDescriptionAdmin(ServiceOnlyAdmin):
    list_display = ["video", "terrain", "instrument_make", "instrument_model", "updated_at"]
    list_filter = ["terrain"]
    inlines = [ProcedureStepInline]


@admin.register(PortfolioConsent)
class PortfolioConsentAdmin(ServiceOnlyAdmin):
    list_display = ["candidate", "office", "granted_at", "withdrawn_at"]
    search_fields = ["candidate__name", "candidate__exam_number", "office__name"]
