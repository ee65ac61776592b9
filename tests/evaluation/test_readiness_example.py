"""The worked example of docs/readiness.md (tests/evaluation/readiness_world.py builds it): every number the document
states is checked here."""

import pytest

from evaluation.readiness import selectors
from tests.evaluation.readiness_world import (
    EXPECTED,
    EXPECTED_PROJECTS,
    EXPECTED_STREETS,
    EXPECTED_TOTAL,
    TODAY,
    Example,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def example(make_user):
    return Example(make_user)


def test_each_standard_as_in_the_document(example):
    data = selectors.readiness(example.office, as_of=TODAY)
    rows = {r["code"]: r for r in data["standards"]}
    for code, expected in EXPECTED.items():
        row = rows[code]
        assert row["share"] == pytest.approx(expected["share"]), code
        assert row["score"] == pytest.approx(expected["score"]), code
        assert row["points_at_risk"] == pytest.approx(expected["points_at_risk"]), code
    s1, s2, s3 = rows["S1"]["parts"], rows["S2"]["parts"], rows["S3"]["parts"]
    assert (s1["field"]["share"], s1["field"]["n"], s1["field"]["source"]) == (0.68, 3, "evidence")
    assert (s2["material"]["share"], s2["material"]["n"]) == (0.5, 2)
    assert (s2["questionnaire"]["share"], s2["questionnaire"]["n"]) == (0.875, 20)
    assert s2["material"]["points_at_risk"] == 1.5 and s2["questionnaire"]["points_at_risk"] == 0.375
    assert (s3["online"]["share"], s3["online"]["source"]) == (0.9, "input")
    assert (s3["briefing"]["share"], s3["briefing"]["source"]) == (0.8, "estimate")


def test_totals_projects_and_streets(example):
    data = selectors.readiness(example.office, as_of=TODAY)
    totals, projects = selectors.grouped(data, "project")
    assert (totals["points"], totals["score"], totals["points_at_risk"]) == (
        EXPECTED_TOTAL["points"],
        EXPECTED_TOTAL["score"],
        EXPECTED_TOTAL["points_at_risk"],
    )
    assert {r["code"]: (r["points"], r["score"]) for r in projects} == EXPECTED_PROJECTS
    _t, streets = selectors.grouped(data, "region")
    assert {r["code"]: r["score"] for r in streets} == pytest.approx(EXPECTED_STREETS)
    street_a = {r["code"]: r for r in data["street_rows"][example.sa.pk]}
    assert street_a["S1"]["parts"]["field"]["share"] == 0.5
    assert street_a["S2"]["parts"]["material"]["share"] == 1.0
    assert street_a["S2"]["parts"]["questionnaire"]["share"] == 1.0  # 0.9 / 0.8, capped at 1


def test_points_at_risk_in_order_with_owners_and_what_would_raise_them(example):
    data = selectors.readiness(example.office, as_of=TODAY)
    risks = selectors.at_risk(data)
    assert [r["code"] for r in risks] == ["S1", "S2", "S3"]
    s1, s2 = risks[0], risks[1]
    assert s1["owners"] == {"lead": ["城管局"], "units": ["南街道办", "北街道办"]}
    assert s1["open_tickets"] == 1 and f"standard={example.s1.pk}" in s1["tickets_url"]
    assert s2["owners"]["lead"] == ["南街道办"]
    assert s2["open_material"] == 1 and s2["material_url"].endswith(f"?item={example.s2.pk}")
    assert [(q["label"], q["rate"], q["target"]) for q in s2["questions"]] == [("R-A-1", 0.7, 0.8)]
