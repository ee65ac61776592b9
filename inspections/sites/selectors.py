"""Reads of sites, the evaluation system, patrols and leaders' visits.

Who may see a site or a patrol is declared once, in inspections/visibility.py; `sites_visible_to` and
`patrols_visible_to` are its readers (core.registry.visible_to), used by pages, API, exports and maps alike.
"""

import math
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import ASin, Coalesce, Cos, Greatest, Power, Radians, Sin, Sqrt
from django.utils import timezone

from core.registry import visible_to
from evaluation.models import EvaluationItem
from inspections.models import ChecklistResult, Patrol, PatrolVisit, Site, SiteType, Ticket

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres between two WGS-84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def distance_expression(lat: float, lng: float, lat_field: str = "lat", lng_field: str = "lng"):
    """The same haversine formula as a database expression (PostgreSQL and SQLite both have the functions)."""
    lat_r, lng_r = math.radians(lat), math.radians(lng)
    dlat = (Radians(F(lat_field)) - Value(lat_r)) / Value(2.0)
    dlng = (Radians(F(lng_field)) - Value(lng_r)) / Value(2.0)
    a = Power(Sin(dlat), 2) + Value(math.cos(lat_r)) * Cos(Radians(F(lat_field))) * Power(Sin(dlng), 2)
    return Value(2 * EARTH_RADIUS_M) * ASin(Sqrt(a))


def sites_near(queryset: QuerySet, *, lat: float, lng: float, radius_m: float) -> QuerySet:
    """Sites within `radius_m` of a point, nearest first, with `distance_m` annotated. A bounding box on the
    (lat, lng) index narrows the rows before the exact distance is computed."""
    dlat = radius_m / 111_320.0
    dlng = radius_m / (111_320.0 * max(0.01, math.cos(math.radians(lat))))
    return (
        queryset.filter(lat__range=(lat - dlat, lat + dlat), lng__range=(lng - dlng, lng + dlng))
        .annotate(distance_m=distance_expression(lat, lng))
        .filter(distance_m__lte=radius_m)
        .order_by("distance_m", "code")
    )


# --- Sites -----------------------------------------------------------------------------------------


def sites_visible_to(user) -> QuerySet:
    """The sites the user may see: the declaration in inspections/visibility.py."""
    return visible_to(Site, user)


def site_list(*, user) -> QuerySet:
    """The rows of the site list, the API and the export: related names joined, open tickets and the last
    visit computed by the database."""
    # Counted among the tickets the user sees (a unit reading its region's sites counts only its own tickets).
    open_tickets = (
        visible_to(Ticket, user)
        .filter(site=OuterRef("pk"), status__in=Ticket.OPEN_STATUSES)
        .order_by()
        .values("site")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_visit = PatrolVisit.objects.filter(site=OuterRef("pk")).order_by("-checked_in_at").values("checked_in_at")[:1]
    return (
        sites_visible_to(user)
        .select_related("site_type", "region", "unit")
        .annotate(
            open_ticket_count=Coalesce(Subquery(open_tickets, output_field=IntegerField()), 0),
            last_visit_at=Subquery(last_visit),
        )
        .order_by("code")
    )


def site_get_for(*, user, pk: int) -> Site:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(sites_visible_to(user).select_related("site_type", "region", "unit"), pk=pk)


def site_checklist(site_type: SiteType) -> QuerySet:
    """The standards that apply to a site type, with their content and project, in evaluation order."""
    return (
        site_type.standards.filter(level=EvaluationItem.Level.STANDARD)
        .select_related("parent", "parent__parent")
        .order_by("parent__parent__sort_order", "parent__sort_order", "sort_order", "code")
    )


def site_assignments(site: Site):
    """Leaders assigned to the site itself or to a region above it (包抓), active today."""
    from campaign.models import Assignment

    today = timezone.localdate()
    region_paths = _ancestor_paths(site.region.path)
    return (
        Assignment.objects.filter(Q(site=site) | Q(region__path__in=region_paths))
        .filter(start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person", "region", "site")
        .order_by("person__name")
    )


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]


def site_types_with_counts() -> QuerySet:
    return SiteType.objects.annotate(
        standard_count=Count("standards", distinct=True),
        site_count=Count("sites", distinct=True),
    ).order_by("sort_order", "name")


# --- Patrols -----------------------------------------------------------------------------------------


def patrols_visible_to(user) -> QuerySet:
    """The patrols the user may see: the declaration in inspections/visibility.py (core.registry.patrols_rule)."""
    return visible_to(Patrol, user)


def _count_of(queryset, group_field: str):
    """A correlated COUNT subquery (keeps the list's own COUNT(*) for pagination free of joins)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(group_field).annotate(n=Count("pk")).values("n"), output_field=IntegerField()
        ),
        0,
    )


def patrol_list(*, user) -> QuerySet:
    visits = PatrolVisit.objects.filter(patrol_id=OuterRef("pk"))
    return (
        patrols_visible_to(user)
        .select_related("leader", "command_body")
        .annotate(
            visit_count=_count_of(visits, "patrol_id"),
            too_far_count=_count_of(visits.filter(too_far=True), "patrol_id"),
            ticket_count=_count_of(
                visible_to(Ticket, user).filter(patrol_visit__patrol_id=OuterRef("pk")), "patrol_visit__patrol_id"
            ),
        )
        .order_by("-started_at", "-pk")
    )


def patrol_get_for(*, user, pk: int) -> Patrol:
    from django.shortcuts import get_object_or_404

    visits = (
        PatrolVisit.objects.select_related("site", "site__site_type", "visitor")
        .annotate(
            result_count=Count("results", distinct=True),
            fail_count=Count("results", filter=Q(results__result=ChecklistResult.Result.FAIL), distinct=True),
            ticket_count=Count("tickets", filter=Q(tickets__in=visible_to(Ticket, user)), distinct=True),
        )
        .order_by("checked_in_at", "pk")
    )
    return get_object_or_404(
        patrols_visible_to(user)
        .select_related("leader", "command_body")
        .prefetch_related(Prefetch("visits", queryset=visits), "members"),
        pk=pk,
    )


def visit_get_for(*, user, pk: int) -> PatrolVisit:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        PatrolVisit.objects.filter(patrol__in=patrols_visible_to(user)).select_related(
            "patrol", "patrol__leader", "site", "site__site_type", "site__unit", "site__region", "visitor"
        ),
        pk=pk,
    )


# --- Leaders' visits (包抓 frequency) -------------------------------------------------------------


def week_bounds(week_start: date) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 in the campaign's time zone."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(week_start, time.min, tzinfo=tz)
    return start, start + timedelta(days=7)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def leader_visit_summary(*, week_start: date) -> list[dict]:
    """One row per assignment active during the week: the leader, rank, the visits required and the visits
    recorded (site visits by the leader's login, or by a patrol the leader joined, to the assigned site or to
    any site under the assigned region; check-ins flagged too far away do not count), and the shortfall.
    Short ones first.

    Row keys: assignment_id, person_id, person, rank, rank_display, target, target_kind, required, visits,
    shortfall."""
    from campaign.models import Assignment, Person

    week_start = monday_of(week_start)
    start, end = week_bounds(week_start)
    # The leader checked in, or was a member of the patrol that checked in (joint patrols, 联合巡查).
    visits = (
        PatrolVisit.objects.filter(checked_in_at__gte=start, checked_in_at__lt=end, too_far=False)
        .filter(Q(visitor_id=OuterRef("person__user_id")) | Q(patrol__members=OuterRef("person__user_id")))
        .filter(Q(site_id=OuterRef("site_id")) | Q(site__region__path__startswith=OuterRef("region__path")))
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    rows = (
        Assignment.objects.filter(start_date__lt=week_start + timedelta(days=7))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=week_start))
        .annotate(visits=Coalesce(Subquery(visits, output_field=IntegerField()), 0))
        .annotate(shortfall=Greatest(F("required_visits_per_week") - F("visits"), Value(0)))
        .order_by("-shortfall", "person__name", "pk")
        .values(
            "pk",
            "person_id",
            "person__name",
            "person__rank",
            "site__name",
            "region__name",
            "required_visits_per_week",
            "visits",
            "shortfall",
        )
    )
    rank_labels = dict(Person.Rank.choices)
    return [
        {
            "assignment_id": row["pk"],
            "person_id": row["person_id"],
            "person": row["person__name"],
            "rank": row["person__rank"],
            "rank_display": str(rank_labels.get(row["person__rank"], row["person__rank"])),
            "target": row["site__name"] or row["region__name"],
            "target_kind": "site" if row["site__name"] else "region",
            "required": row["required_visits_per_week"],
            "visits": row["visits"],
            "shortfall": row["shortfall"],
        }
        for row in rows
    ]


def sites_not_visited(*, start: date, end: date) -> QuerySet:
    """Active sites with no patrol check-in between `start` and `end` (inclusive, local dates), key sites
    first — "sites not patrolled this week" of the bulletin. One query with NOT EXISTS."""
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    visited = PatrolVisit.objects.filter(site_id=OuterRef("pk"), checked_in_at__gte=since, checked_in_at__lt=until)
    return (
        Site.objects.filter(is_active=True)
        .exclude(Exists(visited))
        .select_related("site_type", "region", "unit")
        .order_by("-is_key", "code")
    )
