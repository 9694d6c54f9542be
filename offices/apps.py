from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    """Land offices' profiles: what the work is really like, published for candidates."""

    name = "offices"
    verbose_name = _("Office profiles")

    def ready(self):
        from core.audit import audit_register

        # auditlog records each field's old → new value of every row by itself, whichever service wrote it;
        # the time of the last save is already the entry's own timestamp.
        audit_register(self.get_model("OfficeProfile"), exclude_fields=["updated_at"])
        audit_register(self.get_model("ResurveyProject"))
        audit_register(self.get_model("OfficeInstrument"))
