from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.admin import HistoryReadOnlyAdmin

from .models import EvidenceFile, MediaLimits, Video
from .selectors import submissions_open_for_owner
from .services.evidence import evidence_remove
from .services.shared import MediaError
from .services.videos import video_remove


class ReadOnlyAdmin(HistoryReadOnlyAdmin):
    """Videos and evidence: read-only rows whose delete goes through the services, which also clean up files."""

    def add_view(self, request, form_url="", extra_context=None):
        messages.info(request, _("Videos and evidence files are added from the owner's video page."))
        return redirect(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_changelist")

    def has_delete_permission(self, request, obj=None):
        # The services refuse to remove what the focus groups are evaluating, so the back office offers no delete.
        candidate_id = getattr(obj, "candidate_id", None)
        if candidate_id and not submissions_open_for_owner(candidate=obj.candidate):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        # Removing through the service also deletes the stored files after commit.
        if self.model is Video:
            video_remove(video=obj, acting_user=request.user)
        elif self.model is EvidenceFile:
            evidence_remove(evidence=obj, acting_user=request.user)
        else:
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            try:
                self.delete_model(request, obj)
            except MediaError as error:
                # A bulk delete may include rows under evaluation; those stay, and the page says which and why.
                messages.error(request, f"{obj}: {error}")


@admin.register(Video)
class VideoAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "state", "candidate", "office", "created_at"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "youtube_id", "candidate__name", "office__name"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnlyAdmin):
    list_display = ["title", "candidate", "content_type", "size_bytes", "created_at"]


@admin.register(MediaLimits)
class MediaLimitsAdmin(admin.ModelAdmin):
    list_display = ["cycle", "max_upload_bytes", "max_duration_seconds"]
