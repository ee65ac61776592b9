"""Issue 9: cadres' phones and units' contact phones are masked for everyone but the office, by the same function
as volunteers' (core.masking), in the API, the pages, the exports and the change history (finding 11); a control
character in a name does not break the people ledger (finding 5)."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from campaign import services
from core.masking import mask_personal
from core.roles import Role
from tests.campaign.actors import OFFICE

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
UNIT_PHONE = "03522345678"
MASKED = "139****5678"
UNIT_MASKED = "035****5678"


@pytest.fixture
def cadre(units):
    unit = units["cgj"]
    services.unit_update(actor=OFFICE, unit=unit, contact_name="张科长", contact_phone=UNIT_PHONE)
    return services.person_create(actor=OFFICE, name="李局长", title="局长", unit=unit, phone=PHONE)


@pytest.fixture
def viewers(users, make_user):
    return {**users, "leader": make_user("leader_x", Role.LEADER), "supervisor": make_user("sup_x", Role.SUPERVISOR)}


def test_the_one_rule_is_the_volunteers_rule():
    assert mask_personal(PHONE, user=None) == MASKED
    assert mask_personal(UNIT_PHONE, user=None) == UNIT_MASKED


@pytest.mark.parametrize("who, masked", [("office", False), ("unit", True), ("leader", True), ("supervisor", True)])
def test_api(client, cadre, viewers, who, masked):
    client.force_login(viewers[who])
    people = client.get("/api/v1/people/").json()["results"]
    row = next(p for p in people if p["id"] == cadre.pk)
    assert row["phone"] == (MASKED if masked else PHONE)
    assert client.get(f"/api/v1/people/{cadre.pk}/").json()["phone"] == row["phone"]
    units = client.get("/api/v1/units/", {"page_size": 100}).json()["results"]
    unit = next(u for u in units if u["id"] == cadre.unit_id)
    assert unit["contact_phone"] == (UNIT_MASKED if masked else UNIT_PHONE)
    assert client.get(f"/api/v1/units/{cadre.unit_id}/").json()["contact_phone"] == unit["contact_phone"]


def test_office_still_writes_full_numbers_through_the_api(client, cadre, viewers):
    client.force_login(viewers["office"])
    response = client.patch(f"/api/v1/people/{cadre.pk}/", {"phone": "13700001111"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "13700001111"
    cadre.refresh_from_db()
    assert cadre.phone == "13700001111"


@pytest.mark.parametrize("who, masked", [("office", False), ("unit", True), ("leader", True)])
def test_pages_and_history(client, cadre, viewers, who, masked):
    services.person_update(actor=OFFICE, person=cadre, phone="13911110000")  # a change the history shows
    client.force_login(viewers[who])
    pages = [
        client.get("/campaign/people/").content.decode(),
        client.get(f"/campaign/people/{cadre.pk}/").content.decode(),
        client.get("/campaign/units/").content.decode(),
        client.get(f"/campaign/units/{cadre.unit_id}/").content.decode(),
    ]
    html = "".join(pages)
    assert "李局长" in pages[0]
    for full, hidden in (("13911110000", "139****0000"), (PHONE, MASKED), (UNIT_PHONE, UNIT_MASKED)):
        assert (full in html) is not masked, full
        if masked:
            assert hidden in html
    assert (PHONE in pages[1]) is not masked  # the old number, in the change history


@pytest.mark.parametrize("who, masked", [("office", False), ("unit", True)])
def test_exports(client, cadre, viewers, who, masked):
    client.force_login(viewers[who])
    people = list(
        load_workbook(BytesIO(client.get("/campaign/people/export.xlsx").content)).active.iter_rows(values_only=True)
    )
    row = next(r for r in people if r[0] == "李局长")
    assert row[4] == (MASKED if masked else PHONE)
    units = list(
        load_workbook(BytesIO(client.get("/campaign/units/export.xlsx").content)).active.iter_rows(values_only=True)
    )
    row = next(r for r in units if r[1] == cadre.unit.name)
    assert row[7] == (UNIT_MASKED if masked else UNIT_PHONE)


def test_a_masked_phone_cannot_be_found_digit_by_digit(client, cadre, viewers):
    client.force_login(viewers["unit"])
    assert "李局长" not in client.get("/campaign/people/", {"q": "1391"}).content.decode()
    assert "李局长" in client.get("/campaign/people/", {"q": PHONE}).content.decode()
    client.force_login(viewers["office"])
    assert "李局长" in client.get("/campaign/people/", {"q": "1391"}).content.decode()


def test_a_control_character_in_a_name_does_not_break_the_people_ledger(client, cadre, viewers):
    services.person_create(actor=OFFICE, name="王\u0007芳", title="科员", unit=cadre.unit, phone="13800000000")
    client.force_login(viewers["office"])
    response = client.get("/campaign/people/export.xlsx")
    assert response.status_code == 200
    names = [row[0] for row in load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)]
    assert "王芳" in names and "李局长" in names
