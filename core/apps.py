from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The site shell: home page, dashboard, navigation, the clock and the task queue seam."""

    name = "core"
    verbose_name = _("Site")
