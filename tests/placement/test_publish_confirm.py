"""Publishing goes through a confirmation page that says what it does (#15)."""
import pytest
from django.urls import reverse

from accounts.roles import Role
from placement.models import Publication
from placement.services.publications import publication_create
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(client, world, django_capture_on_commit_callbacks):
    client.force_login(make_user(Role.EXAM_STAFF))
    client.cookies["django_language"] = "en"
    make_user(Role.OFFICE_STAFF, office=world.offices[0], email="staff-a@example.com")
    world.close_preferences()
    return world.run(capture=django_capture_on_commit_callbacks)


def test_the_run_page_links_to_a_confirmation_instead_of_publishing_in_one_click(client, finished):
    body = client.get(reverse("placement:run_detail", kwargs={"pk": finished.pk})).content.decode()
    confirm = reverse("placement:run_publish_confirm", kwargs={"pk": finished.pk})
    assert f'href="{confirm}"' in body
    assert f'action="{reverse("placement:run_publish", kwargs={"pk": finished.pk})}"' not in body


def test_the_confirmation_page_says_what_publishing_does_and_publishes_only_on_confirm(client, finished):
    """Public results, the emails counted, a run that can no longer change; a GET publishes nothing."""
    url = reverse("placement:run_publish_confirm", kwargs={"pk": finished.pk})
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "every candidate sees their own placement, and every land office sees who is placed there" in body
    # Five candidates and the one staff member of the office that receives candidates.
    assert "6 emails go out at once" in body
    assert "The run can never change again" in body and "supersedes this one" in body
    assert 'name="reason"' in body
    assert f'action="{reverse("placement:run_publish", kwargs={"pk": finished.pk})}"' in body
    assert not Publication.objects.exists()
    client.post(reverse("placement:run_publish", kwargs={"pk": finished.pk}), {"reason": ""})
    assert Publication.objects.get().run == finished


def test_a_correction_names_the_run_it_supersedes_and_asks_for_the_reason(client, finished, world,
                                                                            django_capture_on_commit_callbacks):
    publication_create(run=finished)
    correction = world.run(seed=99, capture=django_capture_on_commit_callbacks)
    body = client.get(reverse("placement:run_publish_confirm", kwargs={"pk": correction.pk})).content.decode()
    assert f"This run supersedes run #{finished.pk}, which is published now." in body
    assert "Reason for the correction" in body and "required" in body.split('name="reason"', 1)[1].split(">", 1)[0]
