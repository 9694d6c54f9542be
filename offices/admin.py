"""Back office pages for office profiles: read-only, since editing and publishing go through the profile pages."""
from django.contrib import admin

from core.admin import ReadOnlyInline, ServiceOnlyAdmin

from .models import OfficeInstrument, OfficeProfile, ResurveyProject


class ResurveyProjectInline(ReadOnlyInline):
    model = ResurveyProject
    fields = ["year", "area_hectares", "parcel_count"]


class OfficeInstrumentInline(ReadOnlyInline):
    model = OfficeInstrument
    fields = ["kind", "count", "note"]


@admin.register(OfficeProfile)
class OfficeProfileAdmin(ServiceOnlyAdmin):
    list_display = ["office", "status", "published_at", "updated_at"]
    list_filter = ["status", "office__county"]
    search_fields = ["office__code", "office__name"]
    inlines = [ResurveyProjectInline, OfficeInstrumentInline]
