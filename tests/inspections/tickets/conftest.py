"""A small city for the ticket engine's tests: two streets, two units, sites in each, the five roles."""

from dataclasses import dataclass
from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.roles import Role


def jpeg(name="photo.jpg", size=(64, 48), color=(200, 30, 30), fmt="JPEG", content_type="image/jpeg"):
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


@dataclass
class City:
    city: object
    district: object
    street_a: object
    street_b: object
    community_a: object
    unit_a: object
    unit_b: object
    site_type: object
    site_a: object
    site_a2: object
    site_b: object
    category: object
    category_slow: object
    office: object
    supervisor: object
    supervisor_b: object
    unit: object
    unit2: object
    leader: object


@pytest.fixture
def city(db, make_user):
    from campaign.models import Campaign, CommandBody, Membership, Person, Unit
    from campaign.services import region_create
    from inspections.models import Category, Site, SiteType

    office = make_user("office", Role.OFFICE)
    c = region_create(actor=office, name="大同市", code="C", level=1)
    d = region_create(actor=office, name="平城区", code="D", level=2, parent=c)
    sa = region_create(actor=office, name="南关街道", code="SA", level=3, parent=d)
    sb = region_create(actor=office, name="北关街道", code="SB", level=3, parent=d)
    ca = region_create(actor=office, name="南关社区", code="CA", level=4, parent=sa)
    unit_a = Unit.objects.create(name="城管局", code="UA", kind=Unit.Kind.DEPARTMENT, region=d)
    unit_b = Unit.objects.create(name="南关街道办", code="UB", kind=Unit.Kind.STREET_OFFICE, region=sa)
    st = SiteType.objects.create(name="农贸市场", code="market")
    site_a = Site.objects.create(
        name="南关农贸市场", code="S1", site_type=st, region=ca, unit=unit_a, lat=40.07, lng=113.30
    )
    site_a2 = Site.objects.create(
        name="南关小区", code="S2", site_type=st, region=sa, unit=unit_b, lat=40.08, lng=113.31
    )
    site_b = Site.objects.create(
        name="北关市场", code="S3", site_type=st, region=sb, unit=unit_a, lat=40.10, lng=113.35
    )
    cat = Category.objects.create(
        name="占道经营",
        code="road",
        group=Category.Group.ENFORCEMENT,
        severity=Category.Severity.HIGH,
        deadline_working_days=3,
    )
    cat2 = Category.objects.create(
        name="墙面破损",
        code="wall",
        group=Category.Group.ENGINEERING,
        severity=Category.Severity.LOW,
        deadline_working_days=10,
    )
    users = {
        "office": office,
        "supervisor": make_user("supervisor", Role.SUPERVISOR, email="sup@example.org"),
        "supervisor_b": make_user("supervisor_b", Role.SUPERVISOR),
        "unit": make_user("unit", Role.UNIT, unit=unit_a, email="unit@example.org"),
        "unit2": make_user("unit2", Role.UNIT, unit=unit_b),
        "leader": make_user("leader", Role.LEADER),
    }
    campaign = Campaign.objects.create(name="创城", start_date=date(2026, 1, 1))
    for name, user, region in (("督导一组", users["supervisor"], sa), ("督导二组", users["supervisor_b"], sb)):
        body = CommandBody.objects.create(campaign=campaign, name=name, kind=CommandBody.Kind.SUPERVISION_GROUP)
        body.regions.add(region)
        Membership.objects.create(body=body, person=Person.objects.create(name=name + "员", user=user))
    return City(c, d, sa, sb, ca, unit_a, unit_b, st, site_a, site_a2, site_b, cat, cat2, **users)


@pytest.fixture
def report(city):
    """Report a ticket at site_a (street A, unit A) as the supervisor, through the service; at site_b (street B)
    as the supervisor of street B (a report names only a site in the reporter's scope)."""
    from inspections.tickets.services import ticket_report

    def _report(site=None, category=None, actor=None, **extra):
        default_actor = city.supervisor_b if site is not None and site.pk == city.site_b.pk else city.supervisor
        return ticket_report(
            actor=actor or default_actor,
            category=category or city.category,
            description=extra.pop("description", "摊贩占道经营"),
            source=extra.pop("source", "patrol"),
            site=site or city.site_a,
            **extra,
        )

    return _report


@pytest.fixture
def advance(city, report):
    """Bring a new ticket to a given status through the services."""
    from inspections.tickets import services

    def _advance(status, site=None):
        ticket = report(site=site)
        if status == "reported":
            return ticket
        if status == "invalid":
            return services.ticket_invalidate(actor=city.office, ticket=ticket, reason="重复")
        ticket = services.ticket_dispatch(actor=city.office, ticket=ticket, unit=(site or city.site_a).unit)
        if status == "dispatched":
            return ticket
        unit_user = city.unit if ticket.unit_id == city.unit_a.pk else city.unit2
        ticket = services.ticket_sign(actor=unit_user, ticket=ticket)
        if status == "rectifying":
            return ticket
        ticket = services.ticket_submit(actor=unit_user, ticket=ticket, note="已清理", photos=[jpeg("after.jpg")])
        if status == "submitted":
            return ticket
        assert status == "closed", status
        return services.ticket_verify(actor=city.office, ticket=ticket, approved=True)

    return _advance
