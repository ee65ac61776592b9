"""The per-period tallies behind the volunteer figures (model PeriodTally).

Counting the active volunteers of a period is a COUNT(DISTINCT volunteer) over every participation in it: at Qujing's
scale (a million participations) a year takes more than a second. So the services keep, for every calendar month,
quarter and year, the active volunteers, person-times and hours in total, per team and per region, and
`volunteers.selectors.volunteer_figures` reads them for any period that is one calendar month, quarter or year
(or one of them to date).

Exactness: a participation counts its volunteer as active in a cell only if the volunteer has no other participation in
that cell's period (and team or region). `add`/`remove`/`move` decide that while holding the volunteers' row locks, so
two sign-ins of one person at the same moment cannot both count them. Every write path of participations goes through
`add`, `remove`, `move` or `add_hours`; bulk loads (the demo data, the benchmark) call `rebuild`, and the nightly
beat job
`volunteers.rebuild_tallies` rebuilds everything as a safety net (it also repairs edits made outside the services).
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear

from core.periods import calendar_end, calendar_start

from .models import Participation, PeriodTally, Volunteer

KINDS = (PeriodTally.Kind.MONTH, PeriodTally.Kind.QUARTER, PeriodTally.Kind.YEAR)
_TRUNC = {PeriodTally.Kind.MONTH: TruncMonth, PeriodTally.Kind.QUARTER: TruncQuarter, PeriodTally.Kind.YEAR: TruncYear}
_DIMENSION_FIELD = {
    PeriodTally.Dimension.ALL: None,
    PeriodTally.Dimension.TEAM: "team_id",
    PeriodTally.Dimension.REGION: "region_id",
}


MONTHS = {PeriodTally.Kind.MONTH: 1, PeriodTally.Kind.QUARTER: 3, PeriodTally.Kind.YEAR: 12}


def period_start(kind: str, day: date) -> date:
    return calendar_start(day, MONTHS[kind])


def period_end(kind: str, start: date) -> date:
    return calendar_end(start, MONTHS[kind])


def calendar_period(start: date, end: date):
    """(kind, period start) if [start, end] lies within one calendar month, quarter or year that begins on `start`
    (the smallest such), else None. The caller must still check that nothing falls after `end` in that period."""
    for kind in KINDS:
        if period_start(kind, start) == start and end <= period_end(kind, start):
            return kind
    return None


def _keys(team_id, region_id):
    return (
        (PeriodTally.Dimension.ALL, 0),
        (PeriodTally.Dimension.TEAM, team_id),
        (PeriodTally.Dimension.REGION, region_id or 0),
    )


def _upsert(rows):
    """rows: [(kind, period_start, dimension, key, active, person_times, hours)], added to the cells (created at 0).
    One statement, in a fixed order of the cells, so that two writers never lock the same cells in opposite orders."""
    if not rows:
        return
    rows = sorted(rows, key=lambda r: (r[0], r[1], r[2], r[3]))
    table = PeriodTally._meta.db_table
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    params = [str(v) if isinstance(v, Decimal) else v for row in rows for v in row]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (kind, period_start, dimension, key, active, person_times, hours) VALUES {values} "
            f"ON CONFLICT (kind, period_start, dimension, key) DO UPDATE SET "
            f"active = {table}.active + excluded.active, person_times = {table}.person_times + excluded.person_times, "
            f"hours = {table}.hours + excluded.hours",
            params,
        )


def _apply(changes):
    """changes: [(participation, sign)], each participation as it is (sign=1: counted in, -1: taken out) — at most one
    participation per volunteer, or one participation's old and new state. Locks the volunteers' rows, then looks up
    their other participations once, so that a participation makes its volunteer active in a cell only when they
    have no other participation in that cell; the nine cells of every change go out in one upsert."""
    if not changes:
        return
    volunteer_ids = sorted({p.volunteer_id for p, _sign in changes})
    list(Volunteer.objects.select_for_update().filter(pk__in=volunteer_ids).order_by("pk").values_list("pk", flat=True))
    years = [period_start(PeriodTally.Kind.YEAR, p.day) for p, _sign in changes]
    others = defaultdict(list)
    for volunteer_id, day, team, region in (
        Participation.objects.filter(
            volunteer_id__in=volunteer_ids, day__gte=min(years), day__lte=period_end(PeriodTally.Kind.YEAR, max(years))
        )
        .exclude(pk__in={p.pk for p, _sign in changes})
        .order_by()
        .values_list("volunteer_id", "day", "team_id", "region_id")
    ):
        others[volunteer_id].append((day, team, region or 0))
    cells = defaultdict(lambda: [0, 0, Decimal(0)])
    for participation, sign in changes:
        for kind in KINDS:
            start = period_start(kind, participation.day)
            in_period = [
                (team, region)
                for day, team, region in others[participation.volunteer_id]
                if period_start(kind, day) == start
            ]
            for dimension, key in _keys(participation.team_id, participation.region_id):
                seen = (
                    bool(in_period)
                    if dimension == PeriodTally.Dimension.ALL
                    else any(
                        (team if dimension == PeriodTally.Dimension.TEAM else region) == key
                        for team, region in in_period
                    )
                )
                cell = cells[(kind, start, dimension, key)]
                cell[0] += 0 if seen else sign
                cell[1] += sign
                cell[2] += Decimal(participation.hours) * sign
    _upsert([(*key, *values) for key, values in cells.items()])


def add(participation: Participation):
    """Count a participation that has just been saved (inside the saving transaction)."""
    _apply([(participation, 1)])


def remove(participation: Participation):
    """Take a participation out of the tallies, before it is deleted."""
    _apply([(participation, -1)])


def move(before: list[Participation], after: list[Participation]):
    """Participations whose day, team or region changed (one activity's): take out their old state, count the new."""
    _apply([(p, -1) for p in before] + [(p, 1) for p in after])


def add_hours(participation: Participation, delta):
    """The participation's hours changed by `delta`: only the hours of its cells change."""
    if not delta:
        return
    _upsert(
        [
            (kind, period_start(kind, participation.day), dimension, key, 0, 0, Decimal(delta))
            for kind in KINDS
            for dimension, key in _keys(participation.team_id, participation.region_id)
        ]
    )


@transaction.atomic
def rebuild(*, participation_model=Participation, tally_model=PeriodTally) -> int:
    """Recompute every tally from the participations (nine grouped queries). Writers of participations wait for it
    (a SHARE lock on PostgreSQL; SQLite has one writer anyway). Returns the number of cells. (The models are
    parameters for the migration that fills the table, which must use its historical models.)"""
    Participation, PeriodTally = participation_model, tally_model  # noqa: N806 (shadow the module's models)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Participation._meta.db_table} IN SHARE MODE")
            cursor.execute(f"LOCK TABLE {PeriodTally._meta.db_table} IN EXCLUSIVE MODE")
            cursor.execute("SET LOCAL work_mem = '64MB'")
    PeriodTally.objects.all().delete()
    cells = []
    for kind in KINDS:
        for dimension, field in _DIMENSION_FIELD.items():
            group = ["period"] + ([field] if field else [])
            rows = (
                Participation.objects.order_by()
                .annotate(period=_TRUNC[kind]("day"))
                .values(*group)
                .annotate(active=Count("volunteer_id", distinct=True), person_times=Count("*"), hours=Sum("hours"))
            )
            for row in rows:
                cells.append(
                    PeriodTally(
                        kind=kind,
                        period_start=row["period"],
                        dimension=dimension,
                        key=(row[field] or 0) if field else 0,
                        active=row["active"],
                        person_times=row["person_times"],
                        hours=row["hours"] or 0,
                    )
                )
    PeriodTally.objects.bulk_create(cells, batch_size=5000)
    return len(cells)
