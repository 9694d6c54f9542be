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


def test_my_data_costs_the_same_queries_with_more_candidacies_and_archives(client, published, page_queries):
    """The page's queries do not grow with the candidacies and archives it lists."""
    from core import clock
    from privacy.models import DataExport
    from tests.factories import CandidateFactory, ExamCycleFactory

    user = published.first.user
    client.force_login(user)
    url = reverse("privacy:mine")
    DataExport.objects.create(candidate=published.first, requested_at=clock.now(), state=DataExport.State.READY)
    few = page_queries(client, url).count
    for _ in range(3):
        other = CandidateFactory(cycle=ExamCycleFactory(), user=user)
        DataExport.objects.create(candidate=other, requested_at=clock.now(), state=DataExport.State.FAILED)
    assert page_queries(client, url).count == few


def test_the_erasures_list_costs_the_same_queries_with_more_rows(client, published, staff, page_queries):
    """The staff list answers in a fixed number of queries however many erasures it shows."""
    from core import clock
    from privacy.models import Erasure
    from tests.factories import CandidateFactory

    client.force_login(staff)
    url = reverse("privacy:erasures")
    few = page_queries(client, url).count
    for _ in range(3):
        candidate = CandidateFactory(cycle=published.cycle)
        Erasure.objects.create(candidate=candidate, cycle=published.cycle, exam_number=candidate.exam_number,
                               masked_name="王○明", erased_at=clock.now())
    many = page_queries(client, url)
    assert many.count == few and many.response.content.decode().count("王○明") == 3
