"""Text that starts like a formula reaches no spreadsheet as one, in any CSV or XLSX download (issue #13).

tests/placement/test_formula_injection.py checks write_table itself; these tests put the risky text into the free-text
fields that reach each download and fetch the download through the web as the role that may, so a view that writes
its table some other way, or a new download, is caught too.
"""
import csv
import inspect
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.urlwalk import iter_endpoints
from placement.models import Assignment, LandOffice, PlaceResponse, Vacancy
from placement.tabular import FORMULA_STARTS, XLSX_CONTENT_TYPE
from tests.factories import CandidateFactory, LandOfficeFactory
from tests.practice.conftest import make_question
from tests.security import conftest as security_world
from tests.security.conftest import signed_in

pytestmark = pytest.mark.django_db

RISKY = ['=HYPERLINK("//x.tw","點我")', "+886-2-1234", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]

# Every URL that answers with a CSV or XLSX table, and the downloads below that fetch it.
COVERED = {"placement:cycle_export", "placement:cycle_import_template", "placement:outcomes_export",
           "focusgroups:record_export", "practice:bank_export"}
# Downloads that are not tables, so no spreadsheet opens them.
# A candidate's data archive is a ZIP of JSON and their own files, not a table a spreadsheet opens.
NOT_TABLES = {"mfa_download_recovery_codes", "privacy:export_request", "privacy:export_download"}
# What in a view's source shows that it answers with a table.
TABLE_WRITERS = ("write_table(", "import_template(", "text/csv", "XLSX_CONTENT_TYPE", "Workbook(", "csv.writer(")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")) for cell in row]


def _xlsx_cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def _assert_safe(response, fmt: str, expected: str | None, label: str) -> None:
    """Assert the download runs no formula and, when `expected` is given, that it holds that text as text."""
    assert response.status_code == 200, f"{label}: {response.status_code}"
    if fmt == "csv":
        assert response["Content-Type"].startswith("text/csv"), label
        cells = _csv_cells(response.content)
        for cell in cells:
            assert not cell.startswith(FORMULA_STARTS) or _is_number(cell), f"{label}: {cell!r} runs as a formula"
        if expected is not None:
            assert "'" + expected in cells, f"{label} does not hold {expected!r}, so it proves nothing"
        return
    assert response["Content-Type"] == XLSX_CONTENT_TYPE, label
    cells = _xlsx_cells(response.content)
    for cell in cells:
        assert cell.data_type != "f", f"{label}: {cell.coordinate} is the formula {cell.value!r}"
        if isinstance(cell.value, str):
            assert cell.data_type == "s", f"{label}: {cell.coordinate} is of type {cell.data_type}"
    if expected is not None:
        # XML keeps a carriage return as a line feed; the cell is still text.
        assert expected.replace("\r", "\n") in [cell.value for cell in cells], f"{label} lacks {expected!r}"


def _downloads(world, client_for, fmt):
    """Yield (label, response) for every table download, each fetched as the role that may."""
    exam = client_for(world.exam_staff)
    for pk, kind in ((world.cycle.pk, "candidates"), (world.cycle.pk, "vacancies"),
                     (world.past_cycle.pk, "results")):
        url = reverse("placement:cycle_export", kwargs={"pk": pk, "kind": kind})
        yield f"cycle_export {kind}", exam.get(url, {"format": fmt})
    for kind in ("candidates", "vacancies", "suitability"):
        url = reverse("placement:cycle_import_template", kwargs={"pk": world.cycle.pk, "kind": kind})
        yield f"import template {kind}", exam.get(url, {"format": fmt})
    for kind in ("outcomes", "deferrals"):
        url = reverse("placement:outcomes_export", kwargs={"pk": world.past_cycle.pk, "kind": kind, "fmt": fmt})
        yield f"outcomes_export {kind}", exam.get(url)
    url = reverse("focusgroups:record_export", kwargs={"pk": world.a.objects["group"].pk, "fmt": fmt})
    yield "focus group record", client_for(world.a.leader).get(url)
    url = reverse("practice:bank_export", kwargs={"code": world.a.office.code})
    yield "question bank", client_for(world.a.staff).get(url, {"format": fmt})


@pytest.fixture
def clients():
    made = {}

    def client_for(user):
        if user.pk not in made:
            made[user.pk] = signed_in(user)
        return made[user.pk]
    return client_for


@pytest.fixture
def risky_world(db, django_capture_on_commit_callbacks, monkeypatch, value):
    """The security suite's world in which office A, its county and candidate 1 are named `value`.

    They are named so before the past cycle's result is published, which keeps their names as they were.
    """
    plain_tenant = security_world._tenant

    def risky_tenant(cycle, label):
        tenant = plain_tenant(cycle, label)
        if label == "A":
            LandOffice.objects.filter(pk=tenant.office.pk).update(name=value, county=value[:20])
            type(tenant.candidate).objects.filter(pk=tenant.candidate.pk).update(name=value)
            tenant.office.refresh_from_db()
            tenant.candidate.refresh_from_db()
        return tenant

    monkeypatch.setattr(security_world, "_tenant", risky_tenant)
    world = security_world.build_world(django_capture_on_commit_callbacks)
    assert Assignment.objects.filter(run=world.run, candidate_name=value, office_name=value).exists()
    return world


def _store(world, value: str) -> dict[str, str | None]:
    """Put `value` into every free-text field that reaches a download; return what each download must hold.

    Names and reasons arrive through staff imports and forms whose readers strip and un-escape cells, so such text
    can be stored; it is written straight to the rows here to reach every column at once.
    """
    a = world.a
    CandidateFactory(cycle=world.cycle, name=value, exam_number="39990001")
    # Office codes are slugs, so only "-" of the formula starts can lead one; it comes first in office order.
    risky_office = LandOfficeFactory(code="-1-risky", name="風險地政事務所", name_en="Risky office", sort_order=0)
    LandOffice.objects.exclude(pk=risky_office.pk).update(sort_order=5)
    Vacancy.objects.create(cycle=world.cycle, office=risky_office, seats=1)
    PlaceResponse.objects.filter(pk=a.objects["place_response"].pk).update(
        state=PlaceResponse.State.DEFERRED, deferral_reason=PlaceResponse.DeferralReason.values[0], reason=value)
    make_question(a.office, text=value, explanation=value, choices=[value, "坐標成果"], right=(1,))
    return {"cycle_export candidates": value, "cycle_export vacancies": "-1-risky",
            "cycle_export results": value, "import template candidates": None,
            "import template vacancies": "-1-risky", "import template suitability": None,
            "outcomes_export outcomes": value, "outcomes_export deferrals": value,
            "focus group record": value,
            # The question service strips the text it stores; "=1" left of "\t=1" is still a formula.
            "question bank": value.strip()}


@pytest.mark.parametrize("value", RISKY)
def test_every_download_keeps_formula_like_text_as_text(risky_world, clients, value):
    world = risky_world
    expected = _store(world, value)
    for fmt in ("csv", "xlsx"):
        seen = set()
        for label, response in _downloads(world, clients, fmt):
            want = expected[label]
            # The template's office code is a slug written as is: "-1-risky" is not a number, so CSV escapes it.
            _assert_safe(response, fmt, want, f"{label} ({fmt})")
            seen.add(label)
        assert seen == set(expected)


def test_every_table_download_is_covered():
    """A new URL that answers with a CSV or XLSX table fails here until a test above downloads it."""
    found = set()
    for endpoint in iter_endpoints():
        name = endpoint.key
        source = inspect.getsource(inspect.unwrap(endpoint.pattern.callback)) \
            if inspect.isfunction(inspect.unwrap(endpoint.pattern.callback)) else ""
        by_name = any(word in f"{name} {endpoint.route}" for word in
                      ("export", "download", "template", ".csv", ".xlsx", "fmt", "format"))
        if by_name or any(writer in source for writer in TABLE_WRITERS):
            found.add(name)
    assert "placement:cycle_export" in found, "the walk finds no downloads, so it proves nothing"
    assert found - COVERED - NOT_TABLES == set()
    assert COVERED - found == set()
