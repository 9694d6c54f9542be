"""Reading and writing the CSV and XLSX tables that examination staff import and export."""
import csv
import io
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


# Every import reads at most this many columns; a sheet that claims 16384 columns is not padded to them.
MAX_COLUMNS = 100
# A workbook whose parts unpack to more than this is refused before it is parsed (a "zip bomb").
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# The first bytes of an old binary .xls workbook, and of an encrypted .xlsx (both are OLE compound files).
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SHARED_STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"


def max_rows() -> int:
    """Return how many data rows one import may have (setting PLACEMENT_IMPORT_MAX_ROWS, 20000 by default)."""
    return getattr(settings, "PLACEMENT_IMPORT_MAX_ROWS", 20_000)


def max_errors() -> int:
    """Return how many problems an import lists before it stops checking (PLACEMENT_IMPORT_MAX_ERRORS, 100)."""
    return getattr(settings, "PLACEMENT_IMPORT_MAX_ERRORS", 100)


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded table; row 1 is the header row, as spreadsheets count, and row 0 the whole file."""

    row: int
    column: str
    message: str


class TableError(ValueError):
    """A table that cannot be imported, and nothing was saved.

    `errors` lists the first max_errors() problems; `truncated` tells that the file has more than those.
    """

    def __init__(self, errors: list[RowError]):
        limit = max_errors()
        self.errors = errors[:limit]
        self.truncated = len(errors) > limit
        super().__init__("; ".join(f"row {e.row} {e.column}: {e.message}" for e in self.errors[:10]))


def errors_full(errors: list[RowError]) -> bool:
    """Return whether a parser has found more problems than a TableError lists, so it may stop checking rows."""
    return len(errors) > max_errors()


def _file_error(message: str) -> TableError:
    return TableError([RowError(0, "", message)])


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


class _SharedStrings:
    """A workbook's shared strings, parsed only as far as the cells read so far refer to them.

    openpyxl parses the whole table when it opens a workbook, which for a million-row file takes most of a minute
    and hundreds of megabytes before the first row is read. Sheets refer to their strings roughly in order, so
    reading the table along with the rows keeps a file refused at the row limit quick.
    """

    def __init__(self, archive, path: str):
        self._source = archive.open(path)
        self._nodes = iterparse(self._source)
        self._strings: list[str] = []

    def __getitem__(self, index: int) -> str:
        if index < 0:
            raise IndexError(index)
        while index >= len(self._strings):
            self._read_next(index)
        return self._strings[index]

    def _read_next(self, index: int) -> None:
        for _event, node in self._nodes:
            if node.tag == SHARED_STRING_TAG:
                # The same text as openpyxl's own read_string_table gives.
                self._strings.append(Text.from_tree(node).content.replace("x005F_", ""))
                node.clear()
                return
        raise IndexError(index)


class _StreamingExcelReader(ExcelReader):
    """openpyxl's reader of a workbook's parts, leaving the first sheet for _xlsx_rows to stream.

    openpyxl's own read-only sheet first scans the whole sheet for its size when the file does not state it (files
    written in openpyxl's write-only mode do not), so a million-row sheet would be parsed before its first row is
    read. _xlsx_rows runs openpyxl's sheet parser itself instead, one row at a time.
    """

    first_sheet: str | None = None

    def read_strings(self):
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            self.shared_strings = _SharedStrings(self.archive, part.PartName[1:])

    def read_worksheets(self):
        for _sheet, relation in self.parser.find_sheets():
            if relation.target in self.valid_files and "chartsheet" not in relation.Type:
                self.first_sheet = relation.target
                return


def _open_workbook(content: bytes) -> _StreamingExcelReader:
    if content.startswith(OLE_SIGNATURE):
        raise _file_error(_("The file is an old .xls workbook or a workbook with a password. Open it in a "
                            "spreadsheet, save it as .xlsx (Excel workbook) without a password and upload it again."))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise _file_error(_("The file is not a readable XLSX workbook.")) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise _file_error(_("The workbook is too large: it unpacks to more than %(size)s MB. Import at most "
                            "%(limit)s rows at a time.") % {"size": MAX_UNPACKED_BYTES // (1024 * 1024),
                                                            "limit": max_rows()})
    reader = None
    try:
        reader = _StreamingExcelReader(io.BytesIO(content), read_only=True, data_only=True)
        with warnings.catch_warnings():
            # With no sheet objects built, openpyxl warns that a sheet's print area or defined names have no sheet
            # to go to; they do not matter to an import, nor do its warnings about styles it does not support.
            warnings.simplefilter("ignore")
            reader.read()
    except Exception as error:
        # openpyxl raises whatever its parsers meet in a damaged file (KeyError, IndexError, SyntaxError and
        # more); an upload is untrusted input, so each of them means the same thing to staff.
        if reader is not None:
            reader.archive.close()
        raise _file_error(_("The file is not a readable XLSX workbook.")) from error
    if reader.first_sheet is None:
        reader.archive.close()
        raise _file_error(_("The file is not a readable XLSX workbook."))
    return reader


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells as text) for the first sheet's rows that have cells, streaming from the file.

    At most MAX_COLUMNS columns are read, and the size a sheet claims (up to A1:XFD1048576) is not trusted.
    """
    reader = _open_workbook(content)
    workbook = reader.wb
    number = 0
    try:
        with reader.archive.open(reader.first_sheet) as source:
            parser = WorkSheetParser(source, reader.shared_strings, data_only=True, epoch=workbook.epoch,
                                     date_formats=workbook._date_formats,
                                     timedelta_formats=workbook._timedelta_formats)
            for number, cells in parser.parse():
                width = max((cell["column"] for cell in cells if cell["column"] <= MAX_COLUMNS), default=0)
                row = [""] * width
                for cell in cells:
                    if cell["column"] <= MAX_COLUMNS:
                        row[cell["column"] - 1] = _cell_text(cell["value"])
                yield number, row
    except Exception as error:
        # A cell of a bad type, a missing shared string or XML cut off part-way: see _open_workbook.
        raise _file_error(_("The workbook is damaged after row %(row)s and cannot be read. Open it in a "
                            "spreadsheet, save it again as .xlsx and upload it again.") % {"row": number}) from error
    finally:
        reader.archive.close()


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) for a CSV file's rows, decoding as it goes, so a caller may stop at any row."""
    text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    try:
        for number, row in enumerate(csv.reader(text), start=1):
            yield number, [_unescaped(cell.strip()) for cell in row[:MAX_COLUMNS]]
    except UnicodeDecodeError as error:
        raise _file_error(_("The file is not UTF-8 text. Save the CSV file as UTF-8.")) from error
    except csv.Error as error:
        raise _file_error(_("The CSV file is malformed: %(error)s") % {"error": error}) from error


def read_table(content: bytes, *, filename: str, columns: list[str], optional: tuple[str, ...] = (),
               aliases: dict[str, str] | None = None) -> list[tuple[int, dict[str, str]]]:
    """Return (row number, {column: text}) for every non-empty row of a CSV or XLSX table.

    The header row must name every column in `columns` (case and spaces ignored; `aliases` maps other header
    names to a column). Columns in `optional` are read when the header has them and left out of the rows
    otherwise. Raise TableError when the file cannot be read, a column is missing, or the file has more than
    max_rows() rows with data; reading stops at the first row past that limit.
    """
    is_xlsx = filename.lower().endswith(".xlsx") or content[:2] == b"PK" or content.startswith(OLE_SIGNATURE)
    rows = _xlsx_rows(content) if is_xlsx else _csv_rows(content)
    try:
        return _table(rows, columns=columns, optional=optional, aliases=aliases)
    finally:
        rows.close()


def _table(rows: Iterator[tuple[int, list[str]]], *, columns, optional,
           aliases) -> list[tuple[int, dict[str, str]]]:
    header_row, first = next(rows, (1, None))
    if first is None:
        raise TableError([RowError(1, "", _("The file is empty: it needs a header row naming the columns."))])
    # Only aliases of this table's columns apply: "score" means the exam score in one table, suitability in another.
    aliases = {name: column for name, column in (aliases or {}).items() if column in columns or column in optional}
    header = []
    for cell in first:
        name = cell.strip().lower().replace(" ", "_")
        header.append(aliases.get(name, name))
    missing = [column for column in columns if column not in header]
    if missing:
        raise TableError([
            RowError(header_row, column, _("The header row has no column %(column)s.") % {"column": column})
            for column in missing
        ])
    positions = {column: header.index(column) for column in [*columns, *optional] if column in header}
    limit = max_rows()
    table = []
    for number, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(table) == limit:
            raise TableError([RowError(number, "", _(
                "The file has more than %(limit)s rows. Import at most %(limit)s rows at a time: split the file "
                "and import each part."
            ) % {"limit": limit})])
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
