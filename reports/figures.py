"""The figures of a bulletin: one JSON-ready dict, stored on the bulletin and the only input of its PDF.

Ticket figures come from inspections.tickets.selectors.ticket_stats (the same computation as /api/v1/stats/tickets/);
the lists (overdue, escalated, recurrences, sites not patrolled, typical problems) from reports.selectors.
Every value is a plain str/int/float/None/list/dict so that `Bulletin.figures` is exactly what the PDF shows.

Ranking (红黑榜). Each unit and each street with at least RANKING_MIN_FOUND tickets in the period gets a
composite score out of 100:
    40 × rectification rate + 30 × on-time rate + 10 × (1 − rework rate) + 10 × (1 − recurrence rate)
    + 10 × (1 − min(1, overdue open ÷ found))
(a missing rate — nothing closed yet — counts as 0). The best RANKING_SIZE are praised (红榜), the worst
RANKING_SIZE named (黑榜); with fewer than 2 × RANKING_SIZE ranked, the list is split in half so nobody is
on both. Ties are broken by more tickets found, then by name.
"""

from datetime import date, timedelta

from django.utils.translation import gettext as _

from core.scope import CITY_WIDE
from reports import selectors

RANKING_MIN_FOUND = 3
RANKING_SIZE = 5
LIST_LIMIT = 15
TYPICAL_LIMIT = 4
TREND_WEEKS = 8
TREND_MONTHS = 6
# "Since the campaign began": ticket_stats(start=None) builds an empty When() condition (a bug reported to
# the inspections owner), so the open start is written as a date before any ticket.
EARLIEST = date(1970, 1, 1)
HEADLINE_KEYS = (
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


# --- Periods ---------------------------------------------------------------------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(day: date) -> date:
    return (month_start(day) - timedelta(days=1)).replace(day=1)


def period_bounds(kind: str, day: date) -> tuple[date, date]:
    """The inclusive period of a bulletin of `kind` containing `day` (special reports: that one day)."""
    if kind == "weekly":
        start = monday_of(day)
        return start, start + timedelta(days=6)
    if kind == "monthly":
        start = month_start(day)
        return start, next_month(start) - timedelta(days=1)
    return day, day


def previous_period(kind: str, start: date) -> tuple[date, date]:
    if kind == "weekly":
        return period_bounds(kind, start - timedelta(days=7))
    if kind == "monthly":
        return period_bounds(kind, previous_month(start))
    return period_bounds(kind, start - timedelta(days=1))


# --- Ticket figures (ticket_stats) -----------------------------------------------------------------


def ticket_figures(*, start: date | None, end: date | None, group_by: str | None = None, filters=None):
    from inspections.tickets.selectors import ticket_stats

    # The bulletin speaks for the whole city: the named city-wide read, never a made-up user.
    return ticket_stats(user=CITY_WIDE, group_by=group_by, start=start, end=end, filters=filters)


def headline(*, start, end) -> dict:
    stats = ticket_figures(start=start, end=end)
    return {key: stats.get(key) for key in HEADLINE_KEYS}


def change(current: dict, previous: dict) -> dict:
    """Period-on-period change of each headline figure (counts: difference; rates: percentage points as a
    fraction; None when either side is missing)."""
    result = {}
    for key in HEADLINE_KEYS:
        a, b = current.get(key), previous.get(key)
        result[key] = None if a is None or b is None else round(a - b, 4)
    return result


def composite_score(row: dict) -> float:
    found = row["found"] or 0
    overdue_share = min(1.0, (row["overdue_open"] or 0) / found) if found else 1.0
    score = (
        40 * (row["rectification_rate"] or 0)
        + 30 * (row["on_time_rate"] or 0)
        + 10 * (1 - (row["rework_rate"] or 0))
        + 10 * (1 - (row["recurrence_rate"] or 0))
        + 10 * (1 - overdue_share)
    )
    return round(score, 1)


def ranking(rows: list[dict], *, min_found: int = RANKING_MIN_FOUND, size: int = RANKING_SIZE) -> dict:
    ranked = []
    for row in rows:
        if (row["found"] or 0) < min_found:
            continue
        ranked.append(
            {
                "id": row["id"],
                "name": row["name"],
                "found": row["found"],
                "closed": row["closed"],
                "rectification_rate": row["rectification_rate"],
                "on_time_rate": row["on_time_rate"],
                "overdue_open": row["overdue_open"],
                "score": composite_score(row),
            }
        )
    ranked.sort(key=lambda r: (-r["score"], -r["found"], r["name"]))
    for position, row in enumerate(ranked, start=1):
        row["position"] = position
    take = min(size, len(ranked) // 2) if len(ranked) < 2 * size else size
    black = list(reversed(ranked[len(ranked) - take :])) if take else []
    return {"red": ranked[:take], "black": black, "ranked": len(ranked), "min_found": min_found}


def trend_weeks(*, end_week_start: date, weeks: int = TREND_WEEKS) -> list[dict]:
    points = []
    for i in range(weeks - 1, -1, -1):
        start = end_week_start - timedelta(days=7 * i)
        end = start + timedelta(days=6)
        stats = ticket_figures(start=start, end=end)
        points.append(
            {
                "label": f"{start.month}/{start.day}",
                "start": start.isoformat(),
                "end": end.isoformat(),
                "found": stats["found"],
                "closed": stats["closed"],
            }
        )
    return points


def trend_months(*, end_month_start: date, months: int = TREND_MONTHS) -> list[dict]:
    starts = [end_month_start]
    for _i in range(months - 1):
        starts.insert(0, previous_month(starts[0]))
    points = []
    for start in starts:
        end = next_month(start) - timedelta(days=1)
        stats = ticket_figures(start=start, end=end)
        points.append(
            {
                "label": _("%(month)d/%(year)d") % {"month": start.month, "year": start.year % 100},
                "start": start.isoformat(),
                "end": end.isoformat(),
                "found": stats["found"],
                "closed": stats["closed"],
            }
        )
    return points


def categories(*, start, end) -> list[dict]:
    rows = ticket_figures(start=start, end=end, group_by="category")
    rows = [r for r in rows if r["found"]]
    rows.sort(key=lambda r: (-r["found"], r["name"]))
    return [{"name": r["name"], "found": r["found"], "closed": r["closed"]} for r in rows]


# --- Other apps' figures -----------------------------------------------------------------------------


def _optional(module: str, function: str, **kwargs):
    """Volunteer and publicity figures come from their apps; a bulletin leaves the section out when the
    app does not provide them."""
    from importlib import import_module

    try:
        func = getattr(import_module(module), function)
    except (ImportError, AttributeError):
        return None
    return _jsonable(func(**kwargs))


def _jsonable(value):
    from decimal import Decimal

    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def material_figures(*, today: date) -> dict | None:
    """The "材料申报" section: material completeness of the whole city as of `today` (a city-wide read), the table by
    evaluation project and the named overdue submissions; None when no material is required at all."""
    from evaluation.completeness.selectors import bulletin_figures

    data = bulletin_figures(user=CITY_WIDE, today=today, limit=LIST_LIMIT)
    return _jsonable(data) if data["totals"]["required"] else None


def readiness_figures(*, today: date) -> dict | None:
    """The "测评得分预估" section: the predicted evaluation score of the whole city as of `today` (a city-wide read),
    by project and by street, and the standards losing the most points; None when the system has no points yet."""
    from evaluation.readiness.selectors import bulletin_figures

    data = bulletin_figures(user=CITY_WIDE, today=today, limit=LIST_LIMIT)
    return _jsonable(data) if data["totals"]["points"] else None


# --- One bulletin ----------------------------------------------------------------------------------


def compute(*, kind: str, start: date, end: date, today: date | None = None) -> dict:
    """All the figures of a bulletin of `kind` for [start, end]."""
    from django.utils import timezone

    today = today or timezone.localdate()
    figures = {
        "kind": kind,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "as_of": today.isoformat(),
        "headline": headline(start=start, end=end),
    }
    if kind == "daily":
        figures["overdue"] = selectors.overdue_tickets(today=today, limit=LIST_LIMIT)
        figures["closed_today"] = selectors.tickets_closed_between(start=start, end=end, limit=LIST_LIMIT)
        return figures
    if kind == "special":
        figures["cumulative"] = headline(start=EARLIEST, end=end)
        figures["categories"] = categories(start=start, end=end)
        return figures

    previous_start, previous_end = previous_period(kind, start)
    previous = headline(start=previous_start, end=previous_end)
    figures["previous"] = {"period": {"start": previous_start.isoformat(), "end": previous_end.isoformat()}, **previous}
    figures["change"] = change(figures["headline"], previous)
    figures["cumulative"] = headline(start=EARLIEST, end=end)
    figures["units"] = ranking(ticket_figures(start=start, end=end, group_by="unit"))
    figures["streets"] = ranking(ticket_figures(start=start, end=end, group_by="region"))
    figures["overdue"] = selectors.overdue_tickets(today=today, limit=LIST_LIMIT)
    figures["escalated"] = selectors.escalations_between(start=start, end=end, limit=LIST_LIMIT)
    figures["recurrences"] = selectors.recurrences_between(start=start, end=end, limit=LIST_LIMIT)
    figures["leaders_short"] = selectors.leaders_below_frequency(start=start, end=end, limit=LIST_LIMIT)
    figures["unpatrolled_sites"] = selectors.sites_not_patrolled(start=start, end=end, limit=LIST_LIMIT)
    figures["volunteers"] = _optional("volunteers.selectors", "volunteer_figures", start=start, end=end)
    figures["publicity"] = _optional("publicity.selectors", "publicity_figures", user=CITY_WIDE, start=start, end=end)
    figures["materials"] = material_figures(today=today)
    figures["readiness"] = readiness_figures(today=min(today, end))
    if kind == "weekly":
        figures["trend"] = trend_weeks(end_week_start=start)
    else:
        figures["trend"] = trend_months(end_month_start=start)
    figures["categories"] = categories(start=start, end=end)
    figures["typical"] = selectors.typical_problems(start=start, end=end, limit=TYPICAL_LIMIT)
    return figures


# --- Other apps' figures in the PDF -------------------------------------------------------------------


def volunteer_rows(data: dict | None) -> list[tuple[str, object]]:
    """(label, value) rows of volunteers.selectors.volunteer_figures, in the bulletin's order."""
    return _pick(
        data,
        [
            ("totals.registered", _("Registered volunteers")),
            ("totals.new_registered", _("Newly registered volunteers")),
            ("totals.active", _("Volunteers who served")),
            ("totals.person_times", _("Person-times")),
            ("totals.hours", _("Service hours")),
        ],
    )


def publicity_rows(data: dict | None) -> list[tuple[str, object]]:
    """(label, value) rows of publicity.selectors.publicity_figures, in the bulletin's order."""
    return _pick(
        data,
        [
            ("assets.total", _("Publicity assets")),
            ("assets.quantity", _("Items on display")),
            ("assets.bad", _("Assets damaged, faded, outdated or missing")),
            ("checks.checks", _("Look-back checks")),
            ("checks.problems", _("Problems found in checks")),
            ("checks.tickets_raised", _("Tickets raised from checks")),
            ("posts.posts", _("Online posts")),
            ("posts.views", _("Views of online posts")),
            ("printed.quantity", _("Printed materials handed out")),
            ("events.events", _("Theme events")),
            ("events.participants", _("Participants in theme events")),
        ],
    )


def _pick(data, spec):
    if not data:
        return []
    rows = []
    for path, label in spec:
        value = data
        for key in path.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            rows.append((label, value))
    return rows
