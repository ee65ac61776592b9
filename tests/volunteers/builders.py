"""A small city for the volunteers and publicity tests, built through the services: a district with two streets
and a community, two units (one a civilized unit), three sites, the five roles, three teams."""

from dataclasses import dataclass
from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from core.roles import Role


def jpeg(name="photo.jpg", size=(64, 48), color=(200, 30, 30)):
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def xlsx(rows, headers=("姓名", "性别", "手机号", "身份证号", "所属区域", "党员", "注册日期", "服务队"), name="v.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def valid_id(n: int, birth="19900101") -> str:
    from volunteers.services import id_number_with_checksum

    return id_number_with_checksum(f"140202{birth}{n:03d}")


@dataclass
class VCity:
    district: object
    street_a: object
    street_b: object
    community_a: object
    community_b: object
    unit_a: object
    unit_b: object
    site_a: object
    site_b: object
    office: object
    supervisor: object
    unit: object
    unit2: object
    leader: object
    team_red: object
    team_b: object


@pytest.fixture
def vcity(db, make_user):
    from campaign.models import Campaign, CommandBody, Membership, Person, Unit
    from campaign.services import region_create
    from inspections.models import Site, SiteType
    from volunteers.services import team_create

    office = make_user("office", Role.OFFICE)
    c = region_create(actor=office, name="大同市", code="C", level=1)
    d = region_create(actor=office, name="平城区", code="D", level=2, parent=c)
    sa = region_create(actor=office, name="南关街道", code="SA", level=3, parent=d)
    sb = region_create(actor=office, name="北关街道", code="SB", level=3, parent=d)
    ca = region_create(actor=office, name="南关社区", code="CA", level=4, parent=sa)
    cb = region_create(actor=office, name="北关社区", code="CB", level=4, parent=sb)
    unit_a = Unit.objects.create(
        name="城管局",
        code="UA",
        kind=Unit.Kind.DEPARTMENT,
        region=d,
        civilized_level=Unit.CivilizedLevel.MUNICIPAL,
        civilized_year=2024,
    )
    unit_b = Unit.objects.create(name="南关街道办", code="UB", kind=Unit.Kind.STREET_OFFICE, region=sa)
    st = SiteType.objects.create(name="农贸市场", code="market")
    site_a = Site.objects.create(
        name="南关农贸市场", code="S1", site_type=st, region=ca, unit=unit_a, lat=40.07, lng=113.30
    )
    site_b = Site.objects.create(
        name="北关市场", code="S3", site_type=st, region=sb, unit=unit_b, lat=40.10, lng=113.35
    )
    users = {
        "office": office,
        "supervisor": make_user("supervisor", Role.SUPERVISOR),
        "unit": make_user("unit", Role.UNIT, unit=unit_a),
        "unit2": make_user("unit2", Role.UNIT, unit=unit_b),
        "leader": make_user("leader", Role.LEADER),
    }
    campaign = Campaign.objects.create(name="创城", start_date=date(2026, 1, 1))
    body = CommandBody.objects.create(campaign=campaign, name="督导一组", kind=CommandBody.Kind.SUPERVISION_GROUP)
    body.regions.add(sa)
    Membership.objects.create(body=body, person=Person.objects.create(name="督导员", user=users["supervisor"]))
    team_red = team_create(actor=users["office"], name="红小帽", is_brand=True, unit=unit_a, region=sa)
    team_b = team_create(actor=users["office"], name="北关志愿队", unit=unit_b, region=sb)
    return VCity(d, sa, sb, ca, cb, unit_a, unit_b, site_a, site_b, **users, team_red=team_red, team_b=team_b)


@pytest.fixture
def add_volunteer(vcity):
    from volunteers.services import volunteer_create

    counter = {"n": 0}

    def _add(name=None, *, teams=(), region=None, party=False, registered_on=None, phone=None):
        counter["n"] += 1
        n = counter["n"]
        return volunteer_create(
            actor=vcity.office,
            name=name or f"志愿者{n}",
            gender="female" if n % 2 else "male",
            phone=phone or f"1380000{n:04d}",
            id_number=valid_id(n, birth="19850505"),
            region=region or vcity.street_a,
            is_party_member=party,
            registered_on=registered_on or date(2026, 1, 1),
            teams=teams,
        )

    return _add
