"""The back office's view of the audit history, and the read-only base every app's back office pages share."""
import json

from auditlog.admin import LogEntryAdmin
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import LogEntry, event_name, history_for

HISTORY_SHOWN = 50


def _value_shown(value) -> str:
    if value in (None, "", []):
        return "–"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else str(value)


def _entry_shown(entry) -> tuple:
    changes = "".join(
        f" · {field}: {_value_shown(values[0])} → {_value_shown(values[1])}"
        for field, values in (entry.changes or {}).items() if isinstance(values, list) and len(values) == 2
    )
    who = f"{entry.actor} ({entry.actor.email})" if entry.actor else entry.actor_email or _("System")
    return (reverse("admin:auditlog_logentry_change", args=[entry.pk]),
            timezone.localtime(entry.timestamp).strftime("%Y-%m-%d %H:%M:%S"), event_name(entry), who, changes)


class HistoryReadOnlyAdmin(admin.ModelAdmin):
    """Show rows without editing them, with their audit history: every change of state goes through the services."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + ["history"]

    @admin.display(description=gettext_lazy("History"))
    def history(self, obj):
        """List the row's audit history, newest first, each entry linked to its page in the audit log."""
        entries = list(history_for(obj)[:HISTORY_SHOWN]) if obj is not None and obj.pk else []
        if not entries:
            return "–"
        items = format_html_join("", '<li><a href="{}">{}</a> · <code>{}</code> · {}{}</li>',
                                 (_entry_shown(entry) for entry in entries))
        return format_html("<ul>{}</ul>", items)


class ReadOnlyInline(admin.TabularInline):
    """The rows of a ServiceOnlyAdmin page's children, shown but never added, changed or deleted here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ServiceOnlyAdmin(HistoryReadOnlyAdmin):
    """Rows the back office may read but never add or delete: the product's pages and services own every write."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        # With no page to add or delete a row, there is no URL that only ever refuses.
        return [pattern for pattern in super().get_urls() if not (pattern.name or "").endswith(("_add", "_delete"))]


class AuditLogEntryAdmin(LogEntryAdmin):
    """auditlog's own admin, fitted to this project's users and to a history nobody edits."""

    # The project's users have one name field and sign in by email; auditlog's defaults name first and last names.
    search_fields = ["object_repr", "actor__name", "actor__email", "actor_email"]

    def get_urls(self):
        # auditlog's admin refuses to add or delete entries anyway; leaving those URLs out means no page refuses.
        return [pattern for pattern in super().get_urls() if not (pattern.name or "").endswith(("_add", "_delete"))]


admin.site.unregister(LogEntry)
admin.site.register(LogEntry, AuditLogEntryAdmin)
