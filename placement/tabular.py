"""Reading and writing the CSV and XLSX tables that examination staff import and export."""
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded table; row 1 is the header row, as spreadsheets count."""

    row: int
    column: str
    message: str


class TableError(ValueError):
    """A table that cannot be imported; `errors` lists every problem found, and nothing was saved."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(f"row {e.row} {e.column}: {e.message}" for e in errors[:10]))


def _cell_text(value) -> str:
    """Return a spreadsheet cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets store every number as a float; 3.0 seats or exam number 30120001.0 mean integers.
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(content: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise TableError([RowError(0, "", _("The file is not a readable XLSX workbook."))]) from error
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError([RowError(0, "", _("The file is not UTF-8 text. Save the CSV file as UTF-8."))]) from error
    try:
        return [[_unescaped(cell.strip()) for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise TableError([RowError(0, "", _("The CSV file is malformed: %(error)s") % {"error": error})]) from error


def read_table(content: bytes, *, filename: str, columns: list[str], optional: tuple[str, ...] = (),
               aliases: dict[str, str] | None = None) -> list[tuple[int, dict[str, str]]]:
    """Return (row number, {column: text}) for every non-empty row of a CSV or XLSX table.

    The header row must name every column in `columns` (case and spaces ignored; `aliases` maps other header
    names to a column). Columns in `optional` are read when the header has them and left out of the rows
    otherwise. Raise TableError when the file cannot be read or a column is missing.
    """
    is_xlsx = filename.lower().endswith(".xlsx") or content[:2] == b"PK"
    rows = _xlsx_rows(content) if is_xlsx else _csv_rows(content)
    if not rows:
        raise TableError([RowError(1, "", _("The file is empty: it needs a header row naming the columns."))])
    # Only aliases of this table's columns apply: "score" means the exam score in one table, suitability in another.
    aliases = {name: column for name, column in (aliases or {}).items() if column in columns or column in optional}
    header = []
    for cell in rows[0]:
        name = cell.strip().lower().replace(" ", "_")
        header.append(aliases.get(name, name))
    missing = [column for column in columns if column not in header]
    if missing:
        raise TableError([
            RowError(1, column, _("The header row has no column %(column)s.") % {"column": column})
            for column in missing
        ])
    positions = {column: header.index(column) for column in [*columns, *optional] if column in header}
    table = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        table.append((number, {
            column: (row[index].strip() if index < len(row) else "") for column, index in positions.items()
        }))
    return table


# A spreadsheet runs text that starts with one of these as a formula (CSV injection); exports make it plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Return a CSV cell that no spreadsheet runs as a formula: risky text gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _unescaped(text: str) -> str:
    """Undo csv_safe on import, so an exported table reads back as it was."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _xlsx_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Stored as a string cell, never as a formula, whatever it starts with; it reads back unchanged.
        cell.data_type = "s"
    return cell


def write_table(columns: list[str], rows, *, fmt: str) -> tuple[bytes, str]:
    """Return the bytes and content type of a table in CSV (UTF-8 with BOM, for spreadsheets) or XLSX.

    Every text cell is written so that no spreadsheet runs it as a formula.
    """
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append([_xlsx_cell(sheet, name) for name in columns])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue(), XLSX_CONTENT_TYPE
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([csv_safe(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
