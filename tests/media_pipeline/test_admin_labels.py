"""Every model and field of every app of ours has a translatable label.

The admin builds its column headings and form labels from these: a field without one shows its name in English
capitals ("SIZE BYTES") on the Traditional Chinese site.
"""
import pytest
from django.apps import apps
from django.utils.functional import Promise

APPS = ("media_pipeline", "portfolios", "practice", "offices", "focusgroups", "placement", "accounts")


def _models():
    for label in APPS:
        yield from apps.get_app_config(label).get_models()


def _concrete_fields():
    for model in _models():
        for field in [*model._meta.concrete_fields, *model._meta.local_many_to_many]:
            # The automatic primary key ("ID") is Django's own and reads the same in both languages.
            if field.auto_created:
                continue
            yield model, field


@pytest.mark.parametrize(("model", "field"), list(_concrete_fields()),
                         ids=lambda value: getattr(value, "__name__", getattr(value, "name", str(value))))
def test_each_field_has_a_translatable_label(model, field):
    assert isinstance(field.verbose_name, Promise), (
        f"{model._meta.label}.{field.name} has no gettext_lazy verbose_name (it shows {field.verbose_name!r})"
    )


@pytest.mark.parametrize("model", list(_models()), ids=lambda model: model._meta.label)
def test_each_model_names_itself_in_both_forms(model):
    options = model._meta.original_attrs
    assert isinstance(options.get("verbose_name"), Promise), f"{model._meta.label} has no Meta.verbose_name"
    assert isinstance(options.get("verbose_name_plural"), Promise), (
        f"{model._meta.label} has no Meta.verbose_name_plural"
    )



@pytest.mark.django_db
def test_the_back_office_names_itself_in_traditional_chinese(client):
    from tests.factories import make_user

    client.force_login(make_user(superuser=True))
    body = client.get("/admin/").content.decode()
    assert "SurveyPlace back office" not in body and "測量職系分發平台" in body
