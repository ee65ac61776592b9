import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from campaign import services
from campaign.models import Unit
from core.roles import Role
from tests.campaign.actors import OFFICE

pytestmark = pytest.mark.django_db

FORM = {
    "name": "平城区交通运输局",
    "code": "BM-001",
    "kind": "department",
    "civilized_level": "",
    "civilized_year": "",
    "contact_name": "",
    "contact_phone": "",
    "address": "",
    "is_active": "on",
}


def test_duplicate_code_on_the_page_is_a_field_error_in_chinese(client, users, units, city):
    client.force_login(users["office"])
    response = client.post("/campaign/units/new/", {**FORM, "region": city["district"].pk})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["编码为 BM-001 的单位已存在。"]
    assert "编码为 BM-001 的单位已存在。" in response.content.decode()
    assert not Unit.objects.filter(name="平城区交通运输局").exists()


@pytest.mark.parametrize(
    "language, message",
    [
        (None, "编码为 BM-001 的单位已存在。"),
        ("zh-hans", "编码为 BM-001 的单位已存在。"),
        ("en", "A unit with the code BM-001 already exists."),
    ],
)
def test_duplicate_code_through_the_api(client, users, units, city, language, message):
    client.force_login(users["office"])
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    payload = {**FORM, "region": city["district"].pk, "is_active": True, "civilized_year": None}
    response = client.post("/api/v1/units/", payload, content_type="application/json", **headers)
    assert response.status_code == 400
    assert response.json() == {"code": [message]}
    assert Unit.objects.count() == 4


def test_missing_required_fields_are_field_errors(client, users, city):
    client.force_login(users["office"])
    response = client.post("/campaign/units/new/", {**FORM, "name": "", "region": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["该字段是必填项。"] and "region" in errors
    response = client.post(
        "/api/v1/units/", {"code": "X-1", "kind": "school"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["name"] == ["This field is required."]
    assert "region" in response.json()
    assert Unit.objects.count() == 4 and not Unit.objects.filter(code="X-1").exists()


def test_civilized_unit_needs_its_year(units):
    with pytest.raises(ValidationError) as exc:
        services.unit_update(actor=OFFICE, unit=units["wd"], civilized_level=Unit.CivilizedLevel.PROVINCIAL)
    assert "civilized_year" in exc.value.message_dict
    units["wd"].refresh_from_db()
    assert units["wd"].civilized_level == ""
    services.unit_update(
        actor=OFFICE, unit=units["wd"], civilized_level=Unit.CivilizedLevel.PROVINCIAL, civilized_year=2023
    )
    units["wd"].refresh_from_db()
    assert (units["wd"].civilized_level, units["wd"].civilized_year) == ("provincial", 2023)


def test_office_creates_and_edits_a_unit_on_the_page(client, users, city):
    client.force_login(users["office"])
    response = client.post("/campaign/units/new/", {**FORM, "code": "BM-100", "region": city["s1"].pk})
    unit = Unit.objects.get(code="BM-100")
    assert response.status_code == 302 and response["Location"] == unit.get_absolute_url()
    response = client.post(
        f"/campaign/units/{unit.pk}/edit/", {**FORM, "code": "BM-100", "name": "平城区交通局", "region": city["s1"].pk}
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "平城区交通局"


def test_unit_filters_shared_by_page_and_api(client, users, units, city):
    client.force_login(users["office"])
    page = client.get(f"/campaign/units/?region={city['s1'].pk}")
    assert {u.code for u in page.context["page"]} == {"JD-001", "SQ-001"}
    api = client.get(f"/api/v1/units/?region={city['s1'].pk}&kind=community").json()
    assert [u["code"] for u in api["results"]] == ["SQ-001"]
    assert client.get("/api/v1/units/?q=华林").json()["count"] == 1
    partial = client.get("/campaign/units/?q=华林", HTTP_HX_REQUEST="true")
    assert partial.templates[0].name == "campaign/_unit_table.html"
    assert "<html" not in partial.content.decode() and "华林社区居委会" in partial.content.decode()


def test_unit_export_has_chinese_headers_and_follows_the_filters(client, users, units, city):
    client.force_login(users["office"])
    response = client.get(f"/campaign/units/export.xlsx?region={city['s1'].pk}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("编码", "名称", "类型", "区域")
    assert sorted(r[0] for r in rows[1:]) == ["JD-001", "SQ-001"]
    assert {r[2] for r in rows[1:]} == {"街道/乡镇", "社区/村委会"}


def test_people_of_other_units_are_hidden_from_a_unit_liaison(client, units, make_user):
    own = services.person_create(actor=OFFICE, name="联络员甲", unit=units["cgj"])
    services.person_create(actor=OFFICE, name="联络员乙", unit=units["hl"])
    client.force_login(make_user("unit", Role.UNIT, unit=units["cgj"]))
    assert [p["name"] for p in client.get("/api/v1/people/").json()["results"]] == ["联络员甲"]
    assert client.get(f"/campaign/people/{own.pk}/").status_code == 200
    other = units["hl"].people.get()
    assert client.get(f"/campaign/people/{other.pk}/").status_code == 404
