"""The candidate finds their data pages from the dashboard and the menu; the pages have breadcrumbs."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_dashboard_links_to_my_data(client, published):
    """A candidate's dashboard has a panel that leads to the My data page."""
    client.force_login(published.first.user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("dashboard")).content.decode()
    assert "Your personal data" in page and reverse("privacy:mine") in page


def test_the_confirmation_page_says_what_stays_and_sits_under_my_data(client, published):
    """Once the cycle has closed the confirmation page explains what is kept, under My data in the breadcrumbs."""
    published.close()
    client.force_login(published.first.user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("privacy:erase", kwargs={"pk": published.first.pk})).content.decode()
    assert "The published placement result" in page and "This cannot be undone." in page
    trail = page.split('aria-label="Breadcrumb"', 1)[1].split("</nav>", 1)[0]
    assert f'<a href="{reverse("privacy:mine")}">My data</a>' in trail
