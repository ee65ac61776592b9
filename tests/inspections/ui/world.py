"""A small city for the ticket-page tests, built through the services as the app builds it.

Two districts (A with a street under it, B), a unit in each, a site in each, one problem category, and the
five demo roles: office, a supervisor whose group covers district A, the liaisons of both units, a leader."""

from io import BytesIO
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.roles import Role


def jpeg_bytes(colour=(200, 40, 40), size=(64, 48)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def jpeg_upload(name="photo.jpg", colour=(200, 40, 40)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(colour), content_type="image/jpeg")


def build_world(make_user):
    from datetime import date

    from campaign.models import Campaign, CommandBody, Region, Unit
    from campaign.services import command_body_create, membership_add, person_create, region_create, unit_create
    from inspections.models import Category
    from inspections.sites.services import category_save, site_save, site_type_save

    office = make_user("office", Role.OFFICE, first_name="王", last_name="")
    city = region_create(actor=office, name="大同市", code="C1", level=Region.Level.CITY)
    district_a = region_create(actor=office, name="平城区", code="D-A", level=Region.Level.DISTRICT, parent=city)
    street_a = region_create(actor=office, name="南关街道", code="S-A1", level=Region.Level.STREET, parent=district_a)
    district_b = region_create(actor=office, name="云冈区", code="D-B", level=Region.Level.DISTRICT, parent=city)
    unit_a = unit_create(actor=office, name="南关街道办事处", code="U-A", kind=Unit.Kind.STREET_OFFICE, region=street_a)
    unit_b = unit_create(actor=office, name="云冈区城管局", code="U-B", kind=Unit.Kind.DEPARTMENT, region=district_b)

    supervisor = make_user("supervisor", Role.SUPERVISOR)
    unit_user = make_user("unit", Role.UNIT, unit=unit_a)
    unit2_user = make_user("unit2", Role.UNIT, unit=unit_b)
    leader = make_user("leader", Role.LEADER)

    campaign = Campaign.objects.create(name="2026 创建全国文明城市", start_date=date(2026, 1, 1))
    hq = command_body_create(actor=office, campaign=campaign, name="指挥部", kind=CommandBody.Kind.HEADQUARTERS)
    group = command_body_create(
        actor=office,
        campaign=campaign,
        name="第一督导组",
        kind=CommandBody.Kind.SUPERVISION_GROUP,
        parent=hq,
        regions=[district_a],
    )
    membership_add(actor=office, body=group, person=person_create(actor=office, name="李督导", user=supervisor))

    market = site_type_save(actor=office, name="农贸市场", code="market")
    category = category_save(
        actor=office,
        name="占道经营",
        code="road-occupying",
        group=Category.Group.ENFORCEMENT,
        severity=Category.Severity.MEDIUM,
        deadline_working_days=3,
    )
    other_category = category_save(
        actor=office,
        name="垃圾未清运",
        code="garbage",
        group=Category.Group.CLEANUP,
        severity=Category.Severity.HIGH,
        deadline_working_days=1,
    )
    site_a = site_save(
        actor=office,
        name="南关农贸市场",
        code="SITE-A",
        site_type=market,
        region=street_a,
        unit=unit_a,
        address="南关南街 12 号",
        lat=40.0768,
        lng=113.3001,
    )
    site_b = site_save(
        actor=office,
        name="云冈农贸市场",
        code="SITE-B",
        site_type=market,
        region=district_b,
        unit=unit_b,
        address="云冈路 8 号",
        lat=40.1100,
        lng=113.1300,
    )
    return SimpleNamespace(
        city=city,
        district_a=district_a,
        street_a=street_a,
        district_b=district_b,
        unit_a=unit_a,
        unit_b=unit_b,
        office=office,
        supervisor=supervisor,
        unit=unit_user,
        unit2=unit2_user,
        leader=leader,
        category=category,
        other_category=other_category,
        site_a=site_a,
        site_b=site_b,
        site_type=market,
    )


def report(world, *, site=None, actor=None, description="市场门口占道经营，摊位堵塞人行道", category=None, photos=1):
    from core.registry import is_visible
    from inspections.models import Site, Ticket
    from inspections.tickets.services import ticket_report

    site = site or world.site_a
    if actor is None:  # the supervisor where they may report (their district), the office elsewhere
        actor = world.supervisor if is_visible(Site, world.supervisor, site.pk) else world.office
    return ticket_report(
        actor=actor,
        category=category or world.category,
        description=description,
        source=Ticket.Source.PATROL,
        site=site,
        photos=[jpeg_upload(f"before-{i}.jpg") for i in range(photos)],
    )


def dispatched(world, *, site=None, deadline=None, **kwargs):
    from inspections.tickets.services import ticket_dispatch

    site = site or world.site_a
    ticket = report(world, site=site, **kwargs)
    return ticket_dispatch(actor=world.office, ticket=ticket, unit=site.unit, deadline=deadline)


def rectifying(world, **kwargs):
    from inspections.tickets.services import ticket_sign

    ticket = dispatched(world, **kwargs)
    user = world.unit if ticket.unit_id == world.unit_a.pk else world.unit2
    return ticket_sign(actor=user, ticket=ticket)


def submitted(world, **kwargs):
    from inspections.tickets.services import ticket_submit

    ticket = rectifying(world, **kwargs)
    user = world.unit if ticket.unit_id == world.unit_a.pk else world.unit2
    return ticket_submit(actor=user, ticket=ticket, note="已清理摊位", photos=[jpeg_upload("after.jpg", (40, 160, 40))])
