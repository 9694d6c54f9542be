from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    """Each office's question bank and practical tasks, and candidates' practice."""

    name = "practice"
    verbose_name = _("Question bank and practice")
