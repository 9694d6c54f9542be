from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementConfig(AppConfig):
    name = "placement"
    verbose_name = _("Placement")

    def ready(self):
        from accounts.signals import invitation_accepted
        from core.audit import audit_register

        # Registering the tasks here lets services queue them by name through core.queue without importing them.
        from . import (
            receivers,
            tasks,  # noqa: F401
        )

        # Accounts announces an accepted invitation rather than importing placement to link the exam record.
        # Rows changed one at a time get their old → new values recorded by auditlog itself.
        audit_register(self.get_model("Vacancy"))
        audit_register(self.get_model("SuitabilityScore"))
        invitation_accepted.connect(
            receivers.candidate_link_on_invitation_accepted, dispatch_uid="placement.candidate_link"
        )
