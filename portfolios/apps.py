from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfoliosConfig(AppConfig):
    """Candidates' portfolios: described demonstration videos, evidence, and which offices may see them."""

    name = "portfolios"
    verbose_name = _("Candidate portfolios")

    def ready(self):
        from media_pipeline.access import consent_rule_register

        from .selectors import consenting_candidate_ids

        # Media decides what focus groups may watch by the consent this app records, without importing it.
        consent_rule_register(consenting_candidate_ids)
