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

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.utils import timezone

from campaign.models import Unit
from core.registry import visible_to
from evaluation.models import EvaluationItem, MaterialRequirement, MaterialSubmission

RequirementUnit = MaterialRequirement.units.through

GROUPS = ("unit", "standard", "content", "project")
DONE = (MaterialSubmission.Status.SUBMITTED, MaterialSubmission.Status.ACCEPTED)
COUNTS = ("required", "submitted", "accepted", "returned", "overdue", "late")

# The group's key from a pair, from a submission, and from a standard.
_PAIR_KEY = {
    "unit": "unit_id",
    "standard": "materialrequirement__standard_id",
    "content": "materialrequirement__standard__parent_id",
    "project": "materialrequirement__standard__parent__parent_id",
}
_SUBMISSION_KEY = {
    "unit": "unit_id",
    "standard": "requirement__standard_id",
    "content": "requirement__standard__parent_id",
    "project": "requirement__standard__parent__parent_id",
}
_STANDARD_KEY = {"standard": "pk", "content": "parent_id", "project": "parent__parent_id"}


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


def current_versions(user, pairs):
    """The current versions of the pairs, through the submissions' own visibility rule too."""
    return visible_to(MaterialSubmission, user).filter(is_current=True).filter(_pair_of(pairs))


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


def _pair_counts(pairs, today):
    return {
        "required": Count("pk"),
        "past_due": Count("pk", filter=Q(materialrequirement__due_date__lt=today)),
    }


def _version_counts(today):
    done = Q(status__in=DONE)
    return {
        "submitted": Count("pk", filter=done),
        "accepted": Count("pk", filter=Q(status=MaterialSubmission.Status.ACCEPTED)),
        "returned": Count("pk", filter=Q(status=MaterialSubmission.Status.RETURNED)),
        "late": Count("pk", filter=done & Q(is_late=True)),
        "done_past_due": Count("pk", filter=done & Q(requirement__due_date__lt=today)),
    }


def _row(pair_row: dict, version_row: dict | None, points) -> dict:
    version_row = version_row or {}
    required = pair_row.get("required") or 0
    accepted = version_row.get("accepted") or 0
    return {
        "required": required,
        "submitted": version_row.get("submitted") or 0,
        "accepted": accepted,
        "returned": version_row.get("returned") or 0,
        # Past due and not done: pairs with nothing at all count here too (they have no version row).
        "overdue": (pair_row.get("past_due") or 0) - (version_row.get("done_past_due") or 0),
        "late": version_row.get("late") or 0,
        "points_at_risk": float(points or Decimal(0)),
        "accepted_rate": round(accepted / required, 4) if required else None,
    }


def _standards():
    return EvaluationItem.objects.filter(level=EvaluationItem.Level.STANDARD)


def _points_by_item_group(pairs, group_by: str) -> dict:
    """{group id: points of the group's standards with an open pair}."""
    open_ = open_pairs(pairs)
    rows = (
        _standards()
        .filter(Exists(open_.filter(materialrequirement__standard_id=OuterRef("pk"))))
        .order_by()
        .values(key=F(_STANDARD_KEY[group_by]))
        .annotate(points=Sum("max_score"))
    )
    return {row["key"]: row["points"] for row in rows}


def _points_total(pairs):
    open_ = open_pairs(pairs)
    total = (
        _standards()
        .filter(Exists(open_.filter(materialrequirement__standard_id=OuterRef("pk"))))
        .aggregate(points=Sum("max_score"))["points"]
    )
    return total or Decimal(0)


def totals(*, user, unit=None, item=None, today: date | None = None) -> dict:
    """The figures of every pair the user sees (three queries)."""
    today = today or timezone.localdate()
    pairs = pairs_visible_to(user, unit=unit, item=item)
    pair_row = pairs.aggregate(**_pair_counts(pairs, today))
    version_row = current_versions(user, pairs).aggregate(**_version_counts(today))
    return _row(pair_row, version_row, _points_total(pairs))


def grouped(*, user, group_by: str, unit=None, item=None, today: date | None = None) -> list[dict]:
    """One row per group (`group_by` in GROUPS) with `id`, `code`, `name` and the figures, weakest first: the most
    points at risk, then the lowest share accepted, then the most overdue. Three queries (four by item)."""
    if group_by not in GROUPS:
        raise ValueError(group_by)
    today = today or timezone.localdate()
    pairs = pairs_visible_to(user, unit=unit, item=item)
    pair_rows = {
        row["key"]: row
        for row in pairs.order_by().values(key=F(_PAIR_KEY[group_by])).annotate(**_pair_counts(pairs, today))
    }
    version_rows = {
        row["key"]: row
        for row in current_versions(user, pairs)
        .order_by()
        .values(key=F(_SUBMISSION_KEY[group_by]))
        .annotate(**_version_counts(today))
    }
    ids = [key for key in pair_rows if key is not None]
    if group_by == "unit":
        # A standard's points count once per unit: the sum over the standards with one of the unit's pairs open.
        open_standards = (
            open_pairs(pairs).filter(unit_id=OuterRef(OuterRef("pk"))).values("materialrequirement__standard_id")
        )
        points = (
            _standards()
            .filter(pk__in=open_standards)
            .order_by()
            .annotate(one=Value(1, output_field=IntegerField()))
            .values("one")
            .annotate(points=Sum("max_score"))
            .values("points")
        )
        names = (
            Unit.objects.filter(pk__in=ids)
            .annotate(points_at_risk=Subquery(points))
            .values("id", "code", "name", "points_at_risk")
        )
        named = {row["id"]: row for row in names}
    else:
        by_group = _points_by_item_group(pairs, group_by)
        named = {
            row["id"]: {**row, "name": row["text"], "points_at_risk": by_group.get(row["id"])}
            for row in EvaluationItem.objects.filter(pk__in=ids).values("id", "code", "text", "max_score")
        }
    results = []
    for key in ids:
        info = named.get(key, {})
        row = {
            "id": key,
            "code": info.get("code", ""),
            "name": info.get("name", ""),
            **_row(pair_rows[key], version_rows.get(key), info.get("points_at_risk")),
        }
        if group_by == "standard":
            row["points"] = float(info["max_score"]) if info.get("max_score") is not None else None
        results.append(row)
    results.sort(key=weakest_first)
    return results


def weakest_first(row: dict):
    rate = row["accepted_rate"] if row["accepted_rate"] is not None else 1
    return (-row["points_at_risk"], rate, -row["overdue"], row["code"])


def completeness(*, user, group_by: str | None = None, unit=None, item=None, today: date | None = None) -> dict:
    """What the API and the pages show: `totals`, and with `group_by` the grouped `results`."""
    today = today or timezone.localdate()
    return {
        "group_by": group_by,
        "as_of": today,
        "totals": totals(user=user, unit=unit, item=item, today=today),
        "results": grouped(user=user, group_by=group_by, unit=unit, item=item, today=today) if group_by else [],
    }


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
    return {
        "as_of": today,
        "totals": totals(user=user, today=today),
        "projects": grouped(user=user, group_by="project", today=today),
        "overdue": overdue_pairs(user=user, today=today, limit=limit),
    }
