"""ticket_stats against hand-built data: totals and every grouping, scope, and the SQLite median fallback."""

from datetime import datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from inspections.models import Ticket
from inspections.tickets import selectors
from inspections.tickets.selectors import ticket_stats

pytestmark = pytest.mark.django_db


def at(days_ago, hour=9):
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def data(city, advance):
    """Seven tickets with known dates; the expected figures below are worked out by hand from them."""
    t1 = advance("closed")  # unit A, street A: 2 days to close, on time
    t2 = advance("closed", site=city.site_b)  # unit A, street B: 4 days, late, one rework
    t3 = advance("rectifying")  # unit A, street A: overdue, recurrence of t1
    t4 = advance("closed", site=city.site_a2)  # unit B, street A: 1 day, on time, one extension
    t5 = advance("submitted", site=city.site_a2)  # unit B, street A: waiting, not overdue, recurrence of t4
    t6 = advance("invalid")  # excluded everywhere
    t7 = advance("rectifying", site=city.site_b)  # unit A, street B: reported 40 days ago, overdue
    today = timezone.localdate()
    updates = {
        t1: dict(created_at=at(10), closed_at=at(8), closed_on_time=True),
        t2: dict(created_at=at(10), closed_at=at(6), closed_on_time=False, rework_count=1),
        t3: dict(created_at=at(5), deadline=today - timedelta(days=2)),
        t4: dict(created_at=at(3), closed_at=at(2), closed_on_time=True, extension_count=1),
        t5: dict(created_at=at(1), deadline=today + timedelta(days=3)),
        t6: dict(created_at=at(4)),
        t7: dict(created_at=at(40), deadline=today - timedelta(days=20)),
    }
    for ticket, fields in updates.items():
        Ticket.objects.filter(pk=ticket.pk).update(**fields)
    assert Ticket.objects.get(pk=t3.pk).is_recurrence
    return SimpleNamespace(start=today - timedelta(days=20), end=today)


FIGURES = (
    "found",
    "closed",
    "rectification_rate",
    "on_time_rate",
    "overdue_open",
    "rework_rate",
    "recurrence_rate",
    "extension_rate",
    "median_days_to_close",
)


def figures(row):
    return tuple(row[k] for k in FIGURES)


def test_totals(city, data):
    totals = ticket_stats(user=city.office, start=data.start, end=data.end)
    assert figures(totals) == (5, 3, 0.6, 0.6667, 2, 0.2, 0.4, 0.2, 2.0)


def test_without_a_period_everything_counts(city, data):
    totals = ticket_stats(user=city.office)
    assert totals["found"] == 6 and totals["closed"] == 3 and totals["overdue_open"] == 2


def test_by_unit(city, data):
    rows = ticket_stats(user=city.office, group_by="unit", start=data.start, end=data.end)
    assert [(r["id"], r["name"]) for r in rows] == [(city.unit_b.pk, "南关街道办"), (city.unit_a.pk, "城管局")]
    by_id = {r["id"]: figures(r) for r in rows}
    assert by_id[city.unit_a.pk] == (3, 2, 0.6667, 0.5, 2, 0.3333, 0.3333, 0.0, 3.0)
    assert by_id[city.unit_b.pk] == (2, 1, 0.5, 1.0, 0, 0.0, 0.5, 0.5, 1.0)


def test_by_region_groups_under_each_street(city, data):
    rows = {r["id"]: r for r in ticket_stats(user=city.office, group_by="region", start=data.start, end=data.end)}
    assert set(rows) == {city.street_a.pk, city.street_b.pk}
    a, b = rows[city.street_a.pk], rows[city.street_b.pk]
    assert (a["name"], a["found"], a["closed"], a["overdue_open"], a["median_days_to_close"]) == (
        "南关街道",
        4,
        2,
        1,
        1.5,
    )
    assert (b["found"], b["closed"], b["overdue_open"], b["median_days_to_close"]) == (1, 1, 1, 4.0)


def test_by_category_and_site_type(city, data):
    for group in ("category", "site_type"):
        rows = ticket_stats(user=city.office, group_by=group, start=data.start, end=data.end)
        assert len(rows) == 1 and figures(rows[0]) == (5, 3, 0.6, 0.6667, 2, 0.2, 0.4, 0.2, 2.0)
    assert rows[0]["name"] == "农贸市场"


def test_scope_applies(city, data):
    assert ticket_stats(user=city.supervisor, start=data.start, end=data.end)["found"] == 4  # street A only
    assert ticket_stats(user=city.unit2, start=data.start, end=data.end)["found"] == 2
    assert ticket_stats(user=city.leader, start=data.start, end=data.end)["found"] == 5


def test_extra_filters(city, data):
    totals = ticket_stats(user=city.office, start=data.start, end=data.end, filters={"unit_id": city.unit_b.pk})
    assert totals["found"] == 2


def test_empty_cohort_has_no_rates(city):
    totals = ticket_stats(user=city.office)
    assert totals["found"] == 0 and totals["rectification_rate"] is None and totals["median_days_to_close"] is None
    assert ticket_stats(user=city.office, group_by="unit") == []


def test_median_fallback_without_percentile_cont(city, data, monkeypatch):
    monkeypatch.setattr(selectors, "connection", SimpleNamespace(vendor="sqlite"))
    assert ticket_stats(user=city.office, start=data.start, end=data.end)["median_days_to_close"] == 2.0
    rows = {
        r["id"]: r["median_days_to_close"]
        for r in ticket_stats(user=city.office, group_by="region", start=data.start, end=data.end)
    }
    assert rows == {city.street_a.pk: 1.5, city.street_b.pk: 4.0}
    rows = {
        r["id"]: r["median_days_to_close"]
        for r in ticket_stats(user=city.office, group_by="unit", start=data.start, end=data.end)
    }
    assert rows == {city.unit_a.pk: 3.0, city.unit_b.pk: 1.0}


def test_is_overdue_annotation(city, data):
    flags = dict(selectors.with_is_overdue(Ticket.objects.all()).values_list("status", "is_overdue").order_by())
    overdue = selectors.with_is_overdue(Ticket.objects.all()).filter(is_overdue=True).count()
    assert overdue == 2 and flags["closed"] is False
