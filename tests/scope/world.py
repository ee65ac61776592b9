"""The matrix's city: two districts, rows of every model in and out of each role's scope, built through services.

    district 平城区 (D) ── street 南关 (SA) ── community 南关社区 (CA)
                       └─ street 北关 (SB)
    district 云冈区 (D2) ── street 口泉 (SC)

    unit  = liaison of 城管局 (unit_a, region D: reads every site under D, owns its own tickets only)
    unit2 = liaison of 南关街道办 (unit_b, region SA)
    supervisor: a member of 督导一组, which covers SA
    norole: signed in, role ""

Sites: S1 (CA, unit_a), S2 (SB, unit_b), S3 (SC, unit_c), S4 (SB, unit_a).
Tickets (all dispatched, with a before photo): at S1 → unit_a, at S2 → unit_b, at S3 → unit_c, at S4 → unit_a, and one
raised by a damaged-asset check at S1 and dispatched to unit_b (so unit_a's asset lists a ticket unit_a may not see).
Assets: at S1 (unit_a), S2 (unit_b), S3 (unit_c). Bulletins: one weekly published, one monthly not published.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from core.roles import Role

PASSWORD = "demo-pass-2024"
ROLES = ("office", "supervisor", "unit", "unit2", "leader", "norole")


def jpeg(name="photo.jpg", color=(200, 30, 30)):
    buffer = BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)  # model label → [rows]
    refs: dict = field(default_factory=dict)


def module(*candidates):
    """The first module that imports: the inspections split (issue 10) moves modules while these tests live."""
    from importlib import import_module

    for name in candidates:
        try:
            return import_module(name)
        except ModuleNotFoundError:
            continue
    raise ModuleNotFoundError(candidates[0])


def _user(username, role, unit=None):
    from core.models import User

    user = User(username=username, role=role, unit=unit)
    user.set_password(PASSWORD)
    user.save()
    return user


def build_world() -> World:
    from campaign.models import Campaign, CommandBody, Membership, Person, Region, Unit
    from campaign.services import region_create

    tickets = module("inspections.tickets.services", "inspections.services")
    from inspections.models import Category, Site, SiteType, Ticket
    from publicity.models import Asset
    from publicity.services import asset_check_record, asset_create
    from reports import services as bulletins
    from reports.models import Bulletin

    w = World()
    c = region_create(name="大同市", code="C", level=Region.Level.CITY if hasattr(Region.Level, "CITY") else 1)
    d = region_create(name="平城区", code="D", level=2, parent=c)
    d2 = region_create(name="云冈区", code="D2", level=2, parent=c)
    sa = region_create(name="南关街道", code="SA", level=3, parent=d)
    sb = region_create(name="北关街道", code="SB", level=3, parent=d)
    sc = region_create(name="口泉街道", code="SC", level=3, parent=d2)
    ca = region_create(name="南关社区", code="CA", level=4, parent=sa)
    unit_a = Unit.objects.create(name="城管局", code="UA", kind=Unit.Kind.DEPARTMENT, region=d)
    unit_b = Unit.objects.create(name="南关街道办", code="UB", kind=Unit.Kind.STREET_OFFICE, region=sa)
    unit_c = Unit.objects.create(name="云冈交通局", code="UC", kind=Unit.Kind.DEPARTMENT, region=d2)
    users = {
        "office": _user("office", Role.OFFICE),
        "supervisor": _user("supervisor", Role.SUPERVISOR),
        "unit": _user("unit", Role.UNIT, unit=unit_a),
        "unit2": _user("unit2", Role.UNIT, unit=unit_b),
        "leader": _user("leader", Role.LEADER),
        "norole": _user("norole", ""),
    }
    campaign = Campaign.objects.create(name="创城", start_date=date(2026, 1, 1))
    body = CommandBody.objects.create(campaign=campaign, name="督导一组", kind=CommandBody.Kind.SUPERVISION_GROUP)
    body.regions.add(sa)
    Membership.objects.create(body=body, person=Person.objects.create(name="督导员", user=users["supervisor"]))

    market = SiteType.objects.create(name="农贸市场", code="market")
    sites = [
        Site.objects.create(
            name="南关农贸市场", code="S1", site_type=market, region=ca, unit=unit_a, lat=40.07, lng=113.30
        ),
        Site.objects.create(
            name="北关市场", code="S2", site_type=market, region=sb, unit=unit_b, lat=40.10, lng=113.35
        ),
        Site.objects.create(
            name="口泉市场", code="S3", site_type=market, region=sc, unit=unit_c, lat=40.00, lng=113.10
        ),
        Site.objects.create(
            name="北关背街", code="S4", site_type=market, region=sb, unit=unit_a, lat=40.11, lng=113.36
        ),
    ]
    litter = Category.objects.create(name="垃圾未清运", code="litter", group="cleanup")
    office = users["office"]
    ticket_rows = []
    for site in sites:
        ticket = tickets.ticket_report(
            actor=office, category=litter, description=f"{site.code} 垃圾", source="patrol", site=site, photos=[jpeg()]
        )
        ticket_rows.append(tickets.ticket_dispatch(actor=office, ticket=ticket, unit=site.unit))

    asset_rows = [asset_create(actor=office, kind="public_ad", theme="讲文明 树新风", site=site) for site in sites[:3]]
    check = asset_check_record(actor=office, asset=asset_rows[0], condition="damaged", note="破损", photos=[jpeg()])
    raised = Ticket.objects.get(pk=check.ticket_id)
    # Dispatched to another unit than the asset's: unit_a's liaison sees the asset, not this ticket.
    raised = tickets.ticket_dispatch(actor=office, ticket=raised, unit=unit_b)
    ticket_rows.append(raised)

    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday() + 7)
    published = bulletins.bulletin_request(actor=office, kind="weekly", period_start=monday)
    bulletins.bulletin_generate(bulletin_id=published.pk)
    published = bulletins.bulletin_publish(actor=office, bulletin=Bulletin.objects.get(pk=published.pk))
    draft = bulletins.bulletin_request(
        actor=office, kind="monthly", period_start=today.replace(day=1) - timedelta(days=1)
    )
    bulletins.bulletin_generate(bulletin_id=draft.pk)

    w.users = users
    w.rows = {
        "inspections.Ticket": ticket_rows,
        "inspections.Site": sites,
        "publicity.Asset": list(Asset.objects.filter(pk__in=[a.pk for a in asset_rows])),
        "reports.Bulletin": list(Bulletin.objects.filter(pk__in=[published.pk, draft.pk])),
    }
    w.refs = {
        "regions": {"d": d, "d2": d2, "sa": sa, "sb": sb, "sc": sc, "ca": ca},
        "units": {"a": unit_a, "b": unit_b, "c": unit_c},
        "category": litter,
        "sites": sites,
    }
    return w
