from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The site shell: home page, dashboard, navigation, the clock and the task queue seam."""

    name = "core"
    verbose_name = _("Site")

    def ready(self):
        # Every app's models are loaded before any ready() runs, so each app's site module may import its
        # selectors; merging here means the access table is complete before the first request.
        from . import checks, registry  # noqa: F401 - importing the checks registers them.

        registry.discover()
