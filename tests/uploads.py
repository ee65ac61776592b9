"""Files for tests to upload, built in memory: a photo, an .xlsx ledger, a small PDF. Every app's tests use these
(one copy) rather than writing their own."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def jpeg(name="photo.jpg", size=(64, 48), colour=(30, 120, 200)):
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def xlsx(headers, rows, name="sheet.xlsx"):
    """An upload of a workbook whose first row is `headers`, then `rows`."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_TYPE)


def pdf(name="document.pdf", text="Material"):
    """A real one-page PDF (WeasyPrint), as an upload."""
    from weasyprint import HTML

    return SimpleUploadedFile(name, HTML(string=f"<p>{text}</p>").write_pdf(), content_type="application/pdf")
