"""Exports list exactly what their page lists: the same filters and order, every page of it (#15)."""
import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from placement.services.publications import publication_create
from tests.factories import CandidateFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world, django_capture_on_commit_callbacks):
    world.close_preferences()
    publication_create(run=world.run(capture=django_capture_on_commit_callbacks))
    return world


def _export_numbers(response) -> list[str]:
    """Return the exam numbers of an export, in its order, whatever its format."""
    if response["Content-Type"].startswith("text/csv"):
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        rows = [["" if value is None else str(value) for value in row]
                for row in load_workbook(io.BytesIO(response.content)).active.values]
    header, *body = rows
    return [row[header.index("exam_number")] for row in body]


def _page_numbers(client, url, query: dict) -> list[str]:
    """Return the exam numbers the page lists over all its pages, following its own next links."""
    numbers, number = [], 1
    while True:
        page = client.get(url, {**query, "page": number}).context["page"]
        numbers += [row.exam_number for row in page.object_list]
        if not page.has_next():
            return numbers
        number += 1


def _export_href(body: str, fmt: str) -> str:
    """Return the page's own export link for a format, as a browser would follow it."""
    from html import unescape

    link = next(part for part in body.split('href="')[1:] if "/export/" in part.split('"', 1)[0]
                and f"format={fmt}" in part.split('"', 1)[0])
    return unescape(link.split('"', 1)[0])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_result_export_follows_the_county_filter_of_the_page(client, published, fmt):
    """Filtered to 臺北市, the page and its download list the same candidates, in the same order."""
    client.force_login(make_user(Role.EXAM_STAFF))
    url = reverse("placement:cycle_results", kwargs={"pk": published.cycle.pk})
    shown = _page_numbers(client, url, {"county": "臺北市"})
    assert 0 < len(shown) < len(published.candidates)
    body = client.get(url, {"county": "臺北市"}).content.decode()
    exported = _export_numbers(client.get(_export_href(body, fmt)))
    assert exported == shown


def test_the_result_export_follows_the_search_and_sort_of_the_page(client, published):
    """A search and a sort order carry over to the download."""
    client.force_login(make_user(Role.EXAM_STAFF))
    url = reverse("placement:cycle_results", kwargs={"pk": published.cycle.pk})
    query = {"placed": "true", "sort": "-exam_rank"}
    shown = _page_numbers(client, url, query)
    body = client.get(url, query).content.decode()
    assert _export_numbers(client.get(_export_href(body, "csv"))) == shown
    assert shown == sorted(shown, key=lambda number: -next(
        candidate.exam_rank for candidate in published.candidates if candidate.exam_number == number))


def test_the_candidate_export_holds_every_page_of_a_search(client, cycle):
    """A search that fills two pages of the candidate list exports both pages, and nobody else."""
    client.force_login(make_user(Role.EXAM_STAFF))
    for rank in range(1, 106):
        CandidateFactory(cycle=cycle, exam_rank=rank, name=f"王{rank:03d}")
    for rank in range(200, 203):
        CandidateFactory(cycle=cycle, exam_rank=rank, name=f"林{rank}")
    url = reverse("placement:cycle_candidate_list", kwargs={"pk": cycle.pk})
    shown = _page_numbers(client, url, {"q": "王", "sort": "-name"})
    assert len(shown) == 105
    body = client.get(url, {"q": "王", "sort": "-name"}).content.decode()
    assert _export_numbers(client.get(_export_href(body, "xlsx"))) == shown
