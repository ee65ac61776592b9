"""The predicted score (测评得分预估) from the evidence of all three legs, for the whole scope and for each street.

Every count and sum is done by PostgreSQL: one grouped query per leg (field results, open tickets, material pairs,
questionnaire tallies), each with GROUPING SETS so the same pass answers the whole scope and each street. Python only
applies the arithmetic of `scoring` to the ~500 grouped rows per leg. `docs/readiness.md` explains every number.

Scope: the office and the leader (and the CITY_WIDE read of bulletins and the weekly snapshot) see the whole city; a
supervisor the streets of its regions, from the evidence in its regions only; a unit liaison and a user without a role
see nothing (readiness snapshots are registered SCOPED by region; a unit has no region path there).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from campaign.models import Region
from core.registry import visible_to
from core.roles import Role
from core.scope import DISTRICT, Scope, scope_of
from evaluation.completeness.selectors import pairs_visible_to
from evaluation.models import (
    EvaluationItem,
    Method,
    ReadinessInput,
    ReadinessSnapshot,
    Responsibility,
    StandardMethod,
    SurveyRound,
    SurveyTally,
)
from evaluation.rates import selectors as rates

from . import scoring

GROUPS = ("standard", "content", "project", "region")
OPEN_TICKET = ("reported", "dispatched", "rectifying", "submitted")
TREND_WEEKS = 12
OPEN_QUERY = "&".join(f"status={status}" for status in OPEN_TICKET)


# --- Scope and streets ---------------------------------------------------------------------------------------


def region_ids_for(user, region=None):
    """The region ids whose evidence counts: None (everything) or a set (possibly empty). `region` narrows to one
    street's subtree (within the scope)."""
    scope = scope_of(user)
    if not scope.is_authenticated:
        ids = frozenset()
    elif scope.region_ids is None:
        ids = None
    elif scope.is_unit:
        ids = frozenset()  # readiness is kept by region; a unit liaison has no region path here
    else:
        ids = scope.region_ids
    if region is not None:
        subtree = frozenset(Region.objects.filter(path__startswith=region.path).values_list("id", flat=True))
        ids = subtree if ids is None else ids & subtree
    return ids


def street_map() -> tuple[dict[int, int], dict[int, dict]]:
    """({region id: its street's id} for every street and region under one, {street id: {id, code, name}})."""
    regions = list(Region.objects.values_list("id", "level", "path", "code", "name"))
    streets = {rid: {"id": rid, "code": code, "name": name} for rid, level, _p, code, name in regions if level == 3}
    by_path = {path: rid for rid, level, path, _c, _n in regions if level == 3}
    mapping = {}
    for rid, level, path, _code, _name in regions:
        if level < 3:
            continue
        parts = path.split("/")
        for depth in range(1, len(parts)):
            prefix = "/".join(parts[:depth]) + "/"
            if prefix in by_path:
                mapping[rid] = by_path[prefix]
                break
    return mapping, streets


# --- The evidence, one grouped query per leg ------------------------------------------------------------------

_MAP = "m AS (SELECT * FROM unnest(%s::int[], %s::int[]) AS m(region_id, street_id))"

_FIELD_SQL = """
WITH {map}
SELECT cr.standard_id, m.street_id, GROUPING(m.street_id) AS whole,
       COUNT(*) AS n,
       SUM(CASE WHEN p.kind = 'mock_evaluation' THEN %s ELSE 1 END) AS weight,
       SUM(CASE WHEN p.kind = 'mock_evaluation' THEN %s ELSE 1 END *
           CASE WHEN p.kind = 'mock_evaluation' AND cr.score IS NOT NULL AND st.max_score > 0
                     THEN LEAST(cr.score / st.max_score, 1)
                WHEN cr.result = 'pass' THEN 1 ELSE 0 END) AS passed,
       COUNT(*) FILTER (WHERE p.kind = 'mock_evaluation') AS mock
FROM inspections_checklistresult cr
JOIN inspections_patrolvisit v ON v.id = cr.visit_id
JOIN inspections_patrol p ON p.id = v.patrol_id
JOIN inspections_site s ON s.id = v.site_id
JOIN inspections_sitetype_standards t ON t.sitetype_id = s.site_type_id AND t.evaluationitem_id = cr.standard_id
JOIN evaluation_evaluationitem st ON st.id = cr.standard_id
LEFT JOIN m ON m.region_id = s.region_id
WHERE cr.result <> 'na' AND v.checked_in_at >= %s AND v.checked_in_at < %s {regions}
GROUP BY GROUPING SETS ((cr.standard_id), (cr.standard_id, m.street_id))
"""

_TICKET_SQL = """
WITH {map}
SELECT t.standard_id, m.street_id, GROUPING(m.street_id) AS whole, COUNT(*)
FROM inspections_ticket t
LEFT JOIN m ON m.region_id = t.region_id
WHERE t.standard_id IS NOT NULL AND t.status IN ('reported', 'dispatched', 'rectifying', 'submitted') {regions}
GROUP BY GROUPING SETS ((t.standard_id), (t.standard_id, m.street_id))
"""

_MATERIAL_SQL = """
WITH {map}, p AS ({pairs})
SELECT r.standard_id, m.street_id, GROUPING(m.street_id) AS whole,
       COUNT(*) AS pairs,
       COUNT(*) FILTER (WHERE s.status = 'accepted') AS accepted,
       COUNT(*) FILTER (WHERE s.status IS NULL OR s.status IN ('draft', 'returned')) AS open
FROM p
JOIN evaluation_materialrequirement r ON r.id = p.materialrequirement_id
JOIN campaign_unit u ON u.id = p.unit_id
LEFT JOIN m ON m.region_id = u.region_id
LEFT JOIN (
    SELECT requirement_id, unit_id, status FROM evaluation_materialsubmission WHERE is_current
) s ON s.requirement_id = p.materialrequirement_id AND s.unit_id = p.unit_id
WHERE TRUE {regions}
GROUP BY GROUPING SETS ((r.standard_id), (r.standard_id, m.street_id))
"""

_SURVEY_SQL = """
WITH {map}, t AS ({tallies})
SELECT qs.evaluationitem_id, m.street_id, t.round_id, t.source, SUM(t.answered), SUM(t.positive)
FROM t
JOIN evaluation_question_standards qs ON qs.question_id = t.question_id
JOIN m ON m.region_id = t.region_id
GROUP BY qs.evaluationitem_id, m.street_id, t.round_id, t.source
"""

_QUESTION_SQL = """
WITH t AS ({tallies})
SELECT qs.evaluationitem_id, q.id, q.number, qn.code, q.text, q.rate,
       SUM(t.answered), SUM(t.positive), COALESCE(q.target, %s)
FROM t
JOIN evaluation_question q ON q.id = t.question_id
JOIN evaluation_questionnaire qn ON qn.id = q.questionnaire_id
JOIN evaluation_question_standards qs ON qs.question_id = t.question_id
WHERE q.rate <> '' AND t.answered > 0
GROUP BY qs.evaluationitem_id, q.id, qn.code
"""


def _run(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _no_jit():
    """Inside the caller's transaction: no JIT compilation. The planner's guesses (jsonb_each, unnest: 100 rows each)
    make these small aggregations look expensive enough to compile, which costs a second for a 20 ms query."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def _split(rows):
    """GROUPING SETS rows → ({standard: values}, {(standard, street): values})."""
    whole, streets = {}, {}
    for standard_id, street_id, is_whole, *values in rows:
        if is_whole:
            whole[standard_id] = values
        elif street_id is not None:
            streets[(standard_id, street_id)] = values
    return whole, streets


def survey_round(as_of: date) -> SurveyRound | None:
    """The round whose rates count: the latest closed round that started by `as_of`, else the latest open one."""
    rounds = SurveyRound.objects.filter(start_date__lte=as_of)
    return (
        rounds.filter(status=SurveyRound.Status.CLOSED).order_by("-end_date", "-pk").first()
        or rounds.filter(status=SurveyRound.Status.OPEN).order_by("-start_date", "-pk").first()
    )


def window(as_of: date) -> tuple[datetime, datetime]:
    """The field-evidence window: the WINDOW_WEEKS weeks up to the end of `as_of` (Asia/Shanghai)."""
    end = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min))
    return end - timedelta(weeks=scoring.setting("WINDOW_WEEKS")), end


def evidence(user, *, as_of: date, region=None) -> dict:
    """The raw evidence per leg, for the scope (`whole`) and per street: field results, open tickets, material pairs,
    questionnaire tallies, and the questions behind each standard's rate."""
    with transaction.atomic():
        _no_jit()
        return _evidence(user, as_of=as_of, region=region)


def _evidence(user, *, as_of: date, region=None) -> dict:
    ids = region_ids_for(user, region)
    mapping, streets = street_map()
    if ids is not None:
        streets = {sid: s for sid, s in streets.items() if sid in ids}
    empty = ids is not None and not ids
    map_params = [list(mapping.keys()), list(mapping.values())]
    regions_clause = "" if ids is None else "AND {column} = ANY(%s)"
    region_param = [] if ids is None else [list(ids)]
    start, end = window(as_of)
    mock_weight = scoring.setting("MOCK_WEIGHT")
    result = {"streets": streets, "round": None, "empty": empty}
    if empty:
        for leg in ("field", "tickets", "material", "survey"):
            result[leg] = ({}, {})
        result["questions"] = {}
        return result

    result["field"] = _split(
        _run(
            _FIELD_SQL.format(map=_MAP, regions=regions_clause.format(column="s.region_id")),
            [*map_params, mock_weight, mock_weight, start, end, *region_param],
        )
    )
    result["tickets"] = _split(
        _run(
            _TICKET_SQL.format(map=_MAP, regions=regions_clause.format(column="t.region_id")),
            [*map_params, *region_param],
        )
    )
    pairs_sql, pairs_params = (
        pairs_visible_to(user).order_by().values("materialrequirement_id", "unit_id").query.sql_with_params()
    )
    result["material"] = _split(
        _run(
            _MATERIAL_SQL.format(map=_MAP, pairs=pairs_sql, regions=regions_clause.format(column="u.region_id")),
            [*map_params, *pairs_params, *region_param],
        )
    )
    round_ = survey_round(as_of)
    result["round"] = round_
    if round_ is None:
        result["survey"], result["questions"] = ({}, {}), {}
        return result
    tallies = visible_to(SurveyTally, user).filter(round=round_)
    if ids is not None:
        tallies = tallies.filter(region_id__in=ids)
    tally_sql, tally_params = (
        tallies.order_by()
        .values("region_id", "round_id", "source", "question_id", "answered", "positive")
        .query.sql_with_params()
    )
    target = float(settings.SURVEY_DEFAULT_TARGET)
    # The whole scope: the rates module's own figure (weighting between sources, the mean target); each street: the
    # same combination (rates.selectors.combine) of that street's cells, against the standard's target.
    reader = (
        user
        if region is None
        else Scope(
            role=Role.OFFICE, is_authenticated=True, region_ids=ids, read_only=True, kind=DISTRICT, label="readiness"
        )
    )
    whole = {
        sid: (int(r["n"]), r["rate"], float(r["target"]))
        for sid, r in rates.standard_rates(rounds=[round_], user_or_scope=reader).items()
        if r["n"]
    }
    cells: dict = {}
    for standard_id, street_id, round_id, source, answered, positive in _run(
        _SURVEY_SQL.format(map=_MAP, tallies=tally_sql), [*map_params, *tally_params]
    ):
        cells.setdefault((standard_id, street_id), []).append((round_id, source, int(answered), int(positive)))
    weights = {round_.pk: round_.source_weights or {}}
    streets_survey = {}
    for key, rows in cells.items():
        figure = rates.combine(rows, weights)
        if figure.n and figure.rate is not None:
            streets_survey[key] = (int(figure.n), figure.rate, whole.get(key[0], (0, None, target))[2])
    result["survey"] = (whole, streets_survey)
    questions = {}
    for standard_id, qid, number, code, text, rate, answered, positive, q_target in _run(
        _QUESTION_SQL.format(tallies=tally_sql), [*tally_params, target]
    ):
        rate_value = positive / answered
        questions.setdefault(standard_id, []).append(
            {
                "id": qid,
                "label": f"{code}-{number}",
                "text": text,
                "rate_kind": rate,
                "rate": round(rate_value, 4),
                "target": float(q_target),
                "n": int(answered),
                "gap": round(rate_value / float(q_target) if q_target else rate_value, 4),
            }
        )
    for rows in questions.values():
        rows.sort(key=lambda r: (r["gap"], r["label"]))
    result["questions"] = questions
    return result


# --- The score ------------------------------------------------------------------------------------------------


def standards() -> list[dict]:
    """Every standard with its content, project, points and methods (two queries)."""
    rows = list(
        EvaluationItem.objects.filter(level=EvaluationItem.Level.STANDARD)
        .order_by("sort_order", "code")
        .values(
            "id",
            "code",
            "text",
            "max_score",
            "parent_id",
            "parent__code",
            "parent__text",
            "parent__parent_id",
            "parent__parent__code",
            "parent__parent__text",
        )
    )
    methods: dict[int, list[str]] = {}
    for standard_id, method in StandardMethod.objects.values_list("standard_id", "method"):
        methods.setdefault(standard_id, []).append(method)
    for row in rows:
        row["methods"] = sorted(methods.get(row["id"], []), key=scoring.METHOD_ORDER.index)
    return rows


def _parts(standard: dict, ev: dict, inputs: dict, *, street=None, whole_parts=None) -> list[scoring.Part]:
    sid = standard["id"]
    key = sid if street is None else (sid, street)
    pick = 0 if street is None else 1
    parts = []
    for method in standard["methods"]:
        fallback = None if whole_parts is None else whole_parts[method].share
        if method in scoring.FIELD_METHODS:
            values = ev["field"][pick].get(key)
            share = scoring.field_share(passed=float(values[2]), weight=float(values[1])) if values else None
            parts.append(scoring.part(method, share, int(values[0]) if values else 0, fallback=fallback))
        elif method == Method.MATERIAL:
            values = ev["material"][pick].get(key)
            share = scoring.material_share(accepted=values[1], pairs=values[0]) if values else None
            parts.append(scoring.part(method, share, int(values[0]) if values else 0, fallback=fallback))
        elif method == Method.QUESTIONNAIRE:
            values = ev["survey"][pick].get(key)  # (n, rate, target)
            share = None
            if values and values[0]:
                share = scoring.questionnaire_share(rate=float(values[1]), target=float(values[2]))
            parts.append(scoring.part(method, share, values[0] if values else 0, fallback=fallback))
        else:
            share, source = scoring.estimate_share(inputs.get((sid, method)))
            parts.append(scoring.Part(method, share, source, 0))
    return parts


def readiness(user, *, as_of: date | None = None, region=None, with_streets: bool = True) -> dict:
    """The predicted score for the user's scope: `standards` (one row per standard with `score`, `points`, `share`,
    `points_at_risk`, `parts` per method and the evidence behind them) and, `with_streets`, `streets` {street id:
    rows of the same shape}. `region` (a street) narrows the evidence to it."""
    as_of = as_of or timezone.localdate()
    ev = evidence(user, as_of=as_of, region=region)
    inputs = {
        (sid, method): float(share)
        for sid, method, share in ReadinessInput.objects.values_list("standard_id", "method", "share")
    }
    rows, street_rows = [], {sid: [] for sid in ev["streets"]}
    for standard in [] if ev["empty"] else standards():
        sid = standard["id"]
        parts = _parts(standard, ev, inputs)
        row = {
            "id": sid,
            "code": standard["code"],
            "name": standard["text"],
            "content_id": standard["parent_id"],
            "content_code": standard["parent__code"],
            "content_name": standard["parent__text"],
            "project_id": standard["parent__parent_id"],
            "project_code": standard["parent__parent__code"],
            "project_name": standard["parent__parent__text"],
            "methods": standard["methods"],
            **scoring.standard_score(standard["max_score"], parts),
            "open_tickets": int((ev["tickets"][0].get(sid) or [0])[0]),
            "open_material": int((ev["material"][0].get(sid) or [0, 0, 0])[2]),
            "field_mock": int((ev["field"][0].get(sid) or [0, 0, 0, 0])[3]),
            "questions": ev["questions"].get(sid, [])[:3],
        }
        rows.append(row)
        if with_streets:
            by_method = {p.method: p for p in parts}
            for street in street_rows:
                street_parts = _parts(standard, ev, inputs, street=street, whole_parts=by_method)
                street_rows[street].append(
                    {
                        "id": sid,
                        "code": standard["code"],
                        **scoring.standard_score(standard["max_score"], street_parts),
                        "open_tickets": int((ev["tickets"][1].get((sid, street)) or [0])[0]),
                    }
                )
    return {
        "as_of": as_of,
        "round": ev["round"],
        "standards": rows,
        "streets": ev["streets"],
        "street_rows": street_rows,
        "empty": ev["empty"],
    }


def grouped(data: dict, group_by: str) -> tuple[dict, list[dict]]:
    """(totals, rows) of a `readiness()` answer by standard, content, project or region (street); rows with the
    most points at risk first."""
    if group_by not in GROUPS:
        raise ValueError(group_by)
    totals = scoring.add_up(data["standards"])
    if data["empty"]:
        return totals, []
    if group_by == "standard":
        rows = [
            {
                "id": r["id"],
                "code": r["code"],
                "name": r["name"],
                "points": r["points"],
                "score": r["score"],
                "points_at_risk": r["points_at_risk"],
                "share": r["share"],
                "no_evidence": r["no_evidence"],
                "parts": r["parts"],
            }
            for r in data["standards"]
        ]
    elif group_by == "region":
        rows = []
        for street_id, street in data["streets"].items():
            rows.append({**street, **scoring.add_up(data["street_rows"].get(street_id, []))})
    else:
        buckets: dict = {}
        names = {}
        for r in data["standards"]:
            key = r[f"{group_by}_id"]
            buckets.setdefault(key, []).append(r)
            names[key] = (r[f"{group_by}_code"] or "", r[f"{group_by}_name"] or "")
        rows = [
            {"id": key, "code": names[key][0], "name": names[key][1], **scoring.add_up(members)}
            for key, members in buckets.items()
        ]
    rows.sort(key=lambda r: (-r["points_at_risk"], r["code"]))
    return totals, rows


def at_risk(data: dict, *, limit: int = 10) -> list[dict]:
    """The standards losing the most points, with who owns them (the responsibility list's lead and responsible
    units) and what would raise them: open tickets, missing or returned material, the weakest questions — each with
    a link to the list that shows them."""
    rows = sorted(
        (r for r in data["standards"] if r["points_at_risk"] > 0), key=lambda r: (-r["points_at_risk"], r["code"])
    )[:limit]
    ids = [r["id"] for r in rows]
    owners: dict[int, dict] = {sid: {"lead": [], "units": []} for sid in ids}
    for duty in (
        Responsibility.objects.filter(standard_id__in=ids)
        .select_related("lead_unit")
        .prefetch_related("units")
        .order_by("sort_order", "id")
    ):
        entry = owners[duty.standard_id]
        if duty.lead_unit.name not in entry["lead"]:
            entry["lead"].append(duty.lead_unit.name)
        for unit in duty.units.all():
            if unit.name not in entry["units"] and unit.name not in entry["lead"]:
                entry["units"].append(unit.name)
    tickets_url = reverse("inspections:ticket_list")
    material_url = reverse("evaluation:completeness")
    result = []
    for r in rows:
        result.append(
            {
                **r,
                "owners": owners[r["id"]],
                "tickets_url": f"{tickets_url}?standard={r['id']}&{OPEN_QUERY}" if r["open_tickets"] else "",
                "material_url": f"{material_url}?item={r['id']}" if r["open_material"] else "",
            }
        )
    return result


def readiness_api(user, *, group_by: str, as_of: date | None = None, region=None) -> dict:
    """What `readiness/` answers: `totals` and grouped `results`, computed now from the evidence."""
    data = readiness(user, as_of=as_of, region=region, with_streets=group_by == "region")
    totals, rows = grouped(data, group_by)
    return {"group_by": group_by, "as_of": data["as_of"], "week": None, "totals": totals, "results": rows}


# --- Kept weeks -----------------------------------------------------------------------------------------------


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def latest_week(user) -> date | None:
    return visible_to(ReadinessSnapshot, user).order_by("-week").values_list("week", flat=True).first()


_KEPT_KEYS = {
    "standard": "k.standard_id",
    "content": "st.parent_id",
    "project": "c.parent_id",
    "region": "k.region_id",
    None: "0",
}
_KEPT_JOIN = """JOIN evaluation_evaluationitem st ON st.id = k.standard_id
LEFT JOIN evaluation_evaluationitem c ON c.id = st.parent_id"""
_KEPT_SQL = """
WITH k AS ({base})
SELECT {key} AS key, SUM(k.points), SUM(k.points * k.share), {methods}
FROM k {join}
GROUP BY 1
"""
# Each method's points at risk as kept with the part (services.readiness_snapshot writes them).
_KEPT_METHODS = ", ".join(f"SUM((k.parts->'{m}'->>'points_at_risk')::numeric)" for m in scoring.METHOD_ORDER)


def _kept_groups(base, group_by: str | None) -> dict:
    """{group id: {points, score, points_at_risk, share, parts}} of kept rows, summed by PostgreSQL (one query)."""
    try:
        sql, params = (
            base.order_by().values("standard_id", "region_id", "points", "share", "parts").query.sql_with_params()
        )
    except EmptyResultSet:  # nothing visible
        return {}
    query = _KEPT_SQL.format(
        base=sql,
        key=_KEPT_KEYS[group_by],
        join=_KEPT_JOIN if group_by in ("content", "project") else "",
        methods=_KEPT_METHODS,
    )
    with transaction.atomic():
        _no_jit()
        found = _run(query, list(params))
    groups: dict = {}
    for key, points, score, *at_risk in found:
        points, score = float(points), float(score)
        groups[key] = {
            "points": round(points, 4),
            "score": round(score, 4),
            "points_at_risk": round(points - score, 4),
            "share": round(score / points, 4) if points else None,
            "parts": {
                m: {"points_at_risk": round(float(value), 4)}
                for m, value in zip(scoring.METHOD_ORDER, at_risk, strict=True)
                if value is not None
            },
        }
    return groups


def snapshot_api(user, *, week: date, group_by: str, region=None) -> dict:
    """The kept snapshot of `week`, shaped like `readiness_api` and summed by the database: the city rows (office,
    leader) or, for a narrower scope or a `region`, the rows of that street; group_by=region: each street's rows
    (the totals: the city's, for those who see it). A standard's row rebuilds its parts from the kept shares."""
    kept = visible_to(ReadinessSnapshot, user).filter(week=week)
    scope = scope_of(user)
    if region is not None:
        base = kept.filter(region=region)
    elif scope.region_ids is None:
        base = kept.filter(region__isnull=True)
    else:
        base = kept.none()
    empty = scoring.add_up([])
    totals = empty if group_by == "standard" else _kept_groups(base, None).get(0, empty)
    if group_by == "region":
        groups = _kept_groups(kept.filter(region__isnull=False) if region is None else base, "region")
        names = {r["id"]: r for r in Region.objects.filter(pk__in=list(groups)).values("id", "code", "name")}
        results = [{**names[key], **values} for key, values in groups.items() if key in names]
    elif group_by == "standard":
        # One row per kept standard, its parts as kept (share, n, source, points at risk per method).
        rows = base.order_by().values("standard_id", "standard__code", "standard__text", "points", "share", "parts")
        results = []
        for r in rows:
            points, share = float(r["points"]), float(r["share"])
            parts = r["parts"] or {}
            results.append(
                {
                    "id": r["standard_id"],
                    "code": r["standard__code"],
                    "name": r["standard__text"],
                    "points": points,
                    "share": share,
                    "score": round(points * share, 4),
                    "points_at_risk": round(points * (1 - share), 4),
                    "no_evidence": all(p.get("source") == scoring.NONE for p in parts.values()),
                    "parts": parts,
                }
            )
        totals = scoring.add_up(results)  # the rows are the scope's own: their sum is the total
    else:
        groups = _kept_groups(base, group_by)
        names = {
            r["id"]: {"id": r["id"], "code": r["code"], "name": r["text"]}
            for r in EvaluationItem.objects.filter(pk__in=[k for k in groups if k is not None]).values(
                "id", "code", "text"
            )
        }
        results = [{**names[key], **values} for key, values in groups.items() if key in names]
    results.sort(key=lambda r: (-r["points_at_risk"], r["code"]))
    return {"group_by": group_by, "as_of": week + timedelta(days=6), "week": week, "totals": totals, "results": results}


def trend(user, *, weeks: int = TREND_WEEKS, region=None) -> list[dict]:
    """The predicted total of the last `weeks` kept weeks (oldest first): `week`, `score`, `points`. The city's for
    the office and the leader; a street's (`region`) or, for a supervisor, the sum over its streets divided by their
    number (the mean street)."""
    kept = visible_to(ReadinessSnapshot, user)
    scope = scope_of(user)
    if region is not None:
        kept = kept.filter(region=region)
    elif scope.region_ids is None:
        kept = kept.filter(region__isnull=True)
    else:
        kept = kept.filter(region__isnull=False)
    rows = list(
        kept.values("week", "region_id")
        .annotate(total_points=Sum("points"), total_score=Sum(_score_expression()))
        .order_by("-week", "region_id")
    )
    by_week: dict = {}
    for r in rows:
        by_week.setdefault(r["week"], []).append(r)
    result = []
    for week in sorted(by_week)[-weeks:]:
        members = by_week[week]
        count = len(members)
        result.append(
            {
                "week": week,
                "score": round(sum(float(m["total_score"]) for m in members) / count, 4),
                "points": round(sum(float(m["total_points"]) for m in members) / count, 2),
            }
        )
    return result


def _score_expression():
    from django.db.models import F

    return F("points") * F("share")


# --- Surfaces: the dashboards' card and the bulletins' section ---------------------------------------------------


def card(user, *, as_of: date | None = None, limit: int = 5) -> dict:
    """The dashboards' "测评得分预估" card: the predicted total out of the points possible and the top points at
    risk (computed now), with the trend of the kept weeks."""
    data = readiness(user, as_of=as_of, with_streets=False)
    totals = scoring.add_up(data["standards"])
    return {
        "totals": totals,
        "at_risk": at_risk(data, limit=limit),
        "trend": trend(user),
        "empty": data["empty"],
    }


def bulletin_figures(*, user, today: date, limit: int = 10) -> dict:
    """The bulletins' "测评得分预估" section (reports.figures passes CITY_WIDE): totals, by project, by street and
    the points at risk — plain JSON-able values, kept with the bulletin."""
    data = readiness(user, as_of=today)
    totals, projects = grouped(data, "project")
    _t, streets = grouped(data, "region")
    risks = at_risk(data, limit=limit)
    return {
        "as_of": today.isoformat(),
        "totals": totals,
        "projects": [{k: r[k] for k in ("code", "name", "points", "score", "points_at_risk")} for r in projects],
        "streets": [
            {k: r[k] for k in ("code", "name", "points", "score", "points_at_risk", "share")}
            for r in sorted(streets, key=lambda r: -(r["share"] or 0))
        ],
        "at_risk": [
            {
                "code": r["code"],
                "name": r["name"],
                "points": r["points"],
                "score": r["score"],
                "points_at_risk": r["points_at_risk"],
                "lead": "、".join(r["owners"]["lead"]),
                "open_tickets": r["open_tickets"],
                "open_material": r["open_material"],
            }
            for r in risks
        ],
    }
