"""The responsibilities API (CONTRACT.md): list/detail for everyone who may see, filter `unit` (lead or
responsible), writes by the office only through the services, 404 out of scope, 400 with field messages."""

import pytest

from evaluation.models import Responsibility
from evaluation.responsibilities import services
from tests.evaluation.responsibilities_world import city, soon  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/api/v1/responsibilities/"


@pytest.fixture
def duties(city):
    office, units, standards = city["users"]["office"], city["units"], city["standards"]
    a = services.responsibility_create(
        actor=office,
        standard=standards["field"],
        lead_unit=units["a"],
        units=[units["b"]],
        task="甲",
        method="field",
        deadline=soon(-1),
    )
    d = services.responsibility_create(
        actor=office,
        standard=standards["both"],
        lead_unit=units["d"],
        task="丁",
        method="material",
    )
    return {"a": a, "d": d}


def _as(client, city, role):
    client.force_login(city["users"][role])
    return client


def test_contract_fields_and_unit_filter(client, city, duties):
    _as(client, city, "office")
    body = client.get(URL).json()
    assert body["count"] == 2
    row = next(r for r in body["results"] if r["task"] == "甲")
    for field in ("standard", "method", "points", "lead_unit", "units", "task", "deadline"):
        assert field in row
    assert row["points"] == "3.00" and row["units"] == [city["units"]["b"].pk] and row["is_overdue"] is True
    for unit, expected in (("a", ["甲"]), ("b", ["甲"]), ("d", ["丁"]), ("c", [])):
        tasks = [r["task"] for r in client.get(URL, {"unit": city["units"][unit].pk}).json()["results"]]
        assert tasks == expected
    assert client.get(URL, {"unit": "abc"}).status_code == 400
    assert client.get(URL, {"overdue": "true"}).json()["count"] == 1


def test_units_see_their_own_and_404_outside(client, city, duties):
    _as(client, city, "unit2")
    assert [r["task"] for r in client.get(URL).json()["results"]] == ["甲"]
    assert client.get(f"{URL}{duties['d'].pk}/").status_code == 404
    assert client.patch(f"{URL}{duties['d'].pk}/", {"task": "x"}, content_type="application/json").status_code == 404
    assert client.delete(f"{URL}{duties['d'].pk}/").status_code == 404


@pytest.mark.parametrize("role", ["leader", "unit", "unit2"])
def test_writes_by_others_are_403_and_change_nothing(client, city, duties, role):
    _as(client, city, role)
    duty = duties["a"]
    before = Responsibility.objects.values().get(pk=duty.pk)
    create = {
        "standard": city["standards"]["field"].pk,
        "lead_unit": city["units"]["a"].pk,
        "task": "新",
        "method": "field",
    }
    assert client.post(URL, create, content_type="application/json").status_code == 403
    assert client.patch(f"{URL}{duty.pk}/", {"task": "改"}, content_type="application/json").status_code == 403
    assert client.delete(f"{URL}{duty.pk}/").status_code == 403
    assert client.post(f"{URL}{duty.pk}/done/").status_code == 403
    assert Responsibility.objects.count() == 2
    assert Responsibility.objects.values().get(pk=duty.pk) == before


def test_office_writes_through_the_services(client, city, duties):
    _as(client, city, "office")
    data = {
        "standard": city["standards"]["both"].pk,
        "lead_unit": city["units"]["c"].pk,
        "units": [city["units"]["a"].pk, city["units"]["b"].pk],
        "task": "接口新建",
        "method": "material",
        "deadline": "2026-06-30",
    }
    response = client.post(URL, data, content_type="application/json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["material_required"] == 0
    duty = Responsibility.objects.get(pk=pk)
    assert duty.history.first().history_user == city["users"]["office"]
    response = client.patch(f"{URL}{pk}/", {"deadline": None, "units": []}, content_type="application/json")
    assert response.status_code == 200 and response.json()["deadline"] is None and response.json()["units"] == []
    assert client.post(f"{URL}{pk}/done/").json()["is_done"] is True
    assert client.post(f"{URL}{pk}/done/").status_code == 409
    assert client.post(f"{URL}{pk}/reopen/").json()["is_done"] is False
    assert client.post(f"{URL}{pk}/reopen/").status_code == 409
    assert client.delete(f"{URL}{pk}/").status_code == 204
    assert not Responsibility.objects.filter(pk=pk).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"standard": "content"}, "standard"),
        ({"standard": 999999}, "standard"),
        ({"method": "material"}, "method"),  # not a method of the field-only standard
        ({"method": "dance"}, "method"),
        ({"task": ""}, "task"),
        ({"task": "   "}, "task"),
        ({"lead_unit": 999999}, "lead_unit"),
        ({"units": [999999]}, "units"),
        ({"deadline": "明天"}, "deadline"),
        ({"deadline": "0001-01-01"}, "deadline"),
    ],
)
def test_bad_input_is_400_with_a_field_message(client, city, duties, change, field):
    _as(client, city, "office")
    data = {
        "standard": city["standards"]["field"].pk,
        "lead_unit": city["units"]["a"].pk,
        "task": "t",
        "method": "field",
    }
    if change.get("standard") == "content":
        change = {"standard": city["content"].pk}
    response = client.post(URL, {**data, **change}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert field in response.json()
    assert Responsibility.objects.count() == 2
    response = client.patch(f"{URL}{duties['a'].pk}/", change, content_type="application/json")
    assert response.status_code == 400 and field in response.json()


def test_schema_documents_the_responsibilities(client, city):
    _as(client, city, "office")
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/responsibilities/" in schema and "/api/v1/responsibilities/{id}/done/" in schema
