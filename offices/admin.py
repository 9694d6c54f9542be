"""Back office pages for office profiles: read-only, since editing and publishing go through the profile pages."""
from django.contrib import admin

from core.admin import ServiceOnlyAdmin

from .models import OfficeInstrument, OfficeProfile, ResurveyProject


class ResurveyProjectInline(admin.TabularInline):
    model = ResurveyProject
    extra = 0
    can_delete = False
    readonly_fields = ["year", "area_hectares", "parcel_count"]

    def has_add_permission(self, request, obj=None):
        return False


class OfficeInstrumentInline(ResurveyProjectInline):
    model = OfficeInstrument
    readonly_fields = ["kind", "count", "note"]


@admin.register(OfficeProfile)
class OfficeProfileAdmin(ServiceOnlyAdmin):
    list_display = ["office", "status", "published_at", "updated_at"]
    list_filter = ["status", "office__county"]
    search_fields = ["office__code", "office__name"]
    inlines = [ResurveyProjectInline, OfficeInstrumentInline]
