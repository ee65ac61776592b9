"""A small command structure built through the services: city → district → two streets → communities."""

from datetime import date

import pytest

from campaign import services
from campaign.models import Campaign, CommandBody, Membership, Person, Region, Unit
from core.roles import Role
from tests.campaign.actors import OFFICE


@pytest.fixture
def city(db):
    c = services.region_create(actor=OFFICE, name="大同市", code="C", level=Region.Level.CITY)
    d = services.region_create(actor=OFFICE, name="平城区", code="D", level=Region.Level.DISTRICT, parent=c)
    s1 = services.region_create(actor=OFFICE, name="南关街道", code="S1", level=Region.Level.STREET, parent=d)
    s2 = services.region_create(actor=OFFICE, name="北关街道", code="S2", level=Region.Level.STREET, parent=d)
    c1 = services.region_create(actor=OFFICE, name="魏都社区", code="S1C1", level=Region.Level.COMMUNITY, parent=s1)
    c2 = services.region_create(actor=OFFICE, name="太和社区", code="S1C2", level=Region.Level.COMMUNITY, parent=s1)
    c3 = services.region_create(actor=OFFICE, name="华林社区", code="S2C1", level=Region.Level.COMMUNITY, parent=s2)
    g1 = services.region_create(
        actor=OFFICE, name="魏都社区第一网格", code="S1C1G1", level=Region.Level.GRID, parent=c1
    )
    return {"city": c, "district": d, "s1": s1, "s2": s2, "c1": c1, "c2": c2, "c3": c3, "g1": g1}


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(name="2026年创建全国文明城市", start_date=date(2026, 1, 1))


@pytest.fixture
def units(city):
    return {
        "cgj": services.unit_create(
            actor=OFFICE, name="平城区城市管理局", code="BM-001", kind=Unit.Kind.DEPARTMENT, region=city["district"]
        ),
        "ng": services.unit_create(
            actor=OFFICE, name="南关街道办事处", code="JD-001", kind=Unit.Kind.STREET_OFFICE, region=city["s1"]
        ),
        "wd": services.unit_create(
            actor=OFFICE, name="魏都社区居委会", code="SQ-001", kind=Unit.Kind.COMMUNITY, region=city["c1"]
        ),
        "hl": services.unit_create(
            actor=OFFICE, name="华林社区居委会", code="SQ-002", kind=Unit.Kind.COMMUNITY, region=city["c3"]
        ),
    }


@pytest.fixture
def structure(city, campaign, units, make_user):
    """Headquarters, office and one supervision group covering 南关街道, with a supervisor and a leader."""
    hq = services.command_body_create(
        actor=OFFICE, campaign=campaign, name="指挥部", kind=CommandBody.Kind.HEADQUARTERS
    )
    office = services.command_body_create(
        actor=OFFICE, campaign=campaign, name="创文办", kind=CommandBody.Kind.OFFICE, parent=hq
    )
    group = services.command_body_create(
        actor=OFFICE,
        campaign=campaign,
        name="公共环境整治指导督导组",
        kind=CommandBody.Kind.SUPERVISION_GROUP,
        parent=hq,
        regions=[city["s1"]],
    )
    supervisor_user = make_user("supervisor", Role.SUPERVISOR)
    supervisor = services.person_create(actor=OFFICE, name="督导员甲", user=supervisor_user)
    services.membership_add(actor=OFFICE, body=group, person=supervisor, role=Membership.Role.MEMBER)
    leader = services.person_create(
        actor=OFFICE, name="副区长乙", rank=Person.Rank.DISTRICT_LEADER, user=make_user("leader", Role.LEADER)
    )
    services.membership_add(actor=OFFICE, body=group, person=leader, role=Membership.Role.LEADER)
    return {"hq": hq, "office": office, "group": group, "supervisor": supervisor, "leader": leader}


@pytest.fixture
def users(make_user, units):
    return {
        "office": make_user("office", Role.OFFICE),
        "unit": make_user("unit", Role.UNIT, unit=units["cgj"]),
    }


def login(client, user):
    client.force_login(user)
    return client
