"""Reads of the volunteers app: who may see what (one function per model) and the one computation of the
volunteer figures, used by the figures page, the API and the bulletins alike."""

from datetime import date

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from campaign.models import Region
from core.registry import visible_to

from .models import (
    Activity,
    MicroWish,
    Pairing,
    Participation,
    PartyReport,
    PeriodTally,
    Team,
    TeamMembership,
    Volunteer,
)

ZERO_HOURS = Value(0, output_field=DecimalField(max_digits=12, decimal_places=1))


# --- Visibility: declared once per model in volunteers/visibility.py (core.registry); these read it. Personal
# data is masked by core.masking.mask_personal for everyone but the office. ----------------------------------


def teams_visible_to(user) -> QuerySet:
    return visible_to(Team, user)


def volunteers_visible_to(user) -> QuerySet:
    return visible_to(Volunteer, user)


def activities_visible_to(user) -> QuerySet:
    return visible_to(Activity, user)


def pairings_visible_to(user) -> QuerySet:
    return visible_to(Pairing, user)


def party_reports_visible_to(user) -> QuerySet:
    return visible_to(PartyReport, user)


def microwishes_visible_to(user) -> QuerySet:
    return visible_to(MicroWish, user)


# --- Lists -------------------------------------------------------------------------------------------


def team_list(*, user) -> QuerySet:
    # Explicit: Meta.ordering is not applied to a GROUP BY query, and paging needs a stable order.
    return (
        teams_visible_to(user)
        .select_related("unit", "region")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("-is_brand", "name", "id")
    )


def volunteer_list(*, user) -> QuerySet:
    return (
        volunteers_visible_to(user)
        .select_related("region")
        .prefetch_related(Prefetch("teams", queryset=Team.objects.only("id", "name").order_by("name")))
        .order_by("-registered_on", "-id")
    )


def activity_list(*, user, with_participants: bool = False) -> QuerySet:
    activities = (
        activities_visible_to(user)
        .select_related("team", "site", "region")
        .annotate(
            person_times=Coalesce(
                Subquery(
                    Participation.objects.filter(activity=OuterRef("pk"))
                    .order_by()
                    .values("activity")
                    .annotate(n=Count("volunteer_id"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
            service_hours=Coalesce(
                Subquery(
                    Participation.objects.filter(activity=OuterRef("pk"))
                    .order_by()
                    .values("activity")
                    .annotate(h=Sum("hours"))
                    .values("h")
                ),
                ZERO_HOURS,
            ),
        )
        .order_by("-start_at", "-id")
    )
    if with_participants:
        activities = activities.prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("volunteer")
                .only(
                    "id",
                    "activity_id",
                    "volunteer_id",
                    "hours",
                    "source",
                    "signed_in_at",
                    "volunteer__name",
                    "volunteer__phone",
                )
                .order_by("signed_in_at", "id"),
            )
        )
    return activities


def pairing_list(*, user) -> QuerySet:
    return (
        pairings_visible_to(user)
        .select_related("unit", "community")
        .annotate(joint_activity_count=Count("joint_activities"))
        .order_by("-start_date", "-id")
    )


def party_report_list(*, user) -> QuerySet:
    return party_reports_visible_to(user).select_related("member", "community").order_by("-month", "-id")


def microwish_list(*, user) -> QuerySet:
    return (
        microwishes_visible_to(user)
        .select_related("community", "claimed_by_volunteer", "claimed_by_unit")
        .order_by("-posted_at", "-id")
    )


def participants_by_activity(activity_ids, *, user) -> dict[int, list[dict]]:
    """The participants of these activities as plain rows (phone masked by the one rule), in one query of tuples:
    an activity list page holds thousands of participants, and model instances would cost ten times more."""
    from django.utils import timezone

    from core.masking import personal_masker

    show, tz = personal_masker(user), timezone.get_current_timezone()
    rows: dict[int, list[dict]] = {pk: [] for pk in activity_ids}
    for activity_id, pk, volunteer_id, name, phone, hours, source, signed_in_at in (
        Participation.objects.filter(activity_id__in=list(activity_ids))
        .order_by("activity_id", "signed_in_at", "id")
        .values_list(
            "activity_id",
            "id",
            "volunteer_id",
            "volunteer__name",
            "volunteer__phone",
            "hours",
            "source",
            "signed_in_at",
        )
    ):
        rows[activity_id].append(
            {
                "id": pk,
                "volunteer": volunteer_id,
                "name": name,
                "phone": show(phone),
                "hours": f"{hours:.1f}",
                "source": source,
                "signed_in_at": signed_in_at.astimezone(tz).isoformat(),
            }
        )
    return rows


def activity_participants(*, activity: Activity) -> QuerySet:
    return activity.participations.select_related("volunteer").order_by("signed_in_at", "id")


# --- Figures -----------------------------------------------------------------------------------------


def _hours(value) -> float:
    return float(value or 0)


def _tuned_for_aggregates():
    """PostgreSQL: let the period's sorts (COUNT DISTINCT) run in memory for this transaction only."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")


def volunteer_figures(*, start: date, end: date) -> dict:
    """Registered volunteers, active volunteers (took part in the period), person-times (人次) and service
    hours, in total and by team, region and month. Plain data (JSON-ready), all computed by the database.

    A calendar month, quarter or year (or one of them to date) is read from the period tallies (volunteers.tally):
    a few hundred rows whatever the number of participations. Any other period is counted from the participations
    (an index-only scan of the period)."""
    from django.db import transaction

    with transaction.atomic():
        parts = _tallied_measures(start=start, end=end)
        if parts is None:
            _tuned_for_aggregates()
            parts = _counted_measures(start=start, end=end)
        return _volunteer_figures(start=start, end=end, parts=parts)


def _tallied_measures(*, start: date, end: date):
    """(totals, by team id, by region id, by month) from the tallies, or None when the period is not one calendar
    month, quarter or year from its first day, or when participations fall after `end` within it."""
    from . import tally

    kind = tally.calendar_period(start, end)
    if kind is None:
        return None
    period_end = tally.period_end(kind, start)
    if end < period_end and Participation.objects.filter(day__gt=end, day__lte=period_end).exists():
        return None
    rows = PeriodTally.objects.filter(
        Q(kind=kind, period_start=start)
        | Q(kind=PeriodTally.Kind.MONTH, period_start__range=(start, end), dimension=PeriodTally.Dimension.ALL)
    ).values_list("kind", "period_start", "dimension", "key", "active", "person_times", "hours")
    totals, by_team, by_region, by_month = {"active": 0, "person_times": 0, "hours": 0}, {}, {}, {}
    for row_kind, row_start, dimension, key, active, person_times, hours in rows:
        measures = {"active": active, "person_times": person_times, "hours": hours}
        if row_kind == kind and row_start == start:
            if dimension == PeriodTally.Dimension.ALL:
                totals = measures
            elif dimension == PeriodTally.Dimension.TEAM:
                by_team[key] = measures
            else:
                by_region[key or None] = measures
        if row_kind == PeriodTally.Kind.MONTH and dimension == PeriodTally.Dimension.ALL:
            by_month[row_start] = measures
    return totals, by_team, by_region, by_month


def _counted_measures(*, start: date, end: date):
    parts = Participation.objects.filter(day__gte=start, day__lte=end).order_by()
    measures = {
        "person_times": Count("volunteer_id"),
        "hours": Sum("hours"),
        "active": Count("volunteer_id", distinct=True),
    }
    return (
        parts.aggregate(**measures),
        {row.pop("team_id"): row for row in parts.values("team_id").annotate(**measures)},
        {row.pop("region_id"): row for row in parts.values("region_id").annotate(**measures)},
        {row.pop("month"): row for row in parts.annotate(month=TruncMonth("day")).values("month").annotate(**measures)},
    )


def _volunteer_figures(*, start: date, end: date, parts) -> dict:
    totals, team_parts, region_parts, month_parts = parts
    members = dict(
        TeamMembership.objects.filter(joined_on__lte=end)
        .order_by()
        .values("team_id")
        .annotate(n=Count("*"))
        .values_list("team_id", "n")
    )
    by_team = [
        {
            "team_id": pk,
            "team": name,
            "is_brand": is_brand,
            "members": members.get(pk, 0),
            "active": team_parts.get(pk, {}).get("active", 0),
            "person_times": team_parts.get(pk, {}).get("person_times", 0),
            "hours": _hours(team_parts.get(pk, {}).get("hours")),
        }
        for pk, name, is_brand in Team.objects.order_by().values_list("pk", "name", "is_brand")
    ]
    by_team.sort(key=lambda r: (-r["hours"], -r["person_times"], r["team"]))

    region_registered = dict(
        Volunteer.objects.filter(registered_on__lte=end)
        .order_by()
        .values("region_id")
        .annotate(n=Count("*"))
        .values_list("region_id", "n")
    )
    region_ids = set(region_registered) | set(region_parts)
    names = dict(Region.objects.filter(pk__in=[pk for pk in region_ids if pk]).values_list("pk", "name"))
    by_region = []
    for region_id in region_ids:
        p = region_parts.get(region_id, {})
        by_region.append(
            {
                "region_id": region_id,
                "region": names.get(region_id, ""),
                "registered": region_registered.get(region_id, 0),
                "active": p.get("active", 0),
                "person_times": p.get("person_times", 0),
                "hours": _hours(p.get("hours")),
            }
        )
    by_region.sort(key=lambda r: (-r["hours"], -r["registered"], r["region"]))

    month_new = dict(
        Volunteer.objects.filter(registered_on__gte=start, registered_on__lte=end)
        .order_by()
        .annotate(month=TruncMonth("registered_on"))
        .values("month")
        .annotate(n=Count("*"))
        .values_list("month", "n")
    )
    by_month = []
    for month in sorted(set(month_parts) | set(month_new)):
        p = month_parts.get(month, {})
        by_month.append(
            {
                "month": month.strftime("%Y-%m"),
                "new_registered": month_new.get(month, 0),
                "active": p.get("active", 0),
                "person_times": p.get("person_times", 0),
                "hours": _hours(p.get("hours")),
            }
        )
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "totals": {
            # Sums of the per-region and per-month counts: one scan of the volunteers fewer.
            "registered": sum(region_registered.values()),
            "new_registered": sum(month_new.values()),
            "active": totals["active"],
            "person_times": totals["person_times"],
            "hours": _hours(totals["hours"]),
        },
        "by_team": by_team,
        "by_region": by_region,
        "by_month": by_month,
    }
