"""Ledgers (台账): export what a list shows to .xlsx with Chinese headers; read uploaded sheets row by row.

Every workbook the app writes goes through `xlsx_bytes` (and `xlsx_response` on top of it), so every ledger is
written the same safe way:
- control characters that XML 1.0 cannot hold (a name typed with a stray ``\\u0007``) are removed instead of
  making openpyxl raise IllegalCharacterError (which answered 500 for everyone who exported the list);
- text that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return: OWASP "CSV injection") is stored as a plain string with Excel's quote prefix, so neither opening the
  file nor editing the cell turns ``=HYPERLINK(...)`` into a live formula. The text itself is kept unchanged (an
  imported ledger reads back what was exported). Numbers stay numbers: -3 is a number, not a formula.
"""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: str) -> str:
    """The text without the control characters an .xlsx (XML 1.0) cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool):
        return value
    if value is None or isinstance(value, (int, float, Decimal, date)):
        return value
    return clean_text(str(value))


def _cell(sheet, value):
    value = _value(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        # openpyxl binds a string starting with "=" as a formula; make it a string, and mark it with the quote
        # prefix (what Excel records when a user types '=...) so editing the cell keeps it text.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def xlsx_bytes(*, headers: list, rows, sheet_title: str = "Sheet1", header_style: bool = True) -> bytes:
    """The workbook as bytes: one sheet, a header row, then `rows` (an iterable of sequences)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=clean_text(str(sheet_title))[:31] or "Sheet1")
    header_cells = []
    for title in headers:
        cell = _cell(sheet, str(title))
        if header_style:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="C8161D")
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(*, filename: str, headers: list, rows, sheet_title: str = "Sheet1") -> HttpResponse:
    """`headers` are (translated) column titles; `rows` an iterable of sequences (use .values_list() or
    .iterator() so a long ledger streams from the database instead of loading model instances)."""
    content = xlsx_bytes(headers=headers, rows=rows, sheet_title=sheet_title)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def read_rows(uploaded_file, *, expected_headers: list[str]):
    """Yield (row_number, {header: value}) from the first sheet. Raises ValueError (translated by the
    caller) when the file is not a workbook or a header is missing."""
    try:
        workbook = load_workbook(uploaded_file, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ValueError("not-a-workbook") from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    missing = [h for h in expected_headers if h not in header]
    if missing:
        raise ValueError("missing-headers:" + ",".join(missing))
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        yield number, {h: (v.strip() if isinstance(v, str) else v) for h, v in zip(header, values) if h}
