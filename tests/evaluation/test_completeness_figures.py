"""Completeness figures against the hand-made set (tests/evaluation/builders_completeness.py), and their scope."""

from datetime import timedelta

import pytest

from evaluation.completeness import selectors
from tests.evaluation.builders_completeness import (
    EXPECTED_BY_PROJECT,
    EXPECTED_BY_STANDARD,
    EXPECTED_BY_UNIT,
    EXPECTED_TOTALS,
    TODAY,
    Material,
)

pytestmark = pytest.mark.django_db
FIELDS = tuple(EXPECTED_TOTALS)


@pytest.fixture
def material(make_user):
    return Material(make_user)


def pick(row):
    return {key: row[key] for key in FIELDS}


def by_code(rows):
    return {row["code"]: pick(row) for row in rows}


def test_totals_count_every_column_including_pairs_with_no_submission(material):
    totals = selectors.totals(user=material.office, today=TODAY)
    assert pick(totals) == EXPECTED_TOTALS
    assert totals["accepted_rate"] == round(2 / 7, 4)


def test_by_unit(material):
    rows = selectors.grouped(user=material.office, group_by="unit", today=TODAY)
    codes = {f"M-U{k}": v for k, v in EXPECTED_BY_UNIT.items()}
    assert by_code(rows) == codes  # unit D has no requirement: no row
    assert [row["code"] for row in rows] == ["M-UB", "M-UC", "M-UA"]  # weakest first
    assert {row["name"] for row in rows} == {"城管局", "教育局", "卫健委"}


def test_by_standard_and_by_project(material):
    assert by_code(selectors.grouped(user=material.office, group_by="standard", today=TODAY)) == EXPECTED_BY_STANDARD
    assert by_code(selectors.grouped(user=material.office, group_by="project", today=TODAY)) == EXPECTED_BY_PROJECT
    contents = by_code(selectors.grouped(user=material.office, group_by="content", today=TODAY))
    assert contents == {"C1": EXPECTED_BY_PROJECT["P1"], "C2": EXPECTED_BY_PROJECT["P2"]}
    standards = selectors.grouped(user=material.office, group_by="standard", today=TODAY)
    assert [row["code"] for row in standards][0] == "S1" and standards[0]["points"] == 4.0


def test_summed_groups_give_the_totals(material):
    for group_by in selectors.GROUPS:
        rows = selectors.grouped(user=material.office, group_by=group_by, today=TODAY)
        for key in ("required", "submitted", "accepted", "returned", "overdue", "late"):
            assert sum(row[key] for row in rows) == EXPECTED_TOTALS[key], (group_by, key)


def test_the_day_after_the_future_due_date_the_draft_is_overdue(material):
    later = material.r2.due_date + timedelta(days=1)
    totals = selectors.totals(user=material.office, today=later)
    assert totals["overdue"] == EXPECTED_TOTALS["overdue"] + 1  # B's draft for R2; A's submitted one is not


def test_a_unit_sees_only_its_own(material):
    totals = selectors.totals(user=material.unit_a, today=TODAY)
    assert pick(totals) == EXPECTED_BY_UNIT["A"]
    rows = selectors.grouped(user=material.unit_a, group_by="unit", today=TODAY)
    assert [row["code"] for row in rows] == ["M-UA"]
    standards = by_code(selectors.grouped(user=material.unit_a, group_by="standard", today=TODAY))
    assert set(standards) == {"S1", "S2"} and standards["S1"]["required"] == 1


def test_a_unit_without_requirements_sees_nothing(material):
    assert pick(selectors.totals(user=material.unit_d, today=TODAY)) == dict.fromkeys(FIELDS, 0) | {
        "points_at_risk": 0.0
    }
    assert selectors.grouped(user=material.unit_d, group_by="project", today=TODAY) == []


def test_a_lead_unit_also_sees_the_pairs_of_the_standard_it_leads(material):
    rows = by_code(selectors.grouped(user=material.unit_c, group_by="unit", today=TODAY))
    # C's own pairs (R1, R3) and B's pair of S3 (C leads S3), not B's other pairs nor A's.
    assert rows["M-UC"] == EXPECTED_BY_UNIT["C"]
    assert rows["M-UB"] == {
        "required": 1,
        "submitted": 1,
        "accepted": 1,
        "returned": 0,
        "overdue": 0,
        "late": 1,
        "points_at_risk": 0.0,
    }
    assert set(rows) == {"M-UB", "M-UC"}


def test_the_leader_reads_everything(material):
    assert pick(selectors.totals(user=material.leader, today=TODAY)) == EXPECTED_TOTALS


def test_overdue_pairs_are_named_with_days_overdue(material):
    data = selectors.overdue_pairs(user=material.office, today=TODAY)
    assert data["total"] == 2
    rows = {(row["unit"], row["requirement"]): row for row in data["rows"]}
    assert set(rows) == {("教育局", "条例文本及实施情况"), ("卫健委", "条例文本及实施情况")}
    assert rows[("教育局", "条例文本及实施情况")]["status"] == "returned"
    assert rows[("卫健委", "条例文本及实施情况")]["status"] == ""  # nothing submitted at all
    assert {row["days_overdue"] for row in data["rows"]} == {10}
    assert selectors.overdue_pairs(user=material.unit_a, today=TODAY)["total"] == 0
