from django.contrib import admin

from core.admin import ServiceOnlyAdmin

from .models import (
    Candidate,
    ExamCycle,
    LandOffice,
    LateVacancy,
    PlaceResponse,
    PublicationEmail,
    SuitabilityScore,
    Vacancy,
)


@admin.register(LandOffice)
class LandOfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "county", "district"]
    list_filter = ["county"]
    search_fields = ["code", "name", "name_en", "district"]


@admin.register(ExamCycle)
class ExamCycleAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "is_current"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["exam_number", "name", "cycle", "exam_rank", "exam_score", "user"]
    list_filter = ["cycle"]
    search_fields = ["exam_number", "name", "email"]
    raw_id_fields = ["user"]


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["office", "cycle", "seats"]
    list_filter = ["cycle"]
    autocomplete_fields = ["office"]


# Runs, assignments and publications are not in the back office: they change only through the placement
# services, and never once published (the database refuses it). Answers to places, late vacancies and the result
# emails are shown read-only: the candidates, offices and examination staff change the first two on their pages, and
# the sending task alone writes the emails (an address that failed shows its last error here).


@admin.register(SuitabilityScore)
class SuitabilityScoreAdmin(admin.ModelAdmin):
    list_display = ["office", "candidate", "score", "source"]
    list_filter = ["source"]
    raw_id_fields = ["candidate", "office"]


@admin.register(PlaceResponse)
class PlaceResponseAdmin(ServiceOnlyAdmin):
    list_display = ["candidate", "office", "state", "responded_at", "decided_by"]
    list_filter = ["state", "cycle"]
    search_fields = ["candidate__name", "candidate__exam_number", "office__name"]


@admin.register(LateVacancy)
class LateVacancyAdmin(ServiceOnlyAdmin):
    list_display = ["office", "cycle", "seats", "state", "reported_at", "decided_by"]
    list_filter = ["state", "cycle"]
    search_fields = ["office__name", "office__code"]


@admin.register(PublicationEmail)
class PublicationEmailAdmin(ServiceOnlyAdmin):
    list_display = ["recipient", "publication", "sent_at", "attempts", "error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "publication__cycle"]
    search_fields = ["recipient"]
