"""The home page's dashboards, one per role: built from the figures (reports.figures) and the read selectors
(reports.selectors), so imports go one way: dashboards -> figures -> selectors."""

from datetime import date, timedelta

from django.db.models import Count, Q

from core.registry import city_wide
from core.scope import CITY_WIDE
from inspections.models import ExtensionRequest, Ticket
from inspections.sites.selectors import leader_visit_summary
from inspections.tickets.selectors import overdue_q, tickets_visible_to
from reports import charts, figures
from reports.models import Bulletin


def office_dashboard(*, today: date) -> dict:
    week_start = figures.monday_of(today)
    overdue_by_unit = [
        row for row in figures.ticket_figures(start=figures.EARLIEST, end=today, group_by="unit") if row["overdue_open"]
    ]
    overdue_by_unit.sort(key=lambda r: (-r["overdue_open"], r["name"]))
    trend = figures.trend_weeks(end_week_start=week_start)
    return {
        "day": figures.headline(start=today, end=today),
        "week": figures.headline(start=week_start, end=today),
        "week_start": week_start,
        "trend_svg": charts.trend_chart(trend),
        "overdue_by_unit": overdue_by_unit[:10],
        "pending": pending_counts(),
        "readiness": readiness_card(user=CITY_WIDE, today=today),
    }


def pending_counts() -> dict:
    """What waits for the office: reports to file, submissions to verify, extension requests to decide."""
    counts = city_wide(Ticket).aggregate(
        reported=Count("id", filter=Q(status=Ticket.Status.REPORTED)),
        submitted=Count("id", filter=Q(status=Ticket.Status.SUBMITTED)),
    )
    counts["extensions"] = city_wide(ExtensionRequest).filter(status=ExtensionRequest.Status.PENDING).count()
    return counts


def leader_dashboard(*, user, today: date) -> dict:
    """A leader's assignments with this week's visits against the requirement."""

    week_start = figures.monday_of(today)
    person = getattr(user, "person", None) if user.pk else None
    rows = []
    if person is not None:
        rows = [row for row in leader_visit_summary(week_start=week_start) if row["person_id"] == person.pk]
    return {
        "person": person,
        "assignments": rows,
        "week_start": week_start,
        "required": sum(r["required"] for r in rows),
        "visits": sum(r["visits"] for r in rows),
        "shortfall": sum(r["shortfall"] for r in rows),
        "week": figures.headline(start=week_start, end=today),
        "readiness": readiness_card(user=user, today=today),
    }


def readiness_card(*, user, today: date) -> dict | None:
    """The "测评得分预估" card: the predicted total out of the points possible and the top points at risk (None when
    the evaluation system has no points yet)."""
    from evaluation.readiness.selectors import card

    data = card(user, as_of=today, limit=5)
    return data if not data["empty"] and data["totals"]["points"] else None


def queue_counts(*, user, today: date) -> dict:
    """A supervisor's or a unit's queue: the tickets they can see by state, and the overdue ones."""
    S = Ticket.Status
    return tickets_visible_to(user).aggregate(
        reported=Count("id", filter=Q(status=S.REPORTED)),
        dispatched=Count("id", filter=Q(status=S.DISPATCHED)),
        rectifying=Count("id", filter=Q(status=S.RECTIFYING)),
        submitted=Count("id", filter=Q(status=S.SUBMITTED)),
        overdue=Count("id", filter=overdue_q(today)),
        closed_week=Count(
            "id", filter=Q(status=S.CLOSED, closed_at__date__gte=today - timedelta(days=today.weekday()))
        ),
    )


def unit_standing(*, unit_id: int | None) -> dict | None:
    """Where a unit stands in the latest published weekly bulletin: praised (red), named (black), or ranked
    in between, with its score; None when it was not ranked there."""
    if not unit_id:
        return None
    latest = (
        Bulletin.objects.filter(kind=Bulletin.Kind.WEEKLY, published_at__isnull=False)
        .order_by("-period_start", "-revision")
        .only("id", "figures", "number", "year", "period_start")
        .first()
    )
    if latest is None:
        return None
    units = (latest.figures or {}).get("units") or {}
    for side in ("red", "black"):
        for row in units.get(side, []):
            if row.get("id") == unit_id:
                return {"bulletin": latest, "side": side, "row": row, "ranked": units.get("ranked")}
    return None
