"""Each import offers a template file, and the candidate import says beforehand that it sends invitations (#15)."""
import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from placement.columns import CANDIDATE_COLUMNS, CANDIDATE_RESIDENCE_COLUMNS, SUITABILITY_COLUMNS, VACANCY_COLUMNS
from placement.services.imports import candidates_import, suitability_import, vacancies_import
from tests.factories import make_user

pytestmark = pytest.mark.django_db
COLUMNS = {"candidates": CANDIDATE_COLUMNS + CANDIDATE_RESIDENCE_COLUMNS, "vacancies": VACANCY_COLUMNS,
           "suitability": SUITABILITY_COLUMNS}


@pytest.fixture
def staff(client):
    client.force_login(make_user(Role.EXAM_STAFF))
    client.cookies["django_language"] = "en"


def _template(client, cycle, kind, fmt):
    response = client.get(reverse("placement:cycle_import_template", kwargs={"pk": cycle.pk, "kind": kind}),
                          {"format": fmt})
    assert response.status_code == 200
    assert f"{kind}-template.{fmt}" in response["Content-Disposition"]
    return response.content


@pytest.mark.parametrize("kind", ["candidates", "vacancies", "suitability"])
def test_the_csv_template_has_the_header_row_and_one_example_row(client, staff, cycle, office, kind):
    rows = list(csv.reader(io.StringIO(_template(client, cycle, kind, "csv").decode("utf-8-sig"))))
    assert rows[0] == COLUMNS[kind]
    assert len(rows) == 2 and len(rows[1]) == len(COLUMNS[kind]) and all(rows[1][:2])


@pytest.mark.parametrize("kind", ["candidates", "vacancies", "suitability"])
def test_the_xlsx_template_explains_every_column_on_a_second_sheet(client, staff, cycle, office, kind):
    workbook = load_workbook(io.BytesIO(_template(client, cycle, kind, "xlsx")))
    data, notes = workbook.worksheets
    rows = list(data.values)
    assert list(rows[0]) == COLUMNS[kind] and len(rows) == 2
    explained = {row[0]: row[1] for row in notes.values if row and row[0] in COLUMNS[kind]}
    assert set(explained) == set(COLUMNS[kind]) and all(explained.values())
    if kind == "suitability":
        assert "from 0 to 100" in explained["score"]
    if kind == "candidates":
        assert "invitation email" in explained["email"]


def test_each_template_imports_as_it_is(cycle, office, client, staff):
    """The example rows are valid: a template that an import refuses would teach the wrong format."""
    candidates_import(cycle=cycle, content=_template(client, cycle, "candidates", "xlsx"), filename="c.xlsx",
                      send_invitations=False)
    vacancies_import(cycle=cycle, content=_template(client, cycle, "vacancies", "csv"), filename="v.csv")
    report = suitability_import(cycle=cycle, office=office, content=_template(client, cycle, "suitability", "csv"),
                                filename="s.csv")
    assert report.created == 1


@pytest.mark.parametrize("kind", ["candidates", "vacancies", "suitability"])
def test_each_import_page_links_to_its_templates(client, staff, cycle, kind):
    body = client.get(reverse("placement:cycle_import", kwargs={"pk": cycle.pk, "kind": kind})).content.decode()
    url = reverse("placement:cycle_import_template", kwargs={"pk": cycle.pk, "kind": kind})
    assert f'href="{url}?format=csv"' in body and f'href="{url}?format=xlsx"' in body


def test_the_candidate_import_page_says_before_upload_that_it_sends_invitations(client, staff, cycle):
    body = client.get(reverse("placement:cycle_import", kwargs={"pk": cycle.pk, "kind": "candidates"})
                      ).content.decode()
    notice = "Importing sends an invitation email to every new candidate in the file who has no account yet"
    assert notice in body and body.index(notice) < body.index('type="file"')
