from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Candidates' rights under the Personal Data Protection Act: a copy of their data, and its erasure."""

    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        # Registering the tasks here lets services queue them by name through core.queue without importing them.
        from . import tasks  # noqa: F401
