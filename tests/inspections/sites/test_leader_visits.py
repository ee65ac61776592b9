from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from campaign.models import Assignment, Person
from core.roles import Role
from inspections.models import Patrol, PatrolVisit, Site
from inspections.sites.selectors import leader_visit_summary

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 9)


def at(day_offset, hour=10):
    return datetime(2026, 3, 9, hour, tzinfo=SH) + timedelta(days=day_offset)


@pytest.fixture
def leaders(district, make_user):
    """Three leaders: 甲 (division level) must visit site A twice; 乙 (district leader) must visit anything
    in 北关街道 once; 丙's assignment ended the week before; 丁 has no login."""
    users = {name: make_user(f"leader_{i}", Role.LEADER) for i, name in enumerate("甲乙丙")}
    people = {
        "甲": Person.objects.create(name="甲", rank=Person.Rank.DIVISION, user=users["甲"]),
        "乙": Person.objects.create(name="乙", rank=Person.Rank.DISTRICT_LEADER, user=users["乙"]),
        "丙": Person.objects.create(name="丙", rank=Person.Rank.DIVISION, user=users["丙"]),
        "丁": Person.objects.create(name="丁", rank=Person.Rank.SECTION),
    }
    c = district.campaign
    Assignment.objects.create(
        campaign=c, person=people["甲"], site=district.site_a, required_visits_per_week=2, start_date=date(2026, 1, 1)
    )
    Assignment.objects.create(
        campaign=c,
        person=people["乙"],
        region=district.street_b,
        required_visits_per_week=1,
        start_date=date(2026, 1, 1),
    )
    Assignment.objects.create(
        campaign=c,
        person=people["丙"],
        site=district.site_a,
        required_visits_per_week=2,
        start_date=date(2026, 1, 1),
        end_date=MONDAY - timedelta(days=1),
    )
    Assignment.objects.create(
        campaign=c,
        person=people["丁"],
        region=district.street_a,
        required_visits_per_week=1,
        start_date=date(2026, 1, 1),
    )
    other_b = Site.objects.create(
        name="北关小区", code="S-B2", site_type=district.road, region=district.community_b, unit=district.unit_b
    )

    def visit(user, site, when, too_far=False):
        patrol = Patrol.objects.create(kind=Patrol.Kind.LEADER_SPLIT, leader=user, started_at=when)
        PatrolVisit.objects.create(patrol=patrol, site=site, visitor=user, checked_in_at=when, too_far=too_far)

    visit(users["甲"], district.site_a, at(0))  # counts
    visit(users["甲"], district.site_a, at(2), too_far=True)  # flagged too far: does not count
    visit(users["甲"], district.site_b, at(3))  # not the assigned site
    visit(users["甲"], district.site_a, at(-1))  # the Sunday before: last week
    visit(users["乙"], other_b, at(6, hour=23))  # Sunday 23:00, under the assigned street: counts
    visit(users["乙"], district.site_b, at(7, hour=0))  # next Monday 00:00: next week
    visit(users["丙"], district.site_a, at(1))
    return people


def test_summary_counts_visits_against_each_assignment(leaders):
    rows = leader_visit_summary(week_start=MONDAY)
    summary = {(r["person"], r["target"]): (r["required"], r["visits"], r["shortfall"]) for r in rows}
    assert summary == {
        ("甲", "南关农贸市场"): (2, 1, 1),
        ("乙", "北关街道"): (1, 1, 0),
        ("丁", "南关街道"): (1, 0, 1),
    }
    # Short ones first, most short first, then by name.
    assert [r["shortfall"] for r in rows] == sorted((r["shortfall"] for r in rows), reverse=True)
    assert rows[-1]["person"] == "乙"
    row = next(r for r in rows if r["person"] == "甲")
    assert row["rank"] == Person.Rank.DIVISION and row["target_kind"] == "site"


def test_any_day_of_the_week_means_that_week(leaders):
    assert leader_visit_summary(week_start=MONDAY + timedelta(days=4)) == leader_visit_summary(week_start=MONDAY)
    next_week = {r["person"]: r["visits"] for r in leader_visit_summary(week_start=MONDAY + timedelta(days=7))}
    assert next_week["乙"] == 1 and next_week["甲"] == 0


def test_summary_is_one_query(leaders, django_assert_num_queries):
    with django_assert_num_queries(1):
        leader_visit_summary(week_start=MONDAY)


def test_visit_frequency_page(client, leaders, district):
    client.force_login(district.leader)
    response = client.get(reverse("inspections:visit_frequency"), {"week": "2026-03-11"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026-03-09" in html and html.index("丁") < html.index("乙")
    client.force_login(district.unit)
    assert client.get(reverse("inspections:visit_frequency")).status_code == 403


def test_a_joint_patrol_counts_for_every_leader_in_it(leaders, district):
    """乙 leads a joint patrol with 甲 as a member: the check-in at site A counts for 甲's assignment too."""
    joint = Patrol.objects.create(kind=Patrol.Kind.LEADER_JOINT, leader=leaders["乙"].user, started_at=at(4))
    joint.members.add(leaders["甲"].user, leaders["丙"].user)
    PatrolVisit.objects.create(patrol=joint, site=district.site_a, visitor=leaders["乙"].user, checked_in_at=at(4))
    summary = {(r["person"], r["target"]): r["visits"] for r in leader_visit_summary(week_start=MONDAY)}
    assert summary[("甲", "南关农贸市场")] == 2
    assert summary[("乙", "北关街道")] == 1  # site A is not under 北关街道: 乙's own count is unchanged


def test_sites_not_visited_in_a_week(leaders, district, django_assert_num_queries):
    from inspections.sites.selectors import sites_not_visited

    with django_assert_num_queries(1):
        codes = [s.code for s in sites_not_visited(start=MONDAY, end=MONDAY + timedelta(days=6))]
    # Site A and site B were visited in the week (too-far or not); 北关小区 only at Sunday 23:00 — inside too.
    assert codes == []
    codes = [s.code for s in sites_not_visited(start=MONDAY + timedelta(days=7), end=MONDAY + timedelta(days=13))]
    assert codes == ["S-A", "S-B2"]  # site B was visited on the next Monday 00:00
