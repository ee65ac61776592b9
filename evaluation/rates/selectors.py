"""The survey rates (知晓率, 支持率, 满意度, 参与率): per round, area, group, question and standard, with the sample
size and a 95% confidence interval, the weighting between sources, the month-on-month change and the weakest questions.

Everything is read from `SurveyTally` (one row per round × area × group × source × question holding how many
counted answers there are and how many are positive; kept by evaluation/surveys) through
`core.registry.visible_to(SurveyTally, …)`: the office and the leader read all, a supervisor its areas, and the
bulletins and the readiness score read with `CITY_WIDE`. The database does the summing (one GROUP BY per table);
Python only combines the few aggregated cells (a cell = one key × round × source), never the answers.

The numbers
-----------
- A rate p = positive / answered over the counted answers (flagged responses never reach the tallies unless the
  office accepted them) of the questions feeding that rate; n = answered.
- 95% interval: the Wilson score interval, with z = 1.959964 (the 97.5% normal quantile)::

      centre    = (p + z²/(2n)) / (1 + z²/n)
      half      = z / (1 + z²/n) · √( p(1 − p)/n + z²/(4n²) )
      interval  = [centre − half, centre + half]

  e.g. 7 positive of 10: p = 0.7, interval [0.3968, 0.8922]. It stays inside [0, 1] and is sensible for small n
  and p near 0 or 1 (where p ± 1.96·√(p(1−p)/n) is not).
- Weighting between sources (`SurveyRound.source_weights`, e.g. {"interview": 70, "fieldworker": 30}): within a
  round, the weighted rate is p = Σ w_s p_s / Σ w_s over the sources present (with at least one answer). A source
  the weights do not name (or with weight 0) is left out of a weighted round; a round without weights pools all its
  answers (p = Σ positive / Σ answered).
  How n and the interval of a weighted rate are reported: `n` is the number of answers behind it (Σ n_s over the
  sources used), `positive` their positive count, and the interval is the Wilson interval of the weighted p with
  Kish's effective sample size n_eff = 1 / Σ (W_s² / n_s), where W_s = w_s / Σ w is a source's share of the rate
  (reported as `n_effective`). Unequal weights make n_eff smaller than n, so the interval is honestly wider than an
  unweighted one of the same answers; with equal shares of answers and weight, n_eff = n.
  Example: interview 8 of 10 positive, fieldworker 1 of 2, weights 70/30: p = 0.7·0.8 + 0.3·0.5 = 0.71, n = 12,
  n_eff = 1 / (0.49/10 + 0.09/2) = 10.638…, interval Wilson(0.71, 10.638).
- Several rounds together (readiness reads a window of rounds): each round contributes in proportion to its answers
  n_r / N, its sources inside it as above; so the strata are (round, source) with share W = (n_r/N)·W_s, and the same
  p = Σ W p, n_eff = 1 / Σ (W² / n). Without any weights this is exactly the pooled rate with n_eff = n.
- Month-on-month: the same rate in the previous round (the round with the latest end date before this one's end
  date that is not a draft), and the change p − p_prev.
- Standards: a question names the standards it measures; a standard's rate pools all answers of its questions (of
  any of the four rates) in the given rounds. Its target is the MEAN of its questions' targets, a question without
  a target counting as settings.SURVEY_DEFAULT_TARGET (0.90): the mean, because every question weighs the same in
  the standard's rate, so the mean target is what that rate is expected to reach.
- The weakest questions: the questions with the lowest rate among those with at least `min_n` answers, with the
  standards they measure and the units responsible for those standards (the responsibility list: lead unit and
  units).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Avg, DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from campaign.models import Region
from core.registry import visible_to
from core.scope import scope_of
from evaluation.models import (
    EvaluationItem,
    Question,
    Rate,
    RespondentGroup,
    Responsibility,
    SurveyRound,
    SurveyTally,
)

Z95 = 1.959963984540054
RATES = tuple(Rate.values)  # awareness, support, satisfaction, participation
GROUP_BYS = ("region", "group", "question", "standard")
WEAKEST_MIN_N = 30  # answers a question needs before it can be called weak
WEAKEST_LIMIT = 10
FOUR = Decimal("0.0001")


def _dec(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(value)).quantize(FOUR, rounding=ROUND_HALF_UP)


def wilson(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a share p out of n (n may be an effective, non-integer size); (0, 1) for n = 0.
    centre = (p + z²/2n)/(1 + z²/n); half = z/(1 + z²/n)·√(p(1−p)/n + z²/4n²)."""
    if n <= 0:
        return 0.0, 1.0
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(max(p * (1 - p) / n + z2 / (4 * n * n), 0.0))
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Figure:
    """One rate: p (None without answers), n answers, positive answers, the 95% interval, n_eff (Kish)."""

    rate: Decimal | None = None
    n: int = 0
    positive: int = 0
    low: Decimal | None = None
    high: Decimal | None = None
    n_effective: Decimal | None = None
    weighted: bool = False
    p: float | None = field(default=None, repr=False)  # unrounded, for sorting and differences

    @property
    def percent(self) -> str:
        """ "72.5%" (the page), "—" without answers."""
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"

    @property
    def interval_text(self) -> str:
        """ "64.1–80.2%"."""
        return "" if self.rate is None else f"{self.low * 100:.1f}–{self.high * 100:.1f}%"

    def as_dict(self) -> dict:
        return {
            "rate": self.rate,
            "n": self.n,
            "positive": self.positive,
            "interval": [self.low, self.high] if self.rate is not None else None,
            "n_effective": self.n_effective,
            "weighted": self.weighted,
        }


def combine(cells, weights_by_round: dict[int, dict]) -> Figure:
    """One figure from aggregated cells (round_id, source, answered, positive) of one key: strata (round, source)
    with shares (n_r/N)·W_s (see the module docstring)."""
    by_round: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for round_id, source, answered, positive in cells:
        if answered:
            by_round[round_id].append((source, int(answered), int(positive)))
    round_parts: list[tuple[int, list[tuple[float, int, int]]]] = []
    weighted = False
    for round_id, rows in by_round.items():
        given = weights_by_round.get(round_id)
        given = given if isinstance(given, dict) else {}  # anything but {source: weight} is no weighting
        weights = {k: float(v) for k, v in given.items() if _positive_number(v)}
        if weights:
            weighted = True
            parts: dict[str, list[int]] = {}  # a source's cells summed (a rolled-up key spans several cells)
            for source, answered, positive in rows:
                if source in weights:
                    part = parts.setdefault(source, [0, 0])
                    part[0] += answered
                    part[1] += positive
            total_w = sum(weights[source] for source in parts)
            if parts:
                merged = [(weights[s] / total_w, a, p) for s, (a, p) in parts.items()]
                round_parts.append((sum(a for _w, a, _p in merged), merged))
        else:
            answered = sum(a for _s, a, _p in rows)
            positive = sum(p for _s, _a, p in rows)
            round_parts.append((answered, [(1.0, answered, positive)]))
    total = sum(n_r for n_r, _parts in round_parts)
    if not total:
        return Figure()
    p_value = 0.0
    inverse_neff = 0.0
    positive_total = 0
    for n_r, parts in round_parts:
        for share, answered, positive in parts:
            share_all = (n_r / total) * share
            p_value += share_all * positive / answered
            inverse_neff += share_all * share_all / answered
            positive_total += positive
    if not weighted:
        n_eff = float(total)
        p_value = positive_total / total  # exact (no float sum of shares)
    else:
        n_eff = 1 / inverse_neff
    low, high = wilson(p_value, n_eff)
    return Figure(
        rate=_dec(p_value),
        n=total,
        positive=positive_total,
        low=_dec(low),
        high=_dec(high),
        n_effective=_dec(n_eff),
        weighted=weighted,
        p=p_value,
    )


def _positive_number(value) -> bool:
    try:
        return float(value) > 0 and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _round_ids(rounds) -> list[int]:
    if isinstance(rounds, SurveyRound):
        return [rounds.pk]
    if isinstance(rounds, QuerySet):
        return list(rounds.values_list("pk", flat=True))
    return [r.pk if isinstance(r, SurveyRound) else int(r) for r in rounds]


def _weights(rounds) -> dict[int, dict]:
    """{round id: source weights}; a round object already holds them (no query)."""
    if isinstance(rounds, SurveyRound):
        return {rounds.pk: rounds.source_weights or {}}
    return dict(SurveyRound.objects.filter(pk__in=rounds).values_list("pk", "source_weights"))


def tallies(*, rounds, user_or_scope) -> QuerySet:
    """The tally rows the user may read in the given rounds (a round, a queryset of rounds, or ids)."""
    return visible_to(SurveyTally, user_or_scope).filter(round_id__in=_round_ids(rounds))


def _cells(queryset: QuerySet, keys: tuple[str, ...]) -> dict[tuple, list]:
    """GROUP BY keys, round, source in the database: {key tuple: [(round_id, source, answered, positive)]}."""
    grouped: dict[tuple, list] = defaultdict(list)
    rows = (
        queryset.order_by()
        .values(*keys, "round_id", "source")
        .annotate(n=Sum("answered"), pos=Sum("positive"))
        .values_list(*keys, "round_id", "source", "n", "pos")
    )
    width = len(keys)
    for row in rows:
        grouped[tuple(row[:width])].append(row[width:])
    return grouped


def _figures(cells: dict[tuple, list], weights) -> dict[tuple, Figure]:
    return {key: combine(rows, weights) for key, rows in cells.items()}


# One scan of the tallies for several tables: GROUP BY GROUPING SETS. Each set's key columns (the rate and the cell's
# round and source are in every set); a set is told apart by which of region, group and question are grouped (they
# are never NULL in a tally, so NULL in a result row means "not in this set").
SETS = {
    "overall": ((), (False, False, False)),
    "region": (("t.region_id",), (True, False, False)),
    "group": (('t."group"',), (False, True, False)),
    "question": (("t.question_id",), (False, False, True)),
}


def grouped(*, rounds, user_or_scope, sets=("overall", "region", "group", "question"), key_round=None) -> dict:
    """{set: {key tuple: [(round_id, source, answered, positive)]}} from ONE query over the visible tallies of the
    rounds (GROUPING SETS). Sets other than "overall" keep only the cells of `key_round` (an id) when given: the
    previous round is read for its overall figures only. Keys: overall (rate,), region (region id, rate),
    group (group, rate), question (question id, rate)."""
    round_ids = _round_ids(rounds)
    chosen = [name for name in SETS if name in sets]
    result: dict[str, dict] = {name: defaultdict(list) for name in chosen}
    inner = (
        tallies(rounds=round_ids, user_or_scope=user_or_scope)
        .order_by()
        .values("round_id", "region_id", "group", "source", "question_id", "answered", "positive")
    )
    try:
        inner_sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # nothing visible (e.g. an empty scope)
        return result
    grouping_sets = ", ".join(
        "(" + ", ".join([*SETS[name][0], "q.rate", "t.round_id", "t.source"]) + ")" for name in chosen
    )
    present = {column for name in chosen for column in SETS[name][0]}
    columns = ", ".join(c if c in present else "NULL" for c in ("t.region_id", 't."group"', "t.question_id"))
    sql = (
        f"SELECT {columns}, q.rate, t.round_id, t.source, SUM(t.answered), "
        f"SUM(t.positive) FROM ({inner_sql}) t JOIN {Question._meta.db_table} q ON q.id = t.question_id "
        f"GROUP BY GROUPING SETS ({grouping_sets})"
    )
    by_pattern = {SETS[name][1]: name for name in chosen}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for region_id, group, question_id, rate, round_id, source, answered, positive in cursor.fetchall():
            name = by_pattern.get((region_id is not None, group is not None, question_id is not None))
            if name is None:
                continue
            if name != "overall" and key_round is not None and round_id != key_round:
                continue
            key = {
                "overall": (rate,),
                "region": (region_id, rate),
                "group": (group, rate),
                "question": (question_id, rate),
            }[name]
            result[name][key].append((round_id, source, answered, positive))
    return result


# --- For readiness and bulletins ---------------------------------------------------------------------------------


def _default_target() -> Decimal:
    return Decimal(str(settings.SURVEY_DEFAULT_TARGET)).quantize(FOUR)


def _targets(round_ids) -> dict[int, Decimal]:
    """{standard id: the mean target of its questions in the rounds' questionnaires (a missing target counting as
    the default)}; one small query (no tallies)."""
    default = _default_target()
    return {
        standard_id: Decimal(target).quantize(FOUR)
        for standard_id, target in Question.standards.through.objects.filter(
            question__in=Question.objects.filter(questionnaire__rounds__in=round_ids).values("pk")
        )
        .order_by()
        .values("evaluationitem_id")
        .annotate(
            target=Avg(
                Coalesce("question__target", Value(default), output_field=DecimalField(max_digits=5, decimal_places=4))
            )
        )
        .values_list("evaluationitem_id", "target")
    }


def _standard_entry(figure: Figure, target, default) -> dict:
    return {
        "rate": figure.rate,
        "n": figure.n,
        "positive": figure.positive,
        "target": target if target is not None else default,
        "low": figure.low,
        "high": figure.high,
        "n_effective": figure.n_effective,
        "weighted": figure.weighted,
    }


def standard_rates(*, rounds, user_or_scope) -> dict[int, dict]:
    """{standard id: {"rate", "n", "target", "positive", "low", "high", "n_effective", "weighted"}} for every
    standard measured by a question of the given rounds' questionnaires: the share of positive counted answers over
    all its questions in those rounds (weighted between sources where a round has weights; rate None and n 0 without
    answers), and its target (the mean of its questions' targets, a missing one counting as
    settings.SURVEY_DEFAULT_TARGET). Three queries whatever the size."""
    round_ids = _round_ids(rounds)
    cells = _cells(
        tallies(rounds=round_ids, user_or_scope=user_or_scope).filter(question__standards__isnull=False),
        ("question__standards",),
    )
    targets = _targets(round_ids)
    weights = _weights(round_ids)
    default = _default_target()
    return {
        standard_id: _standard_entry(combine(cells.get((standard_id,), []), weights), targets.get(standard_id), default)
        for standard_id in set(targets) | {key[0] for key in cells}
    }


# --- The rates page and API --------------------------------------------------------------------------------------


def overall(*, round, user_or_scope, cells=None) -> dict[str, Figure]:
    """The four rates of a round (the KPI cards). `cells`: grouped(…)["overall"] when the caller has them (the
    cells of other rounds are ignored)."""
    if cells is None:
        cells = _cells(tallies(rounds=round, user_or_scope=user_or_scope), ("question__rate",))
    mine = {key: [c for c in rows if c[0] == round.pk] for key, rows in cells.items()}
    figures = _figures(mine, _weights(round))
    return {rate: figures.get((rate,), Figure()) for rate in RATES}


def overall_with_change(*, round, user_or_scope, sets=()) -> tuple[SurveyRound | None, dict[str, dict], dict]:
    """(previous round, with_change(…) of the four rates, grouped cells of `sets` for this round): the KPI cards and
    the tables from one query over this round and the previous one."""
    previous = previous_round(round)
    cells = grouped(rounds=[round.pk], user_or_scope=user_or_scope, sets=("overall", *sets))
    current = overall(round=round, user_or_scope=user_or_scope, cells=cells["overall"])
    before = None
    if previous:  # its own small query: one grouping set over its tallies only
        before_cells = grouped(rounds=[previous.pk], user_or_scope=user_or_scope, sets=("overall",))["overall"]
        before = overall(round=previous, user_or_scope=user_or_scope, cells=before_cells)
    return previous, with_change(current, before), cells


def previous_round(round) -> SurveyRound | None:
    """The round before this one: the latest end date before this one's (not a draft)."""
    return (
        SurveyRound.objects.filter(end_date__lt=round.end_date)
        .exclude(status=SurveyRound.Status.DRAFT)
        .exclude(pk=round.pk)
        .order_by("-end_date", "-id")
        .first()
    )


def with_change(current: dict[str, Figure], previous: dict[str, Figure] | None) -> dict[str, dict]:
    """{rate: {"figure", "previous" (Figure or None), "change" (Decimal p − p_prev or None)}}."""
    result = {}
    for rate in RATES:
        figure = current.get(rate, Figure())
        before = previous.get(rate) if previous else None
        change = None
        if before is not None and figure.p is not None and before.p is not None:
            change = _dec(figure.p - before.p)
        result[rate] = {"figure": figure, "previous": before, "change": change}
    return result


@dataclass
class Row:
    """One row of a table: a key (region, group, question or standard), its label and the four rates."""

    key: object
    label: str
    rates: dict[str, Figure]
    depth: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def figures(self) -> list[Figure]:
        """The four rates in order (awareness, support, satisfaction, participation)."""
        return [self.rates.get(rate, Figure()) for rate in RATES]

    @property
    def figure(self) -> Figure:
        """A question's row: the figure of the rate it feeds."""
        return self.rates.get(self.extra.get("rate"), Figure())

    @property
    def rate_label(self) -> str:
        rate = self.extra.get("rate")
        return str(Rate(rate).label) if rate in RATES else ""


def _rows_by(cells: dict[tuple, list], weights) -> dict[object, dict[str, Figure]]:
    """cells keyed (key, rate) → {key: {rate: Figure}}."""
    out: dict[object, dict[str, Figure]] = defaultdict(dict)
    for (key, rate), rows in cells.items():
        if rate in RATES:
            out[key][rate] = combine(rows, weights)
    return out


def _fill(rates: dict[str, Figure]) -> dict[str, Figure]:
    return {rate: rates.get(rate, Figure()) for rate in RATES}


def by_region(*, round, user_or_scope, cells=None) -> list[Row]:
    """Rates per area, rolled up along the region tree (a street = all its communities, a district its streets):
    one GROUP BY region × rate × round × source in the database, then each aggregated cell is added to the area and
    its ancestors (from the materialised path). Only areas the reader covers are listed (a supervisor: its own)."""
    scope = scope_of(user_or_scope)
    if cells is None:
        cells = _cells(tallies(rounds=round, user_or_scope=scope), ("region_id", "question__rate"))
    paths = dict(Region.objects.filter(pk__in={key[0] for key in cells}).values_list("pk", "path"))
    rolled: dict[tuple, list] = defaultdict(list)
    for (region_id, rate), rows in cells.items():
        for ancestor in _ancestors(paths.get(region_id, "")) or [region_id]:
            rolled[(ancestor, rate)].extend(rows)
    ancestor_ids = {key[0] for key in rolled}
    if not scope.sees_everything:
        ancestor_ids = {pk for pk in ancestor_ids if scope.covers_region(pk)}
    regions = Region.objects.filter(pk__in=ancestor_ids).order_by("path").values("pk", "name", "path", "level")
    figures = _rows_by(rolled, _weights(round))
    rows = []
    depths = [r["path"].count("/") for r in regions]
    top = min(depths) if depths else 0
    for region, depth in zip(regions, depths, strict=True):
        rows.append(
            Row(
                key=region["pk"],
                label=region["name"],
                rates=_fill(figures.get(region["pk"], {})),
                depth=depth - top,
                extra={"level": region["level"]},
            )
        )
    return rows


def _ancestors(path: str) -> list[int]:
    return [int(part) for part in path.split("/") if part]


def by_group(*, round, user_or_scope, cells=None) -> list[Row]:
    labels = dict(RespondentGroup.choices)
    if cells is None:
        cells = _cells(tallies(rounds=round, user_or_scope=user_or_scope), ("group", "question__rate"))
    figures = _rows_by(cells, _weights(round))
    order = list(labels)
    return [
        Row(key=group, label=str(labels.get(group, group)), rates=_fill(rates))
        for group, rates in sorted(figures.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)
    ]


def by_question(*, round, user_or_scope, cells=None) -> list[Row]:
    """Per question (a question feeds one rate: the other three are empty)."""
    if cells is None:
        cells = _cells(tallies(rounds=round, user_or_scope=user_or_scope), ("question_id", "question__rate"))
    figures = _rows_by(cells, _weights(round))
    questions = {
        q["pk"]: q
        for q in Question.objects.filter(pk__in=figures).values(
            "pk", "number", "text", "rate", "target", "questionnaire__code"
        )
    }
    rows = []
    for pk, q in sorted(questions.items(), key=lambda item: (item[1]["questionnaire__code"], item[1]["number"])):
        rows.append(
            Row(
                key=pk,
                label=f"{q['questionnaire__code']}-{q['number']} {q['text']}",
                rates=_fill(figures.get(pk, {})),
                extra={
                    "rate": q["rate"],
                    "code": f"{q['questionnaire__code']}-{q['number']}",
                    "text": q["text"],
                    "target": q["target"],
                    "target_text": f"{q['target'] * 100:.1f}%" if q["target"] is not None else "",
                },
            )
        )
    return rows


def by_standard(*, round, user_or_scope, cells=None) -> list[Row]:
    """Per standard and rate (the standard's questions feeding each rate), and its overall rate (all its questions:
    the same cells combined, as standard_rates) and target."""
    cells = _cells(
        tallies(rounds=round, user_or_scope=user_or_scope).filter(question__standards__isnull=False),
        ("question__standards", "question__rate"),
    )
    weights = _weights(round)
    figures = _rows_by(cells, weights)
    pooled: dict[int, list] = defaultdict(list)
    for (standard_id, _rate), rows in cells.items():
        pooled[standard_id].extend(rows)
    targets = _targets([round.pk])
    default = _default_target()
    items = EvaluationItem.objects.filter(pk__in=set(figures) | set(targets)).values("pk", "code", "text")
    rows = []
    for item in sorted(items, key=lambda i: i["code"]):
        figure_all = combine(pooled.get(item["pk"], []), weights)
        total = _standard_entry(figure_all, targets.get(item["pk"]), default)
        rows.append(
            Row(
                key=item["pk"],
                label=f"{item['code']} {item['text']}",
                rates=_fill(figures.get(item["pk"], {})),
                extra={
                    "code": item["code"],
                    "name": item["text"],
                    "overall": total,
                    "figure_all": figure_all,
                    "target_text": f"{total['target'] * 100:.1f}%",
                    "below_target": figure_all.rate is not None and figure_all.rate < total["target"],
                },
            )
        )
    return rows


ROWS_BY = {"region": by_region, "group": by_group, "question": by_question, "standard": by_standard}


def weakest_questions(
    *, round, user_or_scope, min_n: int = WEAKEST_MIN_N, limit: int = WEAKEST_LIMIT, rows: list[Row] | None = None
) -> list[dict]:
    """The questions with the lowest rate among those with at least `min_n` answers, each with its standards and
    the units responsible for them (lead unit first, then the other units of the responsibility list rows the reader
    may see). `rows` reuses by_question's rows when the caller has them."""
    rows = by_question(round=round, user_or_scope=user_or_scope) if rows is None else rows
    candidates = []
    for row in rows:
        figure = row.rates.get(row.extra.get("rate")) or Figure()
        if figure.p is not None and figure.n >= min_n:
            candidates.append((figure.p, row.extra["code"], row, figure))
    candidates.sort(key=lambda item: (item[0], item[1]))
    chosen = candidates[:limit]
    if not chosen:
        return []
    question_ids = [row.key for _p, _c, row, _f in chosen]
    links = defaultdict(list)
    for question_id, standard_id, code, name in (
        Question.standards.through.objects.filter(question_id__in=question_ids)
        .order_by("evaluationitem__code")
        .values_list("question_id", "evaluationitem_id", "evaluationitem__code", "evaluationitem__text")
    ):
        links[question_id].append({"id": standard_id, "code": code, "name": name})
    standard_ids = {s["id"] for items in links.values() for s in items}
    units: dict[int, dict[int, str]] = defaultdict(dict)
    leads: dict[int, dict[int, str]] = defaultdict(dict)
    duties = visible_to(Responsibility, user_or_scope).filter(standard_id__in=standard_ids)
    for standard_id, unit_id, unit_name in duties.order_by("sort_order", "id").values_list(
        "standard_id", "lead_unit_id", "lead_unit__name"
    ):
        leads[standard_id][unit_id] = unit_name
    for standard_id, unit_id, unit_name in (
        Responsibility.units.through.objects.filter(responsibility__in=duties.values("pk"))
        .order_by("unit__name")
        .values_list("responsibility__standard_id", "unit_id", "unit__name")
    ):
        units[standard_id][unit_id] = unit_name
    result = []
    for _p, _code, row, figure in chosen:
        standards = links.get(row.key, [])
        lead_units: dict[int, str] = {}
        other_units: dict[int, str] = {}
        for standard in standards:
            lead_units.update(leads.get(standard["id"], {}))
            other_units.update(units.get(standard["id"], {}))
        for unit_id in lead_units:
            other_units.pop(unit_id, None)
        result.append(
            {
                "question": row.key,
                "code": row.extra["code"],
                "text": row.extra["text"],
                "rate_kind": row.extra["rate"],
                "rate_label": row.rate_label,
                "figure": figure,
                "target": row.extra["target"],
                "standards": standards,
                "lead_units": [{"id": k, "name": v} for k, v in lead_units.items()],
                "units": [{"id": k, "name": v} for k, v in other_units.items()],
            }
        )
    return result
