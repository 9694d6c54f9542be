"""The long staff tables sort by their headers and search by name or exam number; names follow the language (#15)."""
import pytest
from django.urls import reverse

from accounts.roles import Role
from placement.services.imports import suitability_import
from placement.services.publications import publication_create
from tests.factories import CandidateFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(make_user(Role.EXAM_STAFF))
    client.cookies["django_language"] = "en"


@pytest.fixture
def published(world, django_capture_on_commit_callbacks):
    world.close_preferences()
    publication_create(run=world.run(capture=django_capture_on_commit_callbacks))
    return world


def _names(response) -> list[str]:
    return [row.name for row in response.context["page"].object_list]


def test_the_candidate_list_sorts_by_a_header_link_and_searches_by_name_or_exam_number(client, staff, cycle):
    for rank, name in enumerate(["陳大文", "王小明", "林美玲"], start=1):
        CandidateFactory(cycle=cycle, exam_rank=rank, name=name, exam_number=f"3012{rank:04d}")
    url = reverse("placement:cycle_candidate_list", kwargs={"pk": cycle.pk})
    body = client.get(url).content.decode()
    assert 'href="?sort=name"' in body and 'type="search"' in body
    assert _names(client.get(url, {"sort": "name"})) == sorted(["陳大文", "王小明", "林美玲"])
    assert _names(client.get(url, {"sort": "-exam_rank"})) == ["林美玲", "王小明", "陳大文"]
    assert _names(client.get(url, {"q": "小明"})) == ["王小明"]
    assert _names(client.get(url, {"q": "30120003"})) == ["林美玲"]
    sorted_body = client.get(url, {"sort": "name"}).content.decode()
    assert 'aria-sort="ascending"' in sorted_body and 'href="?sort=-name"' in sorted_body


def test_the_result_table_sorts_and_searches_and_keeps_the_filters(client, staff, published):
    url = reverse("placement:cycle_results", kwargs={"pk": published.cycle.pk})
    rows = client.get(url, {"sort": "-exam_rank"}).context["page"].object_list
    assert [row.exam_rank for row in rows] == [5, 4, 3, 2, 1]
    target = published.candidates[2]
    rows = client.get(url, {"q": target.name}).context["page"].object_list
    assert [row.exam_number for row in rows] == [target.exam_number]
    rows = client.get(url, {"q": target.exam_number.lower()}).context["page"].object_list
    assert [row.exam_number for row in rows] == [target.exam_number]
    # A header link keeps the filters and drops the page number.
    body = client.get(url, {"county": "臺北市", "page": "1"}).content.decode()
    assert "?county=%E8%87%BA%E5%8C%97%E5%B8%82&amp;sort=office" in body


def test_the_tables_cost_the_same_queries_as_they_grow_when_searched_and_sorted(client, staff, published,
                                                                               page_queries,
                                                                               django_capture_on_commit_callbacks):
    results = reverse("placement:cycle_results", kwargs={"pk": published.cycle.pk})
    candidates = reverse("placement:cycle_candidate_list", kwargs={"pk": published.cycle.pk})
    query = {"q": "", "sort": "-office"}
    few = (page_queries(client, results, query).count, page_queries(client, candidates, {"sort": "-name"}).count)
    for number in range(40):
        CandidateFactory(cycle=published.cycle, exam_rank=100 + number)
    publication_create(run=published.run(seed=99, capture=django_capture_on_commit_callbacks), reason="More.")
    many = (page_queries(client, results, query).count, page_queries(client, candidates, {"sort": "-name"}).count)
    assert few == many


def test_in_english_the_result_page_names_offices_and_counties_in_english(client, staff, published):
    office = published.offices[0]
    body = client.get(reverse("placement:cycle_results", kwargs={"pk": published.cycle.pk})).content.decode()
    filters = body.split('class="filters"', 1)[1].split("</form>", 1)[0]
    assert f">{office.name_en}</option>" in filters and f">{office.county_en}</option>" in filters
    assert office.name not in filters and ">臺北市<" not in filters
    table = body.split("<table>", 1)[1]
    assert office.name_en in table and office.name not in table


def test_in_english_the_compare_page_names_offices_in_english(client, staff, world,
                                                              django_capture_on_commit_callbacks):
    # The first office's focus group prefers the second candidate, so a run on suitability alone moves people.
    pairs = zip(world.candidates, (10, 90, 50, 40, 30), strict=True)
    scores = "\n".join(f"{candidate.exam_number},{score}" for candidate, score in pairs)
    suitability_import(cycle=world.cycle, office=world.offices[0], filename="s.csv",
                       content=f"exam_number,score\n{scores}\n".encode())
    world.close_preferences()
    run_a = world.run(capture=django_capture_on_commit_callbacks)
    run_b = world.run(policy="blended", exam_weight=0, capture=django_capture_on_commit_callbacks)
    response = client.get(reverse("placement:run_compare", kwargs={"pk": world.cycle.pk}),
                          {"a": run_a.pk, "b": run_b.pk})
    assert response.context["moves"]
    body = response.content.decode()
    moves_table = body.split('id="moves-heading"', 1)[1]
    names_en = [office.name_en for office in world.offices]
    assert any(name in moves_table for name in names_en)
    assert not any(office.name in moves_table for office in world.offices)


def test_in_english_the_suitability_import_names_offices_in_english(client, staff, world):
    body = client.get(reverse("placement:cycle_import", kwargs={"pk": world.cycle.pk, "kind": "suitability"})
                      ).content.decode()
    office = world.offices[0]
    assert f">{office.name_en}</option>" in body and f">{office.name}</option>" not in body
