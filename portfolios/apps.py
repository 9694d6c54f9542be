from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfoliosConfig(AppConfig):
    """Candidates' portfolios: described demonstration videos, evidence, and which offices may see them."""

    name = "portfolios"
    verbose_name = _("Candidate portfolios")
