"""Reads of bulletins (the one visibility rule), the lists a bulletin shows, and the dashboards' figures.

Lists are computed by the database (filters, Exists, annotate, values) and come back as JSON-ready dicts,
since they are stored in `Bulletin.figures` as they were when the bulletin was made.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from core.registry import city_wide, get_visible, visible_to

from .models import Bulletin

# --- Bulletins ---------------------------------------------------------------------------------------


def bulletins_visible_to(user) -> QuerySet:
    """The office sees every bulletin (drafts, failures); everybody else only published ones: the declaration in
    reports/visibility.py."""
    return visible_to(Bulletin, user)


def bulletin_list(*, user, filters: dict | None = None) -> QuerySet:
    """The rows of the archive page, its export and the API list."""
    queryset = bulletins_visible_to(user).select_related("created_by", "published_by")
    if filters:
        from .filtersets import BulletinFilterSet

        queryset = BulletinFilterSet(filters, queryset=queryset).qs
    return queryset.order_by("-period_start", "kind", "-number", "-revision")


def bulletin_get_for(*, user, pk) -> Bulletin:

    return get_visible(Bulletin, user, pk=pk, queryset=Bulletin.objects.select_related("created_by", "published_by"))


def latest_published(*, limit: int = 5) -> list[Bulletin]:
    return list(Bulletin.objects.filter(published_at__isnull=False).order_by("-published_at")[:limit])


# --- Lists shown in a bulletin -----------------------------------------------------------------------


def _local_bounds(start: date, end: date):
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def _iso(value):
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).date().isoformat()
    return value.isoformat()


def overdue_tickets(*, today: date, limit: int) -> dict:
    """Open tickets past their deadline, the longest overdue first, with the total and the count per unit."""
    from inspections.models import Ticket
    from inspections.tickets.selectors import overdue_q

    base = city_wide(Ticket).filter(overdue_q(today))
    escalation = dict(Ticket.Escalation.choices)
    rows = base.order_by("deadline", "id").values(
        "id",
        "number",
        "site__name",
        "unit__name",
        "category__name",
        "deadline",
        "escalation",
        "status",
    )[:limit]
    by_unit = (
        base.exclude(unit__isnull=True)
        .values("unit_id", "unit__name")
        .annotate(n=Count("id"))
        .order_by("-n", "unit__name")[:10]
    )
    return {
        "total": base.count(),
        "rows": [
            {
                "id": r["id"],
                "number": r["number"],
                "site": r["site__name"] or "",
                "unit": r["unit__name"] or "",
                "category": r["category__name"],
                "deadline": _iso(r["deadline"]),
                "days_overdue": (today - r["deadline"]).days,
                "escalation": str(escalation.get(r["escalation"], "")) if r["escalation"] else "",
            }
            for r in rows
        ],
        "by_unit": [{"id": r["unit_id"], "name": r["unit__name"], "count": r["n"]} for r in by_unit],
    }


def tickets_closed_between(*, start: date, end: date, limit: int) -> dict:
    from inspections.models import Ticket

    lo, hi = _local_bounds(start, end)
    base = city_wide(Ticket).filter(status=Ticket.Status.CLOSED, closed_at__gte=lo, closed_at__lt=hi)
    rows = base.order_by("-closed_at", "-id").values(
        "id", "number", "site__name", "unit__name", "category__name", "closed_at", "closed_on_time"
    )[:limit]
    return {
        "total": base.count(),
        "rows": [
            {
                "id": r["id"],
                "number": r["number"],
                "site": r["site__name"] or "",
                "unit": r["unit__name"] or "",
                "category": r["category__name"],
                "closed": _iso(r["closed_at"]),
                "on_time": r["closed_on_time"],
            }
            for r in rows
        ],
    }


def escalations_between(*, start: date, end: date, limit: int) -> dict:
    """Supervision orders (white, yellow, red) issued in the period, with the count per colour."""
    from inspections.models import SupervisionOrder, Ticket

    lo, hi = _local_bounds(start, end)
    base = city_wide(SupervisionOrder).filter(issued_at__gte=lo, issued_at__lt=hi, level__gte=Ticket.Escalation.WHITE)
    labels = dict(Ticket.Escalation.choices)
    counts = {row["level"]: row["n"] for row in base.values("level").annotate(n=Count("id")).order_by()}
    rows = base.order_by("-level", "-days_overdue", "id").values(
        "number",
        "level",
        "days_overdue",
        "issued_at",
        "ticket__number",
        "ticket__unit__name",
        "ticket__site__name",
        "ticket__category__name",
    )[:limit]
    return {
        "total": sum(counts.values()),
        "by_level": [
            {"level": level, "name": str(labels[level]), "count": counts.get(level, 0)}
            for level in (Ticket.Escalation.WHITE, Ticket.Escalation.YELLOW, Ticket.Escalation.RED)
        ],
        "rows": [
            {
                "number": r["number"],
                "level": r["level"],
                "level_name": str(labels.get(r["level"], "")),
                "days_overdue": r["days_overdue"],
                "issued": _iso(r["issued_at"]),
                "ticket": r["ticket__number"],
                "unit": r["ticket__unit__name"] or "",
                "site": r["ticket__site__name"] or "",
                "category": r["ticket__category__name"],
            }
            for r in rows
        ],
    }


def recurrences_between(*, start: date, end: date, limit: int) -> dict:
    """Problems that came back (反弹) in the period, linked to the ticket closed before."""
    from inspections.models import Ticket

    lo, hi = _local_bounds(start, end)
    base = (
        city_wide(Ticket)
        .filter(is_recurrence=True, created_at__gte=lo, created_at__lt=hi)
        .exclude(status=Ticket.Status.INVALID)
    )
    rows = base.order_by("-created_at", "-id").values(
        "number",
        "site__name",
        "unit__name",
        "category__name",
        "created_at",
        "recurrence_of__number",
        "recurrence_of__closed_at",
    )[:limit]
    return {
        "total": base.count(),
        "rows": [
            {
                "number": r["number"],
                "site": r["site__name"] or "",
                "unit": r["unit__name"] or "",
                "category": r["category__name"],
                "reported": _iso(r["created_at"]),
                "earlier": r["recurrence_of__number"] or "",
                "earlier_closed": _iso(r["recurrence_of__closed_at"]),
            }
            for r in rows
        ],
    }


def leaders_below_frequency(*, start: date, end: date, limit: int = 50) -> dict:
    """Leaders whose recorded visits fall short of their assignments' weekly requirement, over the weeks that
    start in the period (inspections.sites.selectors.leader_visit_summary, one call per week)."""
    from inspections.sites.selectors import leader_visit_summary

    week = start - timedelta(days=start.weekday())
    if week < start:
        week += timedelta(days=7)
    totals: dict[int, dict] = {}
    weeks = 0
    while week <= end:
        weeks += 1
        for row in leader_visit_summary(week_start=week):
            entry = totals.setdefault(
                row["assignment_id"],
                {
                    "person": row["person"],
                    "rank": row["rank_display"],
                    "target": row["target"],
                    "required": 0,
                    "visits": 0,
                    "shortfall": 0,
                },
            )
            entry["required"] += row["required"]
            entry["visits"] += row["visits"]
            entry["shortfall"] += row["shortfall"]
        week += timedelta(days=7)
    short = [row for row in totals.values() if row["shortfall"] > 0]
    short.sort(key=lambda r: (-r["shortfall"], r["person"], r["target"]))
    return {"weeks": weeks, "assignments": len(totals), "total": len(short), "rows": short[:limit]}


def sites_not_patrolled(*, start: date, end: date, limit: int) -> dict:
    """Active sites with no visit recorded in the period; key sites first."""
    from inspections.models import PatrolVisit, Site

    lo, hi = _local_bounds(start, end)
    visited = PatrolVisit.objects.filter(site_id=OuterRef("pk"), checked_in_at__gte=lo, checked_in_at__lt=hi)
    base = city_wide(Site).filter(is_active=True).exclude(Exists(visited))
    totals = base.aggregate(total=Count("id"), key=Count("id", filter=Q(is_key=True)))
    all_sites = city_wide(Site).filter(is_active=True).count()
    rows = (
        base.annotate(last_visit=Max("visits__checked_in_at"))
        .order_by("-is_key", "code")
        .values("code", "name", "site_type__name", "region__name", "unit__name", "is_key", "last_visit")[:limit]
    )
    return {
        "total": totals["total"],
        "key": totals["key"],
        "sites": all_sites,
        "rows": [
            {
                "code": r["code"],
                "name": r["name"],
                "type": r["site_type__name"],
                "region": r["region__name"],
                "unit": r["unit__name"],
                "is_key": r["is_key"],
                "last_visit": _iso(r["last_visit"]),
            }
            for r in rows
        ],
    }


def typical_problems(*, start: date, end: date, limit: int) -> list[dict]:
    """Tickets closed in the period that have both a before and an after photo (整改前后对比): serious ones
    first, then the latest closed. Photos are stored as media-relative names for the PDF."""
    from inspections.models import Ticket, TicketPhoto

    lo, hi = _local_bounds(start, end)
    photos = TicketPhoto.objects.filter(ticket_id=OuterRef("pk"))
    severity_order = {"high": 0, "medium": 1, "low": 2}
    tickets = list(
        city_wide(Ticket)
        .filter(status=Ticket.Status.CLOSED, closed_at__gte=lo, closed_at__lt=hi)
        .filter(Exists(photos.filter(kind=TicketPhoto.Kind.BEFORE)), Exists(photos.filter(kind=TicketPhoto.Kind.AFTER)))
        .annotate(severity_rank=_severity_rank(severity_order))
        .order_by("severity_rank", "-closed_at", "-id")
        .values("id", "number", "description", "site__name", "unit__name", "category__name", "created_at", "closed_at")[
            :limit
        ]
    )
    first_photo = {}
    for photo in (
        TicketPhoto.objects.filter(ticket_id__in=[t["id"] for t in tickets])
        .order_by("ticket_id", "kind", "created_at", "id")
        .values("ticket_id", "kind", "image")
    ):
        key = (photo["ticket_id"], photo["kind"])
        # the first before-photo and the last after-photo (the finished rectification)
        if photo["kind"] == TicketPhoto.Kind.AFTER or key not in first_photo:
            first_photo[key] = photo["image"]
    return [
        {
            "number": t["number"],
            "description": t["description"][:120],
            "site": t["site__name"] or "",
            "unit": t["unit__name"] or "",
            "category": t["category__name"],
            "reported": _iso(t["created_at"]),
            "closed": _iso(t["closed_at"]),
            "before": first_photo.get((t["id"], TicketPhoto.Kind.BEFORE)),
            "after": first_photo.get((t["id"], TicketPhoto.Kind.AFTER)),
        }
        for t in tickets
    ]


def _severity_rank(order: dict):
    from django.db.models import Case, IntegerField, Value, When

    return Case(
        *[When(severity=k, then=Value(v)) for k, v in order.items()], default=Value(9), output_field=IntegerField()
    )
