from datetime import timedelta

import pytest
from django.utils import timezone

from core.roles import Role

from .builders import City


@pytest.fixture
def week():
    """The previous full week (Monday), relative to today: overdue counts are computed for today."""
    today = timezone.localdate()
    return today - timedelta(days=today.weekday() + 7)


@pytest.fixture
def city(db):
    return City()


@pytest.fixture
def office(make_user):
    return make_user("office", Role.OFFICE)


@pytest.fixture
def leader_user(make_user):
    return make_user("leader", Role.LEADER)


@pytest.fixture
def scenario(city, week, leader_user, make_user):
    """Known tickets in `week` (see the expected figures in test_figures.py)."""
    W = week
    c = city
    # unit A (城管局), site 1: three closed on time, one open and overdue
    t1 = c.ticket(
        site=c.site_1, created=W, status="closed", closed=W + timedelta(days=1), on_time=True, severity="high"
    )
    c.photos(t1)
    c.ticket(site=c.site_1, created=W + timedelta(days=1), status="closed", closed=W + timedelta(days=2), on_time=True)
    c.ticket(
        site=c.site_1,
        created=W + timedelta(days=2),
        status="closed",
        closed=W + timedelta(days=3),
        on_time=True,
        category=c.cat_bikes,
    )
    c.ticket(site=c.site_1, created=W + timedelta(days=2), status="rectifying", deadline=W + timedelta(days=3))
    # unit B (西一路街道办), site 2: one closed late, two open and overdue (one reworked, one with a yellow order)
    c.ticket(site=c.site_2, created=W, status="closed", closed=W + timedelta(days=6), on_time=False)
    late = c.ticket(
        site=c.site_2, created=W, status="rectifying", deadline=W + timedelta(days=1), rework=1, escalation=3
    )
    c.order(late, level=3, issued=W + timedelta(days=4), days_overdue=3)
    c.ticket(
        site=c.site_2,
        created=W + timedelta(days=3),
        status="dispatched",
        deadline=W + timedelta(days=4),
        category=c.cat_bikes,
    )
    # unit C (交通局), site 3: three closed on time, one of them a recurrence of a ticket closed earlier
    earlier = c.ticket(
        site=c.site_3, created=W - timedelta(days=20), status="closed", closed=W - timedelta(days=10), on_time=True
    )
    c.ticket(
        site=c.site_3,
        created=W + timedelta(days=1),
        status="closed",
        closed=W + timedelta(days=2),
        on_time=True,
        recurrence_of=earlier,
    )
    c.ticket(site=c.site_3, created=W + timedelta(days=4), status="closed", closed=W + timedelta(days=5), on_time=True)
    c.ticket(site=c.site_3, created=W + timedelta(days=5), status="closed", closed=W + timedelta(days=6), on_time=True)
    # excluded: an invalid report in the week; counted in the previous week: one ticket
    c.ticket(site=c.site_4, created=W + timedelta(days=1), status="invalid")
    c.ticket(site=c.site_4, created=W - timedelta(days=5), status="closed", closed=W - timedelta(days=4), on_time=True)
    # a leader responsible for street A (2 visits a week) visited once; only site 1 was patrolled
    c.leader(user=leader_user, region=c.street_a, required=2)
    c.visit(site=c.site_1, user=leader_user, day=W + timedelta(days=2))
    return c
