"""A small city with one file of every kind, built through the services, for the file tests (issue 9, files):
two units with a ticket and a publicity asset each, a fulfilled micro-wish, two leaders with assignments (one with a
responsibility letter) and an unpublished bulletin with its PDF."""

import io
import zipfile
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.roles import Role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), mode="RGB", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color if mode != "1" else 1).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(name="photo.jpg", content=None, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, image_bytes() if content is None else content, content_type=content_type)


def docx_bytes(
    main_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    part="word/document.xml",
    body=b"<w:document/>",
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/{part}" ContentType="{main_type}"/></Types>'
            ).encode(),
        )
        archive.writestr(part, body)
    return buffer.getvalue()


def xlsx_bytes(rows=(("名称", "编码"), ("南关市场", "S9"))) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class World:
    office: object
    unit: object
    unit2: object
    leader: object
    leader2: object
    supervisor: object
    unit_a: object
    unit_b: object
    community: object
    site_a: object
    site_b: object
    category: object
    ticket_a: object
    ticket_b: object
    rectifying_a: object
    asset_a: object
    asset_b: object
    wish: object
    claimed_wish: object
    assignment: object
    assignment2: object
    bulletin: object


@pytest.fixture
def world(db, make_user):
    from campaign.models import Campaign, Person, Unit
    from campaign.services import assignment_create, region_create
    from inspections.models import Category, Site, SiteType
    from inspections.tickets import services as tickets
    from publicity.services import asset_create
    from reports.models import Bulletin
    from reports.services import _pdf_name
    from volunteers import services as volunteers

    office = make_user("office", Role.OFFICE)
    city = region_create(actor=office, name="大同市", code="C", level=1)
    district = region_create(actor=office, name="平城区", code="D", level=2, parent=city)
    street_a = region_create(actor=office, name="南关街道", code="SA", level=3, parent=district)
    street_b = region_create(actor=office, name="北关街道", code="SB", level=3, parent=district)
    community = region_create(actor=office, name="南关社区", code="CA", level=4, parent=street_a)
    unit_a = Unit.objects.create(name="城管局", code="UA", kind=Unit.Kind.DEPARTMENT, region=street_a)
    unit_b = Unit.objects.create(name="北关街道办", code="UB", kind=Unit.Kind.STREET_OFFICE, region=street_b)
    site_type = SiteType.objects.create(name="农贸市场", code="market")
    site_a = Site.objects.create(
        name="南关农贸市场", code="S1", site_type=site_type, region=community, unit=unit_a, lat=40.07, lng=113.30
    )
    site_b = Site.objects.create(
        name="北关市场", code="S3", site_type=site_type, region=street_b, unit=unit_b, lat=40.10, lng=113.35
    )
    category = Category.objects.create(
        name="占道经营",
        code="road",
        group=Category.Group.ENFORCEMENT,
        severity=Category.Severity.HIGH,
        deadline_working_days=3,
    )
    unit = make_user("unit", Role.UNIT, unit=unit_a)
    unit2 = make_user("unit2", Role.UNIT, unit=unit_b)
    leader = make_user("leader", Role.LEADER)
    leader2 = make_user("leader2", Role.LEADER)
    supervisor = make_user("supervisor", Role.SUPERVISOR)

    def ticket_at(site):
        ticket = tickets.ticket_report(
            actor=office,
            category=category,
            description="摊贩占道经营",
            source="patrol",
            site=site,
            photos=[upload("scene.jpg")],
        )
        return tickets.ticket_dispatch(actor=office, ticket=ticket, unit=site.unit)

    ticket_a, ticket_b = ticket_at(site_a), ticket_at(site_b)
    rectifying_a = tickets.ticket_sign(actor=unit, ticket=ticket_at(site_a))
    asset_a = asset_create(actor=office, kind="billboard", theme="讲文明树新风", site=site_a, photos=[upload()])
    asset_b = asset_create(actor=office, kind="billboard", theme="讲文明树新风", site=site_b, photos=[upload()])
    wish = volunteers.microwish_post(actor=office, community=community, resident_name="王大爷", title="修理轮椅")
    wish = volunteers.microwish_claim(actor=unit, wish=wish)
    wish = volunteers.microwish_fulfil(actor=unit, wish=wish, photo=upload("done.png", image_bytes("PNG")))
    claimed_wish = volunteers.microwish_claim(
        actor=unit,
        wish=volunteers.microwish_post(actor=office, community=community, resident_name="李奶奶", title="换灯泡"),
    )
    campaign = Campaign.objects.create(name="创城", start_date=date(2026, 1, 1))
    person = Person.objects.create(name="副区长乙", rank=Person.Rank.DISTRICT_LEADER, user=leader)
    person2 = Person.objects.create(name="副区长丙", rank=Person.Rank.DISTRICT_LEADER, user=leader2)
    assignment = assignment_create(
        actor=office,
        campaign=campaign,
        person=person,
        region=street_a,
        start_date=date(2026, 3, 2),
        responsibility_letter=SimpleUploadedFile("责任书.pdf", PDF),
    )
    assignment2 = assignment_create(
        actor=office, campaign=campaign, person=person2, region=street_b, start_date=date(2026, 3, 2)
    )
    bulletin = Bulletin.objects.create(
        kind=Bulletin.Kind.DAILY,
        period_start=date(2026, 3, 2),
        period_end=date(2026, 3, 2),
        year=2026,
        number=1,
        title="创文日报",
        status=Bulletin.Status.READY,
    )
    bulletin.pdf.save(_pdf_name(bulletin), ContentFile(PDF), save=True)
    return World(
        office,
        unit,
        unit2,
        leader,
        leader2,
        supervisor,
        unit_a,
        unit_b,
        community,
        site_a,
        site_b,
        category,
        ticket_a,
        ticket_b,
        rectifying_a,
        asset_a,
        asset_b,
        wish,
        claimed_wish,
        assignment,
        assignment2,
        bulletin,
    )
