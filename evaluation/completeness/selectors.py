"""How complete the city's material is (材料申报完成情况): by unit, by standard, by content and by project.

What is counted is the **pair**: one material requirement × one of its submitting units (`MaterialRequirement.units`),
whether or not the unit has made a submission. Of each pair only the current version counts (`is_current`):

- `required`: the pairs;
- `submitted`: pairs whose current version is submitted or accepted (the unit has done its part);
- `accepted`: pairs whose current version is accepted;
- `returned`: pairs whose current version is returned (waiting for the unit's next version);
- `overdue`: pairs whose requirement's due date has passed (due date < today) and whose current version is neither
  submitted nor accepted: nothing at all, a draft, or returned;
- `late`: pairs whose current version is submitted or accepted and was submitted after the due date (`is_late`);
- `points_at_risk`: the points (分值) of the standards whose material is missing or returned. A standard's points are at
  risk in a group when at least one of the group's pairs under that standard is *open*: no current version, a draft,
  or returned. A version submitted and waiting for review is not open (the unit has done its part). Each standard's
  points count at most once per group, and at most once in the totals, however many of its pairs are open.

Every figure is computed by PostgreSQL (grouped counts and sums); Python only joins the few grouped rows to their
names. Every read starts from `core.registry.visible_to` for the viewer: the pairs are registered
(evaluation/visibility.py) and seen exactly as a submission for them would be (a unit liaison: its own unit's pairs
and those of the standards it leads; a supervisor: the units in its regions; a review body's members: the standards
under its projects; the office and the leader: all). Bulletins read `CITY_WIDE`.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from campaign.models import Unit
from core.registry import visible_to
from core.scope import scope_of
from evaluation.models import EvaluationItem, MaterialRequirement, MaterialSubmission

RequirementUnit = MaterialRequirement.units.through

GROUPS = ("unit", "standard", "content", "project")
DONE = (MaterialSubmission.Status.SUBMITTED, MaterialSubmission.Status.ACCEPTED)
COUNTS = ("required", "submitted", "accepted", "returned", "overdue", "late")


def pairs_visible_to(user, *, unit=None, item=None):
    """The requirement × unit pairs the user may see, narrowed to one unit and/or one item (a project, content or
    standard: the pairs under it)."""
    pairs = visible_to(RequirementUnit, user)
    if unit is not None:
        pairs = pairs.filter(unit_id=getattr(unit, "pk", unit))
    if item is not None:
        item_id = getattr(item, "pk", item)
        pairs = pairs.filter(
            Q(materialrequirement__standard_id=item_id)
            | Q(materialrequirement__standard__parent_id=item_id)
            | Q(materialrequirement__standard__parent__parent_id=item_id)
        )
    return pairs


def _pair_of(pairs, *, requirement="requirement_id", unit="unit_id"):
    """The condition "this submission belongs to one of `pairs`" (a semi-join)."""
    return Exists(pairs.filter(materialrequirement_id=OuterRef(requirement), unit_id=OuterRef(unit)))


def open_pairs(pairs):
    """The pairs with material missing or returned: no current version submitted or accepted (nothing, a draft, or
    returned)."""
    done = MaterialSubmission.objects.filter(
        requirement_id=OuterRef("materialrequirement_id"),
        unit_id=OuterRef("unit_id"),
        is_current=True,
        status__in=DONE,
    )
    return pairs.filter(~Exists(done))


# One pass over the visible pairs: each pair LEFT JOINed to its current version (the partial unique index
# submission_one_current) and counted per group; the points at risk from the distinct (group, standard) with an open
# pair; the totals (each standard's points once) in the same query. Written as SQL: the ORM cannot join a pair to
# its submission on two columns, and its EXISTS form led the planner into nested loops over 400,000 rows.
_GROUP_SQL = {
    "unit": "p.unit_id",
    "standard": "r.standard_id",
    "content": "st.parent_id",
    "project": "c.parent_id",
    None: "0",
}
_FIGURES_SQL = """
WITH p AS ({pairs}),
x AS {materialized} (
    SELECT {key} AS key, r.standard_id, r.due_date, s.status, s.is_late,
           (s.status IS NULL OR s.status NOT IN ('submitted', 'accepted')) AS open
    FROM p
    JOIN evaluation_materialrequirement r ON r.id = p.materialrequirement_id
    JOIN evaluation_evaluationitem st ON st.id = r.standard_id
    LEFT JOIN evaluation_evaluationitem c ON c.id = st.parent_id
    LEFT JOIN (
        SELECT requirement_id, unit_id, status, is_late FROM evaluation_materialsubmission WHERE is_current
    ) s ON s.requirement_id = p.materialrequirement_id AND s.unit_id = p.unit_id
),
counts AS (
    SELECT x.key,
           COUNT(*) AS required,
           COUNT(*) FILTER (WHERE NOT x.open) AS submitted,
           COUNT(*) FILTER (WHERE x.status = 'accepted') AS accepted,
           COUNT(*) FILTER (WHERE x.status = 'returned') AS returned,
           COUNT(*) FILTER (WHERE x.open AND x.due_date < %s) AS overdue,
           COUNT(*) FILTER (WHERE NOT x.open AND x.is_late) AS late
    FROM x GROUP BY x.key
),
at_risk AS (
    SELECT o.key, SUM(st.max_score) AS points
    FROM (SELECT DISTINCT x.key, x.standard_id FROM x WHERE x.open) o
    JOIN evaluation_evaluationitem st ON st.id = o.standard_id
    GROUP BY o.key
)
SELECT counts.key, 0, counts.required, counts.submitted, counts.accepted, counts.returned, counts.overdue,
       counts.late, COALESCE(at_risk.points, 0)
FROM counts LEFT JOIN at_risk ON at_risk.key IS NOT DISTINCT FROM counts.key
UNION ALL
SELECT NULL, 1, SUM(required), SUM(submitted), SUM(accepted), SUM(returned), SUM(overdue), SUM(late),
       (SELECT COALESCE(SUM(st.max_score), 0) FROM evaluation_evaluationitem st
        WHERE st.id IN (SELECT x.standard_id FROM x WHERE x.open))
FROM counts
"""


def _figures(pairs, group_by: str | None, today: date, *, wide: bool = False) -> tuple[dict, dict]:
    """(totals, {group id: figures}) in one query. `wide` (office, leader, a city-wide read: every pair): the
    planner is told to hash-join the pairs with the current versions; its row estimates of the join otherwise lead
    it into 75,000 index probes (benchmarks/evaluation_materials.py), and a sort of that size needs more than the
    default work_mem to stay in memory."""
    try:
        sql, params = pairs.order_by().values("materialrequirement_id", "unit_id").query.sql_with_params()
    except EmptyResultSet:  # a scope that sees nothing (no role): nothing required, nothing at risk
        return _row(None), {}
    postgresql = connection.vendor == "postgresql"
    query = _FIGURES_SQL.format(pairs=sql, key=_GROUP_SQL[group_by], materialized="MATERIALIZED" if postgresql else "")
    with transaction.atomic(), connection.cursor() as cursor:
        if postgresql:  # planner settings for this transaction only (the embedded SQLite needs none)
            # No JIT: compiling this one-off query cost about a second, several times what running it costs.
            settings = "SET LOCAL jit = off; SET LOCAL work_mem = '32MB'"
            if wide:
                settings += "; SET LOCAL enable_nestloop = off"
            cursor.execute(settings)
        cursor.execute(query, [*params, today])
        rows = cursor.fetchall()
    totals, groups = _row(None), {}
    for key, is_total, *values in rows:
        row = _row(values)
        if is_total:
            totals = row
        elif group_by is not None:
            groups[key] = row
    return totals, groups


def _row(values) -> dict:
    required, submitted, accepted, returned, overdue, late, points = values or (0, 0, 0, 0, 0, 0, 0)
    required, accepted = int(required or 0), int(accepted or 0)
    return {
        "required": required,
        "submitted": int(submitted or 0),
        "accepted": accepted,
        "returned": int(returned or 0),
        "overdue": int(overdue or 0),
        "late": int(late or 0),
        "points_at_risk": float(points or Decimal(0)),
        "accepted_rate": round(accepted / required, 4) if required else None,
    }


def totals(*, user, unit=None, item=None, today: date | None = None) -> dict:
    """The figures of every pair the user sees (one query)."""
    today = today or timezone.localdate()
    return _figures(pairs_visible_to(user, unit=unit, item=item), None, today, wide=scope_of(user).sees_everything)[0]


def grouped(*, user, group_by: str, unit=None, item=None, today: date | None = None, with_totals=False):
    """One row per group (`group_by` in GROUPS) with `id`, `code`, `name` and the figures, weakest first: the most
    points at risk, then the lowest share accepted, then the most overdue. Two queries (the figures, the names);
    `with_totals=True` answers (totals, rows) from the same figures query."""
    if group_by not in GROUPS:
        raise ValueError(group_by)
    today = today or timezone.localdate()
    total, groups = _figures(
        pairs_visible_to(user, unit=unit, item=item), group_by, today, wide=scope_of(user).sees_everything
    )
    ids = [key for key in groups if key is not None]
    if group_by == "unit":
        named = {row["id"]: row for row in Unit.objects.filter(pk__in=ids).values("id", "code", "name")}
    else:
        named = {
            row["id"]: {**row, "name": row["text"]}
            for row in EvaluationItem.objects.filter(pk__in=ids).values("id", "code", "text", "max_score")
        }
    results = []
    for key in ids:
        info = named.get(key, {})
        row = {"id": key, "code": info.get("code", ""), "name": info.get("name", ""), **groups[key]}
        if group_by == "standard":
            row["points"] = float(info["max_score"]) if info.get("max_score") is not None else None
        results.append(row)
    results.sort(key=weakest_first)
    return (total, results) if with_totals else results


def weakest_first(row: dict):
    rate = row["accepted_rate"] if row["accepted_rate"] is not None else 1
    return (-row["points_at_risk"], rate, -row["overdue"], row["code"])


def completeness(*, user, group_by: str | None = None, unit=None, item=None, today: date | None = None) -> dict:
    """What the API and the pages show: `totals`, and with `group_by` the grouped `results`."""
    today = today or timezone.localdate()
    if group_by:
        total, results = grouped(user=user, group_by=group_by, unit=unit, item=item, today=today, with_totals=True)
    else:
        total, results = totals(user=user, unit=unit, item=item, today=today), []
    return {"group_by": group_by, "as_of": today, "totals": total, "results": results}


def overdue_pairs(*, user, today: date | None = None, limit: int | None = None, unit=None) -> dict:
    """The named overdue pairs (due date passed, nothing submitted or accepted), longest overdue first:
    `total` and `rows` of unit, standard, requirement, due date, days overdue and the current version's status
    ("" when the unit has made no submission at all)."""
    today = today or timezone.localdate()
    pairs = open_pairs(pairs_visible_to(user, unit=unit)).filter(materialrequirement__due_date__lt=today)
    current = MaterialSubmission.objects.filter(
        requirement_id=OuterRef("materialrequirement_id"), unit_id=OuterRef("unit_id"), is_current=True
    ).values("status")[:1]
    rows = (
        pairs.annotate(current_status=Subquery(current))
        .order_by("materialrequirement__due_date", "unit__name", "materialrequirement__title", "pk")
        .values(
            "unit_id",
            "unit__name",
            "materialrequirement_id",
            "materialrequirement__title",
            "materialrequirement__standard__code",
            "materialrequirement__due_date",
            "current_status",
        )
    )
    total = pairs.count()
    rows = rows[:limit] if limit else rows
    status_labels = dict(MaterialSubmission.Status.choices)
    return {
        "total": total,
        "rows": [
            {
                "unit_id": row["unit_id"],
                "unit": row["unit__name"],
                "requirement_id": row["materialrequirement_id"],
                "requirement": row["materialrequirement__title"],
                "standard": row["materialrequirement__standard__code"],
                "due_date": row["materialrequirement__due_date"],
                "days_overdue": (today - row["materialrequirement__due_date"]).days,
                "status": row["current_status"] or "",
                "status_label": str(status_labels.get(row["current_status"], "")),
            }
            for row in rows
        ],
    }


def bulletin_figures(*, user, today: date | None = None, limit: int = 15) -> dict:
    """The bulletin's "材料申报" section (reports.figures passes CITY_WIDE): the totals, the table by project and the
    named overdue pairs (the `limit` longest overdue, and how many in all)."""
    today = today or timezone.localdate()
    total, projects = grouped(user=user, group_by="project", today=today, with_totals=True)
    return {
        "as_of": today,
        "totals": total,
        "projects": projects,
        "overdue": overdue_pairs(user=user, today=today, limit=limit),
    }
