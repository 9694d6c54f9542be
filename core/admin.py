"""The back office's view of the audit history: read-only, with no page for adding or deleting an entry."""
from auditlog.admin import LogEntryAdmin
from django.contrib import admin

from .audit import LogEntry


class AuditLogEntryAdmin(LogEntryAdmin):
    """auditlog's own admin, fitted to this project's users and to a history nobody edits."""

    # The project's users have one name field and sign in by email; auditlog's defaults name first and last names.
    search_fields = ["object_repr", "actor__name", "actor__email", "actor_email"]

    def get_urls(self):
        # auditlog's admin refuses to add or delete entries anyway; leaving those URLs out means no page refuses.
        return [pattern for pattern in super().get_urls() if not (pattern.name or "").endswith(("_add", "_delete"))]


admin.site.unregister(LogEntry)
admin.site.register(LogEntry, AuditLogEntryAdmin)
