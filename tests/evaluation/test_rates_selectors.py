"""The rates against hand-made responses: shares, the Wilson interval, the weighting between sources, standards and
their targets, the roll-up along the region tree, month-on-month and the weakest questions. The expected numbers are
worked out by hand (see the comments)."""

from decimal import Decimal

import pytest

from core.scope import CITY_WIDE
from evaluation.rates import selectors
from evaluation.rates.selectors import wilson

from .rates_world import build_tallies, respond, survey_city  # noqa: F401

pytestmark = pytest.mark.django_db


def test_wilson_by_hand():
    # 7 of 10: z²=3.8415; centre=(0.7+0.19207)/1.38415=0.64449; half=1.96/1.38415·√(0.021+0.0096)=0.24771
    low, high = wilson(0.7, 10)
    assert round(low, 3) == 0.397 and round(high, 3) == 0.892
    # 0 of 20: [0, z²/(n+z²)] = [0, 3.8415/23.8415] = [0, 0.1611]
    low, high = wilson(0.0, 20)
    assert low == 0.0 and round(high, 4) == 0.1611
    assert wilson(0.5, 0) == (0.0, 1.0)


def test_standard_rates_pool_questions_and_mean_target(survey_city):
    city, q, feb = survey_city, survey_city["questions"], survey_city["rounds"]["feb"]
    respond(city, feb, city["regions"]["ca1"], q["aware"], positive=7, total=10)
    respond(city, feb, city["regions"]["cb1"], q["satisfied"], positive=3, total=10)
    respond(city, feb, city["regions"]["ca1"], q["support"], positive=5, total=5)
    respond(city, feb, city["regions"]["ca1"], q["joined"], positive=1, total=4, quality="rejected")  # never counts
    build_tallies()
    rates = selectors.standard_rates(rounds=[feb], user_or_scope=CITY_WIDE)
    st1, st2 = city["standards"]["st1"].pk, city["standards"]["st2"].pk
    # st1: aware 7/10 + satisfied 3/10 = 10/20 = 0.5; target mean(0.95, 0.80) = 0.875
    assert rates[st1]["rate"] == Decimal("0.5000") and rates[st1]["n"] == 20 and rates[st1]["positive"] == 10
    assert rates[st1]["target"] == Decimal("0.8750")
    # st2: 5/5 = 1; its question has no target: the default 0.90
    assert rates[st2]["rate"] == Decimal("1.0000") and rates[st2]["n"] == 5
    assert rates[st2]["target"] == Decimal("0.9000")


def test_standard_rates_without_answers_and_scope(survey_city):
    city, q, feb = survey_city, survey_city["questions"], survey_city["rounds"]["feb"]
    respond(city, feb, city["regions"]["ca1"], q["aware"], positive=2, total=2)
    respond(city, feb, city["regions"]["cb1"], q["aware"], positive=0, total=2)
    build_tallies()
    st1, st2 = city["standards"]["st1"].pk, city["standards"]["st2"].pk
    rates = selectors.standard_rates(rounds=[feb], user_or_scope=city["users"]["office"])
    assert rates[st2] == {
        "rate": None,
        "n": 0,
        "positive": 0,
        "target": Decimal("0.9000"),
        "low": None,
        "high": None,
        "n_effective": None,
        "weighted": False,
    }
    assert rates[st1]["rate"] == Decimal("0.5000")
    # The supervisor covers SA only: CA1's 2 of 2.
    mine = selectors.standard_rates(rounds=[feb], user_or_scope=city["users"]["supervisor"])
    assert mine[st1]["rate"] == Decimal("1.0000") and mine[st1]["n"] == 2


def test_weighting_between_sources(survey_city):
    city, q, feb = survey_city, survey_city["questions"], survey_city["rounds"]["feb"]
    feb.source_weights = {"interview": 70, "fieldworker": 30}
    feb.save()
    respond(city, feb, city["regions"]["ca1"], q["aware"], positive=8, total=10, source="interview")
    respond(city, feb, city["regions"]["ca1"], q["aware"], positive=1, total=2, source="fieldworker")
    respond(city, feb, city["regions"]["ca1"], q["aware"], positive=0, total=5, source="self_fill")  # no weight: out
    build_tallies()
    figure = selectors.overall(round=feb, user_or_scope=CITY_WIDE)["awareness"]
    # p = 0.7·0.8 + 0.3·0.5 = 0.71; n = 12 answers; n_eff = 1/(0.49/10 + 0.09/2) = 1/0.094 = 10.6383
    assert figure.rate == Decimal("0.7100") and figure.n == 12 and figure.positive == 9
    assert figure.n_effective == Decimal("10.6383") and figure.weighted
    low, high = wilson(0.71, 1 / 0.094)
    assert figure.low == Decimal(str(round(low, 4))) and figure.high == Decimal(str(round(high, 4)))
    # by hand: z²/n=0.361097; centre=(0.71+0.180549)/1.361097=0.654289; half=1.439990·√(0.019355+0.008486)=0.240271
    assert figure.low == Decimal("0.4140") and figure.high == Decimal("0.8946")
    # Without weights the same answers pool: 9/17
    feb.source_weights = {}
    feb.save()
    pooled = selectors.overall(round=feb, user_or_scope=CITY_WIDE)["awareness"]
    assert pooled.rate == Decimal("0.5294") and pooled.n == 17 and pooled.n_effective == Decimal("17")
    assert not pooled.weighted


def test_only_one_weighted_source_present(survey_city):
    city, q, feb = survey_city, survey_city["questions"], survey_city["rounds"]["feb"]
    feb.source_weights = {"interview": 70, "fieldworker": 30}
    feb.save()
    respond(city, feb, city["regions"]["ca1"], q["aware"], positive=7, total=10, source="interview")
    build_tallies()
    figure = selectors.overall(round=feb, user_or_scope=CITY_WIDE)["awareness"]
    # Σ over the sources present: the interview alone, n_eff = n = 10 → the plain Wilson interval of 7/10
    assert figure.rate == Decimal("0.7000") and figure.n_effective == Decimal("10")
    assert (figure.low, figure.high) == (Decimal("0.3968"), Decimal("0.8922"))


def test_overall_by_group_region_rollup(survey_city):
    city, q, feb = survey_city, survey_city["questions"], survey_city["rounds"]["feb"]
    r = city["regions"]
    respond(city, feb, r["ca1"], q["aware"], positive=3, total=4)
    respond(city, feb, r["ca2"], q["aware"], positive=1, total=4)
    respond(city, feb, r["cb1"], q["aware"], positive=2, total=2, group="merchants")
    respond(city, feb, r["cb1"], q["satisfied"], positive=1, total=3, group="merchants")
    respond(city, feb, r["ca1"], q["aware"], positive=0, total=3, quality="flagged")  # left out
    respond(city, feb, r["ca1"], q["aware"], positive=1, total=1, quality="accepted")  # counted
    build_tallies()
    kpis = selectors.overall(round=feb, user_or_scope=city["users"]["office"])
    assert kpis["awareness"].rate == Decimal("0.6364") and kpis["awareness"].n == 11  # 7/11
    assert kpis["satisfaction"].rate == Decimal("0.3333") and kpis["satisfaction"].n == 3
    assert kpis["support"].rate is None and kpis["support"].n == 0
    rows = {row.label: row for row in selectors.by_region(round=feb, user_or_scope=city["users"]["office"])}
    # A street is its communities: SA = CA1 4/5 + CA2 1/4 = 5/9; the district = 7/11
    assert rows["南关一社区"].rates["awareness"].rate == Decimal("0.8000")
    assert rows["南关二社区"].rates["awareness"].rate == Decimal("0.2500")
    assert rows["南关街道"].rates["awareness"].rate == Decimal("0.5556") and rows["南关街道"].rates["awareness"].n == 9
    assert rows["北关街道"].rates["satisfaction"].n == 3
    assert rows["平城区"].rates["awareness"].n == 11 and rows["平城区"].depth == 0
    assert rows["南关一社区"].depth == 2
    groups = {row.key: row for row in selectors.by_group(round=feb, user_or_scope=city["users"]["office"])}
    assert groups["residents"].rates["awareness"].n == 9 and groups["merchants"].rates["awareness"].rate == 1
    # The supervisor (SA) sees SA and its communities only, and SA's numbers only.
    mine = selectors.by_region(round=feb, user_or_scope=city["users"]["supervisor"])
    assert [row.label for row in mine] == ["南关街道", "南关一社区", "南关二社区"]
    assert mine[0].rates["awareness"].n == 9 and mine[0].depth == 0
    assert selectors.overall(round=feb, user_or_scope=city["users"]["supervisor"])["satisfaction"].n == 0


def test_questions_standards_and_change_from_previous_round(survey_city):
    city, q, r = survey_city, survey_city["questions"], survey_city["regions"]
    jan, feb = city["rounds"]["jan"], city["rounds"]["feb"]
    respond(city, jan, r["ca1"], q["aware"], positive=6, total=10)
    respond(city, feb, r["ca1"], q["aware"], positive=8, total=10)
    respond(city, feb, r["ca1"], q["satisfied"], positive=2, total=4)
    build_tallies()
    assert selectors.previous_round(feb) == jan and selectors.previous_round(jan) is None
    change = selectors.with_change(
        selectors.overall(round=feb, user_or_scope=CITY_WIDE), selectors.overall(round=jan, user_or_scope=CITY_WIDE)
    )
    assert change["awareness"]["change"] == Decimal("0.2000")  # 0.8 − 0.6
    assert change["satisfaction"]["change"] is None  # nothing in January
    questions = {row.extra["code"]: row for row in selectors.by_question(round=feb, user_or_scope=CITY_WIDE)}
    assert questions["A-1"].rates["awareness"].rate == Decimal("0.8000")
    assert questions["A-3"].rates["satisfaction"].n == 4
    standards = {row.extra["code"]: row for row in selectors.by_standard(round=feb, user_or_scope=CITY_WIDE)}
    # P010101 pools 8/10 and 2/4 = 10/14
    assert standards["P010101"].extra["overall"]["rate"] == Decimal("0.7143")
    assert standards["P010101"].rates["satisfaction"].rate == Decimal("0.5000")


def test_weakest_questions_with_responsible_units(survey_city):
    city, q, r, feb = survey_city, survey_city["questions"], survey_city["regions"], survey_city["rounds"]["feb"]
    respond(city, feb, r["ca1"], q["aware"], positive=9, total=10)
    respond(city, feb, r["ca1"], q["satisfied"], positive=4, total=10)
    respond(city, feb, r["ca1"], q["support"], positive=6, total=10)
    respond(city, feb, r["ca1"], q["joined"], positive=0, total=3)  # lowest, but fewer than min_n answers
    build_tallies()
    weakest = selectors.weakest_questions(round=feb, user_or_scope=city["users"]["office"], min_n=10)
    assert [w["code"] for w in weakest] == ["A-3", "A-2", "A-1"]
    first = weakest[0]
    assert first["figure"].rate == Decimal("0.4000")
    assert [s["code"] for s in first["standards"]] == ["P010101"]
    assert [u["name"] for u in first["lead_units"]] == ["城管局"]
    assert sorted(u["name"] for u in first["units"]) == ["南关街道办", "市场监管局"]
    assert [u["name"] for u in weakest[1]["lead_units"]] == ["市场监管局"] and weakest[1]["units"] == []
    assert len(selectors.weakest_questions(round=feb, user_or_scope=CITY_WIDE, min_n=10, limit=1)) == 1


@pytest.mark.parametrize(
    "weights", [["interview"], {"interview": "x", "fieldworker": -3}, {"interview": None}, "70/30", {"a": float("nan")}]
)
def test_malformed_weights_mean_no_weighting(survey_city, weights):
    city, q, feb = survey_city, survey_city["questions"], survey_city["rounds"]["feb"]
    respond(city, feb, city["regions"]["ca1"], q["aware"], positive=8, total=10, source="interview")
    respond(city, feb, city["regions"]["ca1"], q["aware"], positive=1, total=2, source="fieldworker")
    build_tallies()
    figure = selectors.combine([(feb.pk, "interview", 10, 8), (feb.pk, "fieldworker", 2, 1)], {feb.pk: weights})
    assert figure.rate == Decimal("0.7500") and not figure.weighted  # 9/12 pooled
