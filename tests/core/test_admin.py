"""The back office opens every registered model's list and rows on the demo data, and offers no add or delete where
the product's services own the writes."""
import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from core.admin import ServiceOnlyAdmin
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_every_back_office_list_search_and_first_row_opens_on_the_demo_data(client):
    """A list, a search (which checks the search fields exist) and the first row's page answer 200 for each model."""
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(make_user(superuser=True))
    opened = set()
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        assert client.get(changelist).status_code == 200, changelist
        if model_admin.search_fields:
            assert client.get(changelist, {"q": "新"}).status_code == 200, changelist
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            page = reverse("admin:{}_{}_change".format(*info), args=[first.pk])
            assert client.get(page).status_code == 200, page
            opened.add(model._meta.label_lower)
    # The demo fills the new apps' models, so their row pages are really opened, not skipped.
    assert {"offices.officeprofile", "practice.question", "practice.practicaltask", "portfolios.portfolio",
            "portfolios.videodescription", "portfolios.portfolioconsent", "media_pipeline.video",
            "focusgroups.focusgroup", "focusgroups.candidatequestion"} <= opened


@pytest.mark.parametrize("app_label", ["offices", "practice", "portfolios", "focusgroups"])
def test_the_apps_whose_pages_write_offer_no_add_or_delete_in_the_back_office(client, app_label):
    client.force_login(make_user(superuser=True))
    registered = [(model, model_admin) for model, model_admin in admin.site._registry.items()
                  if model._meta.app_label == app_label]
    assert registered
    for model, model_admin in registered:
        assert isinstance(model_admin, ServiceOnlyAdmin)
        for action in ("add", "delete"):
            with pytest.raises(NoReverseMatch):
                reverse(f"admin:{app_label}_{model._meta.model_name}_{action}", args=[] if action == "add" else [1])
        assert not model_admin.has_add_permission(None) and not model_admin.has_delete_permission(None)
