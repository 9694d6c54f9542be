"""Imports refuse damaged files with a message, stop at a row limit and list only the first problems (#16)."""
import io
import tracemalloc
import warnings
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from accounts.roles import Role
from placement import tabular
from placement.models import Candidate, Vacancy
from placement.services.imports import candidates_import, vacancies_import
from placement.tabular import TableError
from tests.factories import LandOfficeFactory, make_user

pytestmark = pytest.mark.django_db

HEADER = ["exam_number", "name", "email", "exam_score", "exam_rank"]
SHEET = "xl/worksheets/sheet1.xml"


def _row(number: int) -> list:
    return [f"3012{number:04d}", f"考生{number}", f"c{number}@example.com", 80, number]


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(rows) -> bytes:
    return "\n".join(",".join(str(cell) for cell in row) for row in rows).encode()


def _with_sheet(content: bytes, change) -> bytes:
    """Return the workbook with its first sheet's XML passed through `change`, every other part as it was."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, change(data.decode()).encode() if name == SHEET else data)
    return buffer.getvalue()


def _truncated(content: bytes) -> bytes:
    return _with_sheet(content, lambda xml: xml[: len(xml) * 2 // 3])


def _post(client, cycle, content: bytes, name: str, kind="candidates"):
    client.cookies["django_language"] = "en"
    upload = SimpleUploadedFile(name, content)
    return client.post(reverse("placement:cycle_import", kwargs={"pk": cycle.pk, "kind": kind}), {"file": upload})


def _page_text(response) -> str:
    return " ".join(str(message) for message in response.context["messages"]) + response.content.decode()


@pytest.fixture
def staff_client(client):
    client.force_login(make_user(Role.EXAM_STAFF))
    return client


# Damaged and disguised files ------------------------------------------------------------------------------------------

def _damaged_workbooks():
    good = _xlsx([HEADER, *(_row(n) for n in range(1, 40))])
    return {
        "truncated sheet XML": _truncated(good),
        "text in a number cell": _with_sheet(good, lambda xml: xml.replace("<v>80</v>", "<v>eighty</v>", 1)),
        "a bad date cell": _with_sheet(good, lambda xml: xml.replace('t="n"><v>80</v>', 't="d"><v>not-a-date</v>', 1)),
        "a missing shared string": _with_sheet(good, lambda xml: xml.replace('t="n"><v>80</v>', 't="s"><v>999</v>', 1)),
        "a CSV file named .xlsx": _csv([HEADER, _row(1)]),
        "random bytes": bytes(range(256)) * 8,
        "a zip that is no workbook": _zip({"hello.txt": b"hello"}),
        "an old .xls workbook": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
    }


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("damage", list(_damaged_workbooks()))
def test_a_damaged_or_disguised_workbook_is_refused_with_a_message(cycle, damage):
    """The service raises a TableError with a readable message, never a parser's exception; nothing is saved."""
    content = _damaged_workbooks()[damage]
    with translation.override("en"), pytest.raises(TableError) as refused:
        candidates_import(cycle=cycle, content=content, filename="c.xlsx", send_invitations=False)
    [problem] = refused.value.errors
    assert "workbook" in problem.message or "XLSX" in problem.message
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("damage", ["truncated sheet XML", "text in a number cell", "a CSV file named .xlsx",
                                    "an old .xls workbook"])
def test_the_import_page_answers_a_damaged_workbook_with_its_error(staff_client, cycle, damage):
    """Uploading a damaged workbook shows the problem on the import page (400, not 500) and imports nothing."""
    response = _post(staff_client, cycle, _damaged_workbooks()[damage], "candidates.xlsx")
    assert response.status_code == 400
    text = _page_text(response)
    assert "Nothing was imported" in text
    assert "workbook" in text
    assert not Candidate.objects.exists()


def test_a_damaged_sheet_names_the_row_where_reading_stopped(cycle):
    """A sheet cut off part-way says after which row it could no longer be read."""
    content = _truncated(_xlsx([HEADER, *(_row(n) for n in range(1, 300))]))
    with translation.override("en"), pytest.raises(TableError) as refused:
        candidates_import(cycle=cycle, content=content, filename="c.xlsx", send_invitations=False)
    assert "damaged after row" in refused.value.errors[0].message


def test_an_old_xls_workbook_is_told_to_be_saved_as_xlsx(cycle):
    """The old binary .xls format gets a message that says how to convert it."""
    with translation.override("en"), pytest.raises(TableError) as refused:
        candidates_import(cycle=cycle, content=_damaged_workbooks()["an old .xls workbook"], filename="c.xlsx",
                          send_invitations=False)
    assert ".xls" in refused.value.errors[0].message and "save it as .xlsx" in refused.value.errors[0].message.lower()


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_parsed(cycle, monkeypatch):
    """A small upload that unpacks into a huge sheet (a zip bomb) is refused from the archive's own sizes."""
    monkeypatch.setattr(tabular, "MAX_UNPACKED_BYTES", 50_000)
    content = _with_sheet(_xlsx([HEADER, _row(1)]), lambda xml: xml.replace("</worksheet>", " " * 60_000
                                                                               + "</worksheet>"))
    assert len(content) < 50_000
    with translation.override("en"), pytest.raises(TableError) as refused:
        candidates_import(cycle=cycle, content=content, filename="c.xlsx", send_invitations=False)
    assert "too large" in refused.value.errors[0].message


def test_a_workbook_with_a_huge_claimed_size_reads_only_its_real_cells(cycle):
    """A sheet that claims to span A1:XFD1048576 is read by its real cells, not padded to 16384 columns."""
    content = _with_sheet(_xlsx([HEADER, *(_row(n) for n in range(1, 1001))]),
                          lambda xml: xml.replace('<dimension ref="A1:E1001"', '<dimension ref="A1:XFD1048576"'))
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(content)).read(SHEET)
    tracemalloc.start()
    try:
        report = candidates_import(cycle=cycle, content=content, filename="c.xlsx", send_invitations=False)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.created == 1000
    # Padding each row to 16384 cells would hold 1000 × 16384 references, over 130 MB.
    assert peak < 40_000_000


def test_a_csv_file_that_is_not_utf8_is_refused_on_the_page(staff_client, cycle):
    """A CSV in Big5 (as older spreadsheets save it) is refused with a message saying to save it as UTF-8."""
    content = ("exam_number,name,email,exam_score,exam_rank\n30120001,王大明,w@example.com,80,1\n").encode("big5")
    response = _post(staff_client, cycle, content, "candidates.csv")
    assert response.status_code == 400
    assert "UTF-8" in _page_text(response)
    assert not Candidate.objects.exists()


# The row limit ----------------------------------------------------------------------------------------------------

@override_settings(PLACEMENT_IMPORT_MAX_ROWS=5)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_over_the_row_limit_is_refused_and_names_the_limit(cycle, fmt):
    """Five data rows are imported; a sixth makes the whole file refused, with a message naming the limit."""
    build = _xlsx if fmt == "xlsx" else _csv
    report = candidates_import(cycle=cycle, content=build([HEADER, *(_row(n) for n in range(1, 6))]),
                               filename=f"c.{fmt}", send_invitations=False)
    assert report.created == 5
    Candidate.objects.all().delete()
    with translation.override("en"), pytest.raises(TableError) as refused:
        candidates_import(cycle=cycle, content=build([HEADER, *(_row(n) for n in range(1, 7))]),
                          filename=f"c.{fmt}", send_invitations=False)
    [problem] = refused.value.errors
    assert "more than 5 rows" in problem.message
    assert not Candidate.objects.exists()


@override_settings(PLACEMENT_IMPORT_MAX_ROWS=5)
def test_blank_rows_do_not_count_towards_the_limit(cycle):
    """Empty rows between the data (or formatting left below it) are skipped, not counted."""
    rows = [HEADER, _row(1), [], [], _row(2), *([[None] * 5] * 20), _row(3)]
    report = candidates_import(cycle=cycle, content=_xlsx(rows), filename="c.xlsx", send_invitations=False)
    assert report.created == 3


@override_settings(PLACEMENT_IMPORT_MAX_ROWS=10)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reading_stops_as_soon_as_the_limit_is_passed(cycle, fmt):
    """Rows past the limit are not even read: damage after them does not change the answer."""
    good = [HEADER, *(_row(n) for n in range(1, 200))]
    if fmt == "xlsx":
        content = _truncated(_xlsx(good))
    else:
        # A field longer than the CSV reader accepts, far past the limit.
        content = _csv(good) + b"\n1," + b"x" * 200_000 + b",a@example.com,1,1\n"
    with translation.override("en"), pytest.raises(TableError) as refused:
        candidates_import(cycle=cycle, content=content, filename=f"c.{fmt}", send_invitations=False)
    assert "more than 10 rows" in refused.value.errors[0].message


def test_the_default_limit_is_read_from_the_settings():
    """Without the setting the limit is 20000 rows; the setting overrides it."""
    assert tabular.max_rows() == 20_000
    with override_settings(PLACEMENT_IMPORT_MAX_ROWS=7):
        assert tabular.max_rows() == 7


@override_settings(PLACEMENT_IMPORT_MAX_ROWS=3)
def test_the_import_page_names_the_row_limit(staff_client, cycle):
    """Over the limit, the page says how many rows one import may have."""
    response = _post(staff_client, cycle, _csv([HEADER, *(_row(n) for n in range(1, 5))]), "candidates.csv")
    assert response.status_code == 400
    assert "more than 3 rows" in _page_text(response)
    assert not Candidate.objects.exists()


# The first problems only ---------------------------------------------------------------------------------------------

def _bad_rows(count: int) -> bytes:
    return _csv([HEADER, *([f"3012{n:04d}", f"考生{n}", f"bad-address-{n}", 80, n] for n in range(1, count + 1))])


def test_a_file_with_many_problems_lists_only_the_first_hundred(cycle):
    """A file with 500 bad rows raises with the first 100 problems, and says there are more."""
    with pytest.raises(TableError) as refused:
        candidates_import(cycle=cycle, content=_bad_rows(500), filename="c.csv", send_invitations=False)
    assert len(refused.value.errors) == 100
    assert refused.value.truncated
    assert [error.row for error in refused.value.errors] == list(range(2, 102))


def test_exactly_the_limit_of_problems_is_not_called_truncated(cycle):
    """100 problems are all shown, and the file is not said to have more."""
    with pytest.raises(TableError) as refused:
        candidates_import(cycle=cycle, content=_bad_rows(100), filename="c.csv", send_invitations=False)
    assert (len(refused.value.errors), refused.value.truncated) == (100, False)


@override_settings(PLACEMENT_IMPORT_MAX_ERRORS=10)
def test_the_problem_limit_applies_to_vacancy_imports_too(cycle):
    """Vacancy rows naming unknown offices stop being checked after the limit."""
    LandOfficeFactory(code="KNOWN")
    content = _csv([["office", "seats"], *([f"NOPE-{n}", 1] for n in range(50))])
    with pytest.raises(TableError) as refused:
        vacancies_import(cycle=cycle, content=content, filename="v.csv")
    assert (len(refused.value.errors), refused.value.truncated) == (10, True)
    assert not Vacancy.objects.exists()


def test_the_import_page_shows_the_first_hundred_problems_and_says_so(staff_client, cycle):
    """The page lists 100 problems and tells staff to fix these and import again; it stays small."""
    response = _post(staff_client, cycle, _bad_rows(2000), "candidates.csv")
    assert response.status_code == 400
    text = _page_text(response)
    assert "first 100" in text and "import again" in text
    assert response.content.decode().count("not an email address") == 100
    assert len(response.content) < 200_000
    assert not Candidate.objects.exists()


@override_settings(PLACEMENT_IMPORT_MAX_ROWS=300)
def test_the_import_page_states_the_limits_before_upload(staff_client, cycle):
    """Staff read the row limit and the optional residence columns before they choose a file."""
    staff_client.cookies["django_language"] = "en"
    page = staff_client.get(reverse("placement:cycle_import", kwargs={"pk": cycle.pk, "kind": "candidates"}))
    text = page.content.decode()
    assert "at most 300 rows" in text and "At most 100 problems" in text
    assert "residence_county, residence_district" in text


def test_a_workbook_with_a_print_area_and_defined_names_imports_quietly(cycle):
    """Parts of a workbook an import does not need (print areas, defined names) neither fail it nor warn."""
    workbook = Workbook()
    sheet = workbook.active
    for row in [HEADER, _row(1), _row(2)]:
        sheet.append(row)
    sheet.print_area = "A1:E3"
    sheet.print_title_rows = "1:1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = candidates_import(cycle=cycle, content=buffer.getvalue(), filename="c.xlsx", send_invitations=False)
    assert report.created == 2
    assert [str(warning.message) for warning in caught if "openpyxl" in warning.filename] == []
