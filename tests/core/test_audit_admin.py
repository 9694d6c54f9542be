"""The back office lists and shows audit entries, searches them by person, and offers no way to edit them."""
import pytest
from django.urls import NoReverseMatch, reverse

from accounts.roles import Role
from core.audit import audit_event
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(make_user(superuser=True))
    return client


def test_superusers_list_search_and_open_entries(superuser_client, office):
    staff = make_user(Role.EXAM_STAFF, name="考選承辦")
    entry = audit_event(office, "land_office.renamed", actor=staff, changes={"name": ["舊", "新"]})

    listing = superuser_client.get(reverse("admin:auditlog_logentry_changelist"), {"q": "考選"})
    detail = superuser_client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))

    assert listing.status_code == 200 and office.name in listing.content.decode()
    assert detail.status_code == 200


@pytest.mark.parametrize("url_name", ["admin:auditlog_logentry_add", "admin:auditlog_logentry_delete"])
def test_the_history_has_no_page_to_add_or_delete_an_entry(url_name):
    with pytest.raises(NoReverseMatch):
        reverse(url_name, args=[] if url_name.endswith("add") else [1])
