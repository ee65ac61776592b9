"""The per-period tallies behind the volunteer figures (model PeriodTally).

Counting the active volunteers of a period is a COUNT(DISTINCT volunteer) over every participation in it: at Qujing's
scale (a million participations) a year takes more than a second. So the services keep, for every calendar month,
quarter and year, the active volunteers, person-times and hours in total, per team and per region, and
`volunteers.selectors.volunteer_figures` reads them for any period that is one calendar month, quarter or year
(or one of them to date).

Exactness: a participation counts its volunteer as active in a cell only if the volunteer has no other participation in
that cell's period (and team or region). `add`/`remove` decide that while holding the volunteer's row lock, so two
sign-ins of one person at the same moment cannot both count them. Every write path of participations goes through
`add`, `remove` or `add_hours`; bulk loads (the demo data, the benchmark) call `rebuild`, and the nightly beat job
`volunteers.rebuild_tallies` rebuilds everything as a safety net (it also repairs edits made outside the services).
"""
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear

from .models import Participation, PeriodTally, Volunteer

KINDS = (PeriodTally.Kind.MONTH, PeriodTally.Kind.QUARTER, PeriodTally.Kind.YEAR)
_TRUNC = {PeriodTally.Kind.MONTH: TruncMonth, PeriodTally.Kind.QUARTER: TruncQuarter, PeriodTally.Kind.YEAR: TruncYear}
_DIMENSION_FIELD = {PeriodTally.Dimension.ALL: None, PeriodTally.Dimension.TEAM: "team_id",
                    PeriodTally.Dimension.REGION: "region_id"}


def period_start(kind: str, day: date) -> date:
    if kind == PeriodTally.Kind.MONTH:
        return day.replace(day=1)
    if kind == PeriodTally.Kind.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def period_end(kind: str, start: date) -> date:
    months = {PeriodTally.Kind.MONTH: 1, PeriodTally.Kind.QUARTER: 3, PeriodTally.Kind.YEAR: 12}[kind]
    month = start.month - 1 + months
    following = date(start.year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def calendar_period(start: date, end: date):
    """(kind, period start) if [start, end] lies within one calendar month, quarter or year that begins on `start`
    (the smallest such), else None. The caller must still check that nothing falls after `end` in that period."""
    for kind in KINDS:
        if period_start(kind, start) == start and end <= period_end(kind, start):
            return kind
    return None


def _keys(team_id, region_id):
    return ((PeriodTally.Dimension.ALL, 0), (PeriodTally.Dimension.TEAM, team_id),
            (PeriodTally.Dimension.REGION, region_id or 0))


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


def _lock_volunteer(volunteer_id):
    list(Volunteer.objects.select_for_update().filter(pk=volunteer_id).values_list("pk", flat=True))


def _count(participation: Participation, sign: int):
    """Add (sign=1) or take away (sign=-1) one participation, as it is now, from its nine cells. The volunteer's row
    must be locked; the participation itself is left out of the look-up of the volunteer's other participations."""
    day = participation.day
    year = period_start(PeriodTally.Kind.YEAR, day)
    others = list(
        Participation.objects.filter(volunteer_id=participation.volunteer_id, day__gte=year,
                                     day__lte=period_end(PeriodTally.Kind.YEAR, year))
        .exclude(pk=participation.pk).order_by().values_list("day", "team_id", "region_id")
    )
    hours = Decimal(participation.hours) * sign
    rows = []
    for kind in KINDS:
        start = period_start(kind, day)
        in_period = [(team, region or 0) for other_day, team, region in others if period_start(kind, other_day) == start]
        for dimension, key in _keys(participation.team_id, participation.region_id):
            if dimension == PeriodTally.Dimension.ALL:
                seen = bool(in_period)
            elif dimension == PeriodTally.Dimension.TEAM:
                seen = any(team == key for team, _region in in_period)
            else:
                seen = any(region == key for _team, region in in_period)
            rows.append((kind, start, dimension, key, 0 if seen else sign, sign, hours))
    _upsert(rows)


def add(participation: Participation):
    """Count a participation that has just been saved (inside the saving transaction)."""
    _lock_volunteer(participation.volunteer_id)
    _count(participation, 1)


def remove(participation: Participation):
    """Take a participation out of the tallies, before it is deleted or before its day, team or region change."""
    _lock_volunteer(participation.volunteer_id)
    _count(participation, -1)


def add_hours(participation: Participation, delta):
    """The participation's hours changed by `delta`: only the hours of its cells change."""
    if not delta:
        return
    _upsert([(kind, period_start(kind, participation.day), dimension, key, 0, 0, Decimal(delta))
             for kind in KINDS for dimension, key in _keys(participation.team_id, participation.region_id)])


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
            rows = (Participation.objects.order_by().annotate(period=_TRUNC[kind]("day")).values(*group)
                    .annotate(active=Count("volunteer_id", distinct=True), person_times=Count("*"), hours=Sum("hours")))
            for row in rows:
                period = row["period"]
                cells.append(PeriodTally(
                    kind=kind, period_start=period.date() if hasattr(period, "date") else period, dimension=dimension,
                    key=(row[field] or 0) if field else 0, active=row["active"], person_times=row["person_times"],
                    hours=row["hours"] or 0,
                ))
    PeriodTally.objects.bulk_create(cells, batch_size=5000)
    return len(cells)
