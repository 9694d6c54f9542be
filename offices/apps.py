from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    """Land offices' profiles: what the work is really like, published for candidates."""

    name = "offices"
    verbose_name = _("Office profiles")
