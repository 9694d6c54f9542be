"""Every model that points at a candidate is answered for by some app's personal-data contributor."""
from django.apps import apps

from core import registry
from placement.models import Candidate


def models_pointing_at_candidate() -> set[str]:
    """Return "app_label.ModelName" of every installed model with a foreign key or one-to-one to Candidate."""
    return {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is Candidate
    }


def uncovered(contributors) -> set[str]:
    covered = {label for contributor in contributors for label in contributor.models}
    return models_pointing_at_candidate() - covered


def test_every_model_with_a_foreign_key_to_candidate_has_a_contributor():
    """A new model holding candidate data fails here until its app exports and erases it (or says it keeps it)."""
    assert uncovered(registry.personal_data_contributors()) == set()


def test_a_forgotten_model_is_named():
    """Without media's contributor, the check names the video and evidence models."""
    contributors = [contributor for contributor in registry.personal_data_contributors()
                    if contributor.key != "media_pipeline"]
    assert uncovered(contributors) == {"media_pipeline.Video", "media_pipeline.EvidenceFile"}


def test_every_app_holding_candidate_data_contributes():
    """Placement, media, portfolios, practice, focus groups and privacy each export and erase their own part."""
    assert {contributor.key for contributor in registry.personal_data_contributors()} >= {
        "placement", "media_pipeline", "portfolios", "practice", "focusgroups", "privacy"}
