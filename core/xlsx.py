"""Ledgers (台账): export what a list shows to .xlsx with Chinese headers; read uploaded sheets row by row."""
from datetime import date, datetime
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, (int, float, str, date)):
        return value
    return str(value)


def xlsx_response(*, filename: str, headers: list, rows, sheet_title: str = "Sheet1") -> HttpResponse:
    """`headers` are (translated) column titles; `rows` an iterable of sequences (use .values_list() or
    .iterator() so a long ledger streams from the database instead of loading model instances)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(sheet_title)[:31])
    header_cells = []
    for title in headers:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="C8161D")
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
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
