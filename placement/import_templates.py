"""The template file of each import: the header row, one example row, and (in XLSX) a sheet that explains them."""
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .columns import CANDIDATE_COLUMNS, CANDIDATE_RESIDENCE_COLUMNS, SUITABILITY_COLUMNS, VACANCY_COLUMNS
from .models import LandOffice
from .services.imports import SUITABILITY_MAX, SUITABILITY_MIN
from .tabular import XLSX_CONTENT_TYPE, write_table

IMPORT_COLUMNS = {
    "candidates": CANDIDATE_COLUMNS + CANDIDATE_RESIDENCE_COLUMNS,
    "vacancies": VACANCY_COLUMNS,
    "suitability": SUITABILITY_COLUMNS,
}


def column_notes(kind: str) -> list[tuple[str, str]]:
    """Return (column, what it holds) for each column of an import, in the file's order."""
    scale = {"min": SUITABILITY_MIN, "max": SUITABILITY_MAX}
    notes = {
        "exam_number": _("Required. The candidate's exam number (准考證號碼), at most 20 characters."),
        "name": _("Required. The candidate's name."),
        "email": _("Required. The candidate's email address. A new candidate with no account yet gets an "
                   "invitation email when the file is imported."),
        "exam_score": _("Required. The exam score, from 0 to 100 with at most two decimals."),
        "exam_rank": _("Required. The exam rank, a whole number of 1 or more, different for each candidate."),
        "residence_county": _("Optional. The county or city where the candidate lives, as in 臺北市."),
        "residence_district": _("Optional. A district, township or city of that county, as in 大安區."),
        "office": _("Required. The land office's code or its Chinese name."),
        "seats": _("Required. The office's seats in this cycle, a whole number from 0 to 999."),
        "score": _("Required. The office's suitability score for the candidate, on the scale from %(min)s to "
                   "%(max)s with at most three decimals; a higher score means more suitable.") % scale,
    }
    return [(column, notes[column]) for column in IMPORT_COLUMNS[kind]]


def _example_row(kind: str) -> list[str]:
    if kind == "candidates":
        return ["30120001", "王小明", "wang@example.com", "78.50", "1", "臺北市", "大安區"]
    if kind == "vacancies":
        office = LandOffice.objects.order_by("sort_order", "name").first()
        return [office.code if office else "example-office", "2"]
    return ["30120001", "85.5"]


def import_template(kind: str, fmt: str) -> tuple[bytes, str]:
    """Return the bytes and content type of an import's template file in CSV or XLSX."""
    columns, example = IMPORT_COLUMNS[kind], _example_row(kind)
    if fmt != "xlsx":
        return write_table(columns, [example], fmt="csv")
    # The first sheet is the one an import reads, so the notes go on a second sheet.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Data")
    sheet.append(columns)
    sheet.append(example)
    notes = workbook.create_sheet(_("Notes"))
    notes.append([_("Column"), _("What it holds")])
    for column, note in column_notes(kind):
        notes.append([column, note])
    notes.append([])
    notes.append([_("Replace the example row with your own rows. Only the first sheet is imported; every row is "
                    "checked before anything is saved.")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), XLSX_CONTENT_TYPE
