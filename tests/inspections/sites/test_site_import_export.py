from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inspections.models import Site
from inspections.sites.services import site_import

from .conftest import xlsx

pytestmark = pytest.mark.django_db

HEADERS = ["点位编码", "点位名称", "点位类型", "所属区域", "责任单位", "地址", "纬度", "经度", "重点点位"]


def test_clean_sheet_creates_and_updates_sites(district):
    rows = [
        ["S-A", "南关农贸市场（改名）", "农贸市场", "CA", "UA", "南关南街2号", 40.0768, 113.3001, "是"],
        ["S-C", "和阳街", "main_road", "南关社区", "城管局", "", None, None, "否"],
    ]
    result = site_import(actor=district.office, file=xlsx(HEADERS, rows))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (1, 1)
    district.site_a.refresh_from_db()
    assert (
        district.site_a.name == "南关农贸市场（改名）"
        and district.site_a.is_key
        and district.site_a.address == "南关南街2号"
    )
    new = Site.objects.get(code="S-C")
    assert new.site_type == district.road and new.region == district.community_a and new.unit == district.unit_a
    assert new.lat is None and not new.is_key


def test_bad_rows_are_reported_and_nothing_changes(district):
    from campaign.models import Unit

    Unit.objects.create(
        name="城管局", code="UA2", kind=Unit.Kind.DEPARTMENT, region=district.district
    )  # a second 城管局
    rows = [
        ["S-N1", "好的一行", "农贸市场", "CA", "UA", "", 40.07, 113.30, "否"],  # row 2: fine
        ["S-N2", "", "农贸市场", "CA", "UA", "", None, None, ""],  # row 3: no name
        ["S-N3", "类型错", "宇宙飞船", "CA", "UA", "", None, None, ""],  # row 4: type
        ["S-N4", "纬度错", "农贸市场", "CA", "UA", "", 140, 113.3, ""],  # row 5: latitude range
        ["S-N5", "只有纬度", "农贸市场", "CA", "UA", "", 40.1, None, ""],  # row 6: one coordinate
        ["S-N1", "重复", "农贸市场", "CA", "UA", "", None, None, ""],  # row 7: duplicate code
        ["S-N6", "单位重名", "农贸市场", "CA", "城管局", "", None, None, ""],  # row 8: ambiguous unit
        ["S-N7", "重点不明", "农贸市场", "XX", "UA", "", None, None, "也许"],  # row 9: region and key flag
    ]
    before = list(Site.objects.order_by("pk").values_list("code", "name"))
    result = site_import(actor=district.office, file=xlsx(HEADERS, rows))
    assert not result.ok
    rows_with_errors = sorted({e.row for e in result.errors})
    assert rows_with_errors == [3, 4, 5, 6, 7, 8, 9]
    by_row = {}
    for e in result.errors:
        by_row.setdefault(e.row, []).append(e.message)
    assert any("宇宙飞船" in m for m in by_row[4])
    assert any("XX" in m for m in by_row[9]) and any("也许" in m for m in by_row[9])
    assert list(Site.objects.order_by("pk").values_list("code", "name")) == before


def test_export_then_import_round_trip(client, district):
    client.force_login(district.office)
    response = client.get(reverse("inspections:site_export"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][:9]) == HEADERS
    assert [r[0] for r in rows[1:]] == ["S-A", "S-B"]
    # Edit the exported ledger and bring it back through the import page.
    from openpyxl import Workbook

    workbook = Workbook()
    out = workbook.active
    for i, row in enumerate(rows):
        row = list(row)
        if i == 2:
            row[1] = "北关大街（东段）"
        out.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("sites.xlsx", buffer.getvalue())
    response = client.post(reverse("inspections:site_import"), {"file": upload})
    assert response.status_code == 302
    assert Site.objects.get(code="S-B").name == "北关大街（东段）"


def test_export_follows_the_filters_and_scope(client, district):
    client.force_login(district.office)
    response = client.get(reverse("inspections:site_export"), {"region": district.street_b.pk})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["S-B"]
    client.force_login(district.supervisor)  # scope: 南关街道 only
    rows = list(
        load_workbook(BytesIO(client.get(reverse("inspections:site_export")).content)).active.iter_rows(
            values_only=True
        )
    )
    assert [r[0] for r in rows[1:]] == ["S-A"]


def test_import_page_is_for_the_office(client, district):
    client.force_login(district.supervisor)
    assert client.get(reverse("inspections:site_import")).status_code == 403
    client.force_login(district.office)
    response = client.post(
        reverse("inspections:site_import"), {"file": xlsx(HEADERS, [["S-Z", "", "农贸市场", "CA", "UA"]])}
    )
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not Site.objects.filter(code="S-Z").exists()
