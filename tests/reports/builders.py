"""Hand-built data for the bulletin tests: tickets created directly as rows with known dates and states."""

import io
from datetime import date, datetime, time, timedelta
from itertools import count

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

_serial = count(1)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def png(colour=(200, 30, 30)) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (160, 120), colour).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="photo.png")


class City:
    """A district with two streets (each with a community), three units, two categories, four sites."""

    def __init__(self):
        from campaign.models import Campaign, Region, Unit
        from campaign.services import region_create
        from core.roles import Role
        from core.scope import Scope
        from inspections.models import Category, Site, SiteType

        # No user of the city's is the office here: its command structure is loaded by an office scope (no row
        # of history names anybody; the tests make their own users).
        loader = Scope(role=Role.OFFICE, is_authenticated=True, region_ids=None, read_only=False, label="test data")

        self.district = region_create(actor=loader, name="新城区", code="R-D", level=Region.Level.DISTRICT)
        self.street_a = region_create(
            actor=loader, name="西一路街道", code="R-SA", level=Region.Level.STREET, parent=self.district
        )
        self.street_b = region_create(
            actor=loader, name="长乐中路街道", code="R-SB", level=Region.Level.STREET, parent=self.district
        )
        self.community_a = region_create(
            actor=loader, name="东新社区", code="R-CA", level=Region.Level.COMMUNITY, parent=self.street_a
        )
        self.community_b = region_create(
            actor=loader, name="韩森寨社区", code="R-CB", level=Region.Level.COMMUNITY, parent=self.street_b
        )
        self.campaign = Campaign.objects.create(name="2026 创建全国文明城市", start_date=date(2026, 1, 1))
        self.unit_a = Unit.objects.create(name="城管局", code="U-A", kind="department", region=self.district)
        self.unit_b = Unit.objects.create(name="西一路街道办", code="U-B", kind="street_office", region=self.street_a)
        self.unit_c = Unit.objects.create(name="交通局", code="U-C", kind="department", region=self.district)
        self.market = SiteType.objects.create(name="农贸市场", code="market")
        self.alley = SiteType.objects.create(name="背街小巷", code="alley")
        self.cat_litter = Category.objects.create(name="垃圾未清运", code="litter", group="cleanup")
        self.cat_bikes = Category.objects.create(name="共享单车乱停放", code="bikes", group="everyday")
        self.site_1 = Site.objects.create(
            name="康乐市场",
            code="S-1",
            site_type=self.market,
            region=self.community_a,
            unit=self.unit_a,
            is_key=True,
            lat=40.07,
            lng=113.30,
        )
        self.site_2 = Site.objects.create(
            name="东新街",
            code="S-2",
            site_type=self.alley,
            region=self.community_a,
            unit=self.unit_b,
            lat=40.08,
            lng=113.31,
        )
        self.site_3 = Site.objects.create(
            name="韩森路",
            code="S-3",
            site_type=self.alley,
            region=self.community_b,
            unit=self.unit_c,
            lat=40.09,
            lng=113.32,
        )
        self.site_4 = Site.objects.create(
            name="幸福市场",
            code="S-4",
            site_type=self.market,
            region=self.community_b,
            unit=self.unit_c,
            is_key=True,
            lat=40.06,
            lng=113.29,
        )

    def ticket(
        self,
        *,
        site,
        created: date,
        category=None,
        status="dispatched",
        closed: date | None = None,
        deadline: date | None = None,
        on_time=None,
        rework=0,
        recurrence_of=None,
        extension=0,
        severity="medium",
        escalation=0,
    ):
        from inspections.models import Ticket

        n = next(_serial)
        return Ticket.objects.create(
            number=f"T{created.year}-{n:06d}",
            site=site,
            category=category or self.cat_litter,
            description=f"问题描述 {n}",
            severity=severity,
            source="patrol",
            status=status,
            region=site.region,
            unit=site.unit,
            deadline=deadline or created + timedelta(days=3),
            created_at=at(created),
            closed_at=at(closed, 16) if closed else None,
            closed_on_time=on_time,
            rework_count=rework,
            extension_count=extension,
            is_recurrence=recurrence_of is not None,
            recurrence_of=recurrence_of,
            escalation=escalation,
            dispatched_at=at(created, 11),
        )

    def photos(self, ticket, *, before=(200, 30, 30), after=(30, 160, 60)):
        from inspections.models import TicketPhoto

        for kind, colour in (("before", before), ("after", after)):
            photo = TicketPhoto(ticket=ticket, kind=kind)
            photo.image.save(f"{ticket.number}-{kind}.png", png(colour), save=False)
            photo.save()

    def visit(self, *, site, user, day: date, too_far=False):
        from inspections.models import Patrol, PatrolVisit

        patrol = Patrol.objects.create(kind="leader_split", leader=user, started_at=at(day, 9))
        return PatrolVisit.objects.create(
            patrol=patrol, site=site, visitor=user, checked_in_at=at(day, 9), too_far=too_far
        )

    def leader(self, *, user, name="王副区长", rank="district_leader", region=None, site=None, required=2):
        from campaign.models import Assignment, Person

        person = Person.objects.create(name=name, user=user, rank=rank)
        Assignment.objects.create(
            campaign=self.campaign,
            person=person,
            region=region,
            site=site,
            required_visits_per_week=required,
            start_date=date(2026, 1, 1),
        )
        return person

    def order(self, ticket, *, level, issued: date, days_overdue=2):
        from inspections.models import SupervisionOrder

        return SupervisionOrder.objects.create(
            ticket=ticket,
            level=level,
            number=f"DB-{ticket.number}-{level}",
            days_overdue=days_overdue,
            issued_at=at(issued, 8),
        )
