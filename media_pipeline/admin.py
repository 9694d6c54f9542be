from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import services
from .models import EvidenceFile, MediaEvent, MediaLimits, Video


class ReadOnlyAdmin(admin.ModelAdmin):
    """Show rows without editing them: every change of state goes through the services, which also clean up files."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def add_view(self, request, form_url="", extra_context=None):
        messages.info(request, _("Videos and evidence files are added from the owner's video page."))
        return redirect(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_changelist")

    def delete_model(self, request, obj):
        # Removing through the service also deletes the stored files after commit.
        remove = {Video: services.video_remove, EvidenceFile: services.evidence_remove}.get(self.model)
        if remove is None:
            return super().delete_model(request, obj)
        key = "video" if self.model is Video else "evidence"
        remove(**{key: obj, "acting_user": request.user})

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Video)
class VideoAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "state", "candidate", "office", "created_at"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "youtube_id", "candidate__name", "office__name"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnlyAdmin):
    list_display = ["title", "candidate", "content_type", "size_bytes", "created_at"]


@admin.register(MediaEvent)
class MediaEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "video", "evidence", "actor"]
    list_filter = ["action"]


@admin.register(MediaLimits)
class MediaLimitsAdmin(admin.ModelAdmin):
    list_display = ["cycle", "max_upload_bytes", "max_duration_seconds"]
