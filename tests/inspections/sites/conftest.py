"""A small district for the site and patrol tests: two streets with a community each, two units, the
default site types and categories, the sample evaluation system, sites with coordinates, the four roles."""

from dataclasses import dataclass
from datetime import date

import pytest

from core.roles import Role
from tests.uploads import jpeg, xlsx  # noqa: F401  (the tests of this folder import them from here)

BASE_LAT, BASE_LNG = 40.0768, 113.3001


def offset(metres_north=0.0, metres_east=0.0, lat=BASE_LAT, lng=BASE_LNG):
    """A point this many metres north/east of (lat, lng) (good to well under a metre at these distances)."""
    import math

    return lat + metres_north / 111_320.0, lng + metres_east / (111_320.0 * math.cos(math.radians(lat)))


@dataclass
class District:
    district: object
    street_a: object
    street_b: object
    community_a: object
    community_b: object
    unit_a: object
    unit_b: object
    market: object
    road: object
    site_a: object
    site_b: object
    category: object
    campaign: object
    office: object
    supervisor: object
    unit: object
    leader: object


@pytest.fixture
def district(db, make_user):
    return build_district(make_user)


def build_district(make_user) -> District:
    from campaign.models import Campaign, CommandBody, Membership, Person, Unit
    from campaign.services import region_create
    from evaluation.services import evaluation_load_sample
    from inspections.models import Category, Site, SiteType
    from inspections.sites.services import reference_data_load

    office = make_user("office", Role.OFFICE)
    city = region_create(actor=office, name="大同市", code="C", level=1)
    d = region_create(actor=office, name="平城区", code="D", level=2, parent=city)
    sa = region_create(actor=office, name="南关街道", code="SA", level=3, parent=d)
    sb = region_create(actor=office, name="北关街道", code="SB", level=3, parent=d)
    ca = region_create(actor=office, name="南关社区", code="CA", level=4, parent=sa)
    cb = region_create(actor=office, name="北关社区", code="CB", level=4, parent=sb)
    unit_a = Unit.objects.create(name="城管局", code="UA", kind=Unit.Kind.DEPARTMENT, region=d)
    unit_b = Unit.objects.create(name="北关社区居委会", code="UB", kind=Unit.Kind.COMMUNITY, region=cb)
    reference_data_load()
    result = evaluation_load_sample(actor=office)
    assert result.ok, result.errors
    market = SiteType.objects.get(code="farmers_market")
    road = SiteType.objects.get(code="main_road")
    site_a = Site.objects.create(
        name="南关农贸市场",
        code="S-A",
        site_type=market,
        region=ca,
        unit=unit_a,
        lat=BASE_LAT,
        lng=BASE_LNG,
        address="南关南街1号",
    )
    lat_b, lng_b = offset(metres_north=3000)
    site_b = Site.objects.create(
        name="北关大街", code="S-B", site_type=road, region=cb, unit=unit_b, lat=lat_b, lng=lng_b
    )
    supervisor = make_user("supervisor", Role.SUPERVISOR)
    unit = make_user("unit", Role.UNIT, unit=unit_b)
    leader = make_user("leader", Role.LEADER)
    campaign = Campaign.objects.create(name="创城", start_date=date(2026, 1, 1))
    body = CommandBody.objects.create(campaign=campaign, name="督导一组", kind=CommandBody.Kind.SUPERVISION_GROUP)
    body.regions.add(sa)
    Membership.objects.create(body=body, person=Person.objects.create(name="督导员甲", user=supervisor))
    return District(
        d,
        sa,
        sb,
        ca,
        cb,
        unit_a,
        unit_b,
        market,
        road,
        site_a,
        site_b,
        Category.objects.get(code="ground"),
        campaign,
        office,
        supervisor,
        unit,
        leader,
    )
