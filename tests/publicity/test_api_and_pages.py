from io import BytesIO

import pytest
from openpyxl import load_workbook

from inspections.models import Ticket
from publicity.models import Asset
from tests.volunteers.builders import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units(vcity, make_asset):
    a1 = make_asset(site=vcity.site_a, theme="甲单位的公益广告")
    a2 = make_asset(site=vcity.site_a, kind="flag", theme="甲单位的迎风旗")
    b1 = make_asset(site=vcity.site_b, kind="bulletin_board", theme="乙单位的宣传栏")
    return a1, a2, b1


def test_unit_liaison_sees_only_its_unit_everywhere(client, vcity, two_units):
    a1, a2, b1 = two_units
    client.force_login(vcity.unit)
    html = client.get("/publicity/assets/").content.decode()
    assert "甲单位的公益广告" in html and "乙单位的宣传栏" not in html
    codes = [row["code"] for row in client.get("/api/v1/publicity-assets/").json()["results"]]
    assert sorted(codes) == sorted([a1.code, a2.code])
    sheet = load_workbook(BytesIO(client.get("/publicity/assets/export.xlsx").content)).active
    assert sorted(r[0] for r in list(sheet.iter_rows(values_only=True))[1:]) == sorted([a1.code, a2.code])
    features = client.get("/publicity/assets/map.geojson").json()["features"]
    assert sorted(f["properties"]["code"] for f in features) == sorted([a1.code, a2.code])
    assert client.get(f"/publicity/assets/{b1.pk}/").status_code == 404
    assert client.get(f"/api/v1/publicity-assets/{b1.pk}/").status_code == 404
    client.force_login(vcity.leader)
    assert client.get("/api/v1/publicity-assets/").json()["count"] == 3


def test_api_check_with_photos_raises_then_joins(client, vcity, two_units):
    a1, a2, b1 = two_units
    client.force_login(vcity.unit)
    response = client.post(
        "/api/v1/asset-checks/",
        {"asset": a1.pk, "condition": "damaged", "note": "被风刮坏", "photos": [jpeg("a.jpg"), jpeg("b.jpg")]},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["raised_ticket"] and body["ticket_number"] and len(body["photos"]) == 2
    again = client.post("/api/v1/asset-checks/", {"asset": a1.pk, "condition": "damaged"})
    assert again.json()["ticket"] == body["ticket"] and not again.json()["raised_ticket"]
    assert Ticket.objects.count() == 1
    other = client.post("/api/v1/asset-checks/", {"asset": b1.pk, "condition": "damaged"})
    assert other.status_code == 400 and "asset" in other.json()
    bad = client.post("/api/v1/asset-checks/", {"asset": a2.pk, "condition": "broken"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "condition" in bad.json()
    listed = client.get("/api/v1/asset-checks/").json()
    assert listed["count"] == 2
    client.force_login(vcity.leader)
    assert client.post("/api/v1/asset-checks/", {"asset": a2.pk, "condition": "good"}).status_code == 403


def test_phone_check_page_walks_the_route(client, vcity, two_units):
    a1, a2, b1 = two_units
    client.force_login(vcity.unit)
    page = client.get("/publicity/check/").content.decode()
    assert a1.code in page and "还剩 2 处" in page
    client.post("/publicity/check/", {"action": "skip", "asset": a1.pk, "days": 30})
    page = client.get("/publicity/check/?days=30").content.decode()
    assert a2.code in page and a1.code not in page
    response = client.post(
        "/publicity/check/",
        {
            "action": "record",
            "asset": a2.pk,
            "condition": "missing",
            "note": "旗帜丢失",
            "days": 30,
            "photos": [jpeg()],
        },
    )
    assert response.status_code == 302
    a2.refresh_from_db()
    assert a2.condition == "missing" and a2.open_ticket is not None
    page = client.get(response["Location"]).content.decode()
    assert "已向责任单位立案" in page and "都已检查完毕" in page
    client.post("/publicity/check/", {"action": "restart", "days": 30})
    assert a1.code in client.get("/publicity/check/").content.decode()
    # Another unit's asset cannot be checked by id.
    response = client.post("/publicity/check/", {"action": "record", "asset": b1.pk, "condition": "damaged"})
    assert response.status_code == 404
    client.force_login(vcity.leader)
    assert client.get("/publicity/check/").status_code == 403


def test_asset_detail_shows_checks_and_tickets(client, vcity, two_units):
    from publicity.services import asset_check_record

    a1 = two_units[0]
    ticket = asset_check_record(actor=vcity.supervisor, asset=a1, condition="damaged", note="边角破损").ticket
    client.force_login(vcity.office)
    html = client.get(f"/publicity/assets/{a1.pk}/").content.decode()
    assert ticket.number in html and "边角破损" in html and "破损" in html
    for url in (
        "/publicity/assets/map/",
        "/publicity/posts/",
        "/publicity/printed/",
        "/publicity/events/",
        "/publicity/figures/",
        "/publicity/assets/new/",
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        "/publicity/assets/new/",
        {
            "kind": "poster",
            "theme": "文明出行",
            "lat": "40.1",
            "lng": "113.3",
            "address": "东街",
            "region": vcity.street_a.pk,
            "unit": vcity.unit_b.pk,
            "quantity": "20",
        },
    )
    assert response.status_code == 302 and Asset.objects.filter(theme="文明出行", quantity=20).exists()
