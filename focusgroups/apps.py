from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocusGroupsConfig(AppConfig):
    name = "focusgroups"
    verbose_name = _("Focus groups")
