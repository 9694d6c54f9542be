"""The site shell: a favicon, a trail above each page, and an error summary at the top of every form."""
import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from tests.factories import make_user


@pytest.mark.django_db
def test_the_favicon_is_there_for_browsers_that_ask_for_it(client):
    """Browsers ask for /favicon.ico on every page; it answers with the site's icon, not a 404."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)
    assert 'rel="icon"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_page_inside_a_menu_section_shows_the_trail_to_it(cycle):
    """Comparing runs sits under "Placement runs", though its address is under the exam cycle's."""
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(make_user(Role.EXAM_STAFF))
    runs = reverse("placement:run_list", kwargs={"pk": cycle.pk})
    body = client.get(reverse("placement:run_compare", kwargs={"pk": cycle.pk})).content.decode()
    trail = body.split('aria-label="Breadcrumb"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{reverse("dashboard")}">Dashboard<' in trail
    assert f'href="{runs}">Placement runs<' in trail and "Exam cycle" not in trail
    # A page that is itself in the menu needs no trail.
    assert 'aria-label="Breadcrumb"' not in client.get(runs).content.decode()


@pytest.mark.django_db
def test_a_form_with_errors_opens_with_a_summary_that_links_to_each_field(cycle):
    """GOV.UK's error summary: one box at the top that names each problem and jumps to its field."""
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(make_user(Role.EXAM_STAFF))
    response = client.post(reverse("placement:cycle_detail", kwargs={"pk": cycle.pk}),
                           {"preferences_until": "not a date"})
    body = response.content.decode()
    assert response.status_code == 200
    summary = body.split('class="error-summary', 1)[1].split("</div>", 1)[0]
    assert "There is a problem" in summary and 'href="#id_preferences_until"' in summary
