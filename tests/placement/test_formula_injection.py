"""Exports never hand a spreadsheet a formula: text that starts like one stays text, and reads back unchanged."""
import csv
import io

import pytest
from openpyxl import load_workbook

from placement.tabular import read_table, write_table

RISKY = ['=HYPERLINK("//x.tw","點我")', "+886-2-1234", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", RISKY)
def test_a_csv_cell_that_starts_like_a_formula_is_neutralised_and_reads_back(value):
    content, _type = write_table(["name", "district"], [["王小明", value]], fmt="csv")
    [_header, row] = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert row[1] == "'" + value
    [(_line, parsed)] = read_table(content, filename="x.csv", columns=["name", "district"])
    assert parsed["district"] == value.strip()


@pytest.mark.parametrize("value", RISKY)
def test_an_xlsx_cell_that_starts_like_a_formula_is_a_string_cell(value):
    content, _type = write_table(["name", "district"], [["王小明", value]], fmt="xlsx")
    cell = load_workbook(io.BytesIO(content)).active["B2"]
    # XML keeps a carriage return as a line feed; what matters is that the cell is text, not a formula.
    assert cell.data_type == "s" and cell.value == value.replace("\r", "\n")


def test_numbers_and_ordinary_text_are_written_as_they_are():
    content, _type = write_table(["a", "b", "c"], [[-0.25, 3, "大安區"]], fmt="csv")
    assert content.decode("utf-8-sig").splitlines()[1] == "-0.25,3,大安區"
    sheet = load_workbook(io.BytesIO(write_table(["a"], [[-0.25]], fmt="xlsx")[0])).active
    assert sheet["A2"].value == -0.25 and sheet["A2"].data_type == "n"
