"""Issue 9, finding 10: sites, site types and problem categories keep a change history that names who made each
change, whether through a page, the API with a token (no session for simple_history's middleware to read) or an
import; the office reads it on the detail and edit pages."""

import pytest
from django.urls import reverse

from inspections.models import Category, Site, SiteType
from inspections.sites import services

from .conftest import xlsx

pytestmark = pytest.mark.django_db


def token_client(client, username="office"):
    response = client.post("/api/v1/auth/token/", {"username": username, "password": "demo-pass-2024"})
    token = response.json()["token"]
    return {"HTTP_AUTHORIZATION": f"Token {token}", "content_type": "application/json"}


def test_site_changes_through_the_api_name_the_token_user(client, district):
    headers = token_client(client)
    response = client.patch(f"/api/v1/sites/{district.site_a.pk}/", {"name": "南关新市场", "is_key": True}, **headers)
    assert response.status_code == 200, response.content
    record = Site.history.filter(id=district.site_a.pk).latest()
    assert record.history_type == "~" and record.name == "南关新市场" and record.history_user == district.office


def test_category_and_site_type_changes_through_the_api_name_the_token_user(client, district):
    headers = token_client(client)
    response = client.patch(f"/api/v1/categories/{district.category.pk}/", {"deadline_working_days": 5}, **headers)
    assert response.status_code == 200, response.content
    record = Category.history.filter(id=district.category.pk).latest()
    assert record.deadline_working_days == 5 and record.history_user == district.office
    response = client.patch(f"/api/v1/site-types/{district.market.pk}/", {"sort_order": 42}, **headers)
    assert response.status_code == 200, response.content
    record = SiteType.history.filter(id=district.market.pk).latest()
    assert record.sort_order == 42 and record.history_user == district.office


def test_services_and_import_record_the_actor(district):
    site_type = services.site_type_save(actor=district.office, name="广场", code="square")
    assert site_type.history.get().history_user == district.office
    category = services.category_save(
        actor=district.office, name="乱贴", code="posters", group="cleanup", severity="low", deadline_working_days=2
    )
    assert category.history.get().history_type == "+"
    assert category.history.get().history_user == district.office
    upload = xlsx(
        ["点位编码", "点位名称", "点位类型", "所属区域", "责任单位"],
        [["S-A", "改名市场", "farmers_market", "CA", "UA"], ["S-N", "新点位", "main_road", "CB", "UB"]],
    )
    result = services.site_import(actor=district.office, file=upload)
    assert result.ok, result.errors
    changed = Site.history.filter(id=district.site_a.pk).latest()
    assert changed.history_type == "~" and changed.name == "改名市场" and changed.history_user == district.office
    created = Site.history.get(code="S-N")
    assert created.history_type == "+" and created.history_user == district.office


def test_reference_data_load_records_created_rows():
    services.reference_data_load()
    assert SiteType.objects.count() and SiteType.history.count() == SiteType.objects.count()
    assert Category.history.count() == Category.objects.count()


def test_office_sees_the_history_on_the_pages_others_do_not(client, district):
    site = district.site_a
    services.site_save(
        actor=district.office,
        site=site,
        name="南关农贸大市场",
        code=site.code,
        site_type=site.site_type,
        region=site.region,
        unit=site.unit,
        address=site.address,
        lat=site.lat,
        lng=site.lng,
    )
    client.force_login(district.office)
    page = client.get(reverse("inspections:site_detail", args=[site.pk])).content.decode()
    assert 'id="history"' in page and "南关农贸大市场" in page and "office" in page
    for name, pk in (
        ("inspections:site_type_edit", district.market.pk),
        ("inspections:category_edit", district.category.pk),
    ):
        assert 'id="history"' in client.get(reverse(name, args=[pk])).content.decode()
    client.force_login(district.unit)
    page = client.get(reverse("inspections:site_detail", args=[district.site_b.pk]))
    assert page.status_code == 200 and 'id="history"' not in page.content.decode()
    client.force_login(district.leader)
    assert 'id="history"' not in client.get(reverse("inspections:site_detail", args=[site.pk])).content.decode()
