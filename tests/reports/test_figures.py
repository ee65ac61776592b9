"""Bulletin figures against hand-built data (conftest.scenario), and against the stats API."""

from datetime import timedelta

import pytest

from reports import figures

pytestmark = pytest.mark.django_db


def test_weekly_headline_figures(scenario, week):
    data = figures.compute(kind="weekly", start=week, end=week + timedelta(days=6))
    h = data["headline"]
    assert (h["found"], h["closed"]) == (10, 7)
    assert h["rectification_rate"] == 0.7
    assert h["on_time_rate"] == round(6 / 7, 4)
    assert h["overdue_open"] == 3
    assert h["rework_rate"] == 0.1
    assert h["recurrence_rate"] == 0.1
    assert data["previous"]["found"] == 1
    assert data["change"]["found"] == 9
    assert data["cumulative"]["found"] == 12  # the earlier ticket and the previous week's one as well


def test_red_and_black_lists(scenario, week):
    data = figures.compute(kind="weekly", start=week, end=week + timedelta(days=6))
    units = data["units"]
    assert units["ranked"] == 3
    assert [row["name"] for row in units["red"]] == ["交通局"]
    assert units["red"][0]["score"] == 96.7
    assert [row["name"] for row in units["black"]] == ["西一路街道办"]
    assert units["black"][0]["score"] == 33.3
    streets = {row["name"]: row for row in units["red"] + units["black"]}
    assert "城管局" not in streets  # the middle one is on neither list
    assert data["streets"]["ranked"] == 2
    assert data["streets"]["red"][0]["name"] == "长乐中路街道"
    assert data["streets"]["black"][0]["name"] == "西一路街道"


def test_lists_of_the_weekly_bulletin(scenario, week):
    data = figures.compute(kind="weekly", start=week, end=week + timedelta(days=6))
    assert data["overdue"]["total"] == 3
    assert data["overdue"]["by_unit"][0] == {"id": scenario.unit_b.pk, "name": "西一路街道办", "count": 2}
    assert data["escalated"]["total"] == 1
    assert data["escalated"]["rows"][0]["level"] == 3
    assert data["recurrences"]["total"] == 1
    assert data["recurrences"]["rows"][0]["site"] == "韩森路"
    short = data["leaders_short"]["rows"]
    assert [(r["person"], r["required"], r["visits"], r["shortfall"]) for r in short] == [("王副区长", 2, 1, 1)]
    unpatrolled = data["unpatrolled_sites"]
    assert (unpatrolled["total"], unpatrolled["key"], unpatrolled["sites"]) == (3, 1, 4)
    assert unpatrolled["rows"][0]["name"] == "幸福市场"  # key sites first
    assert [t["number"] for t in data["typical"]] and data["typical"][0]["before"].endswith(".png")
    assert len(data["trend"]) == 8 and data["trend"][-1]["found"] == 10 and data["trend"][-2]["found"] == 1
    assert {c["name"]: c["found"] for c in data["categories"]} == {"垃圾未清运": 8, "共享单车乱停放": 2}


def test_monthly_and_daily_figures(scenario, week):
    month = week.replace(day=1)
    start, end = figures.period_bounds("monthly", month)
    data = figures.compute(kind="monthly", start=start, end=end)
    assert data["previous"]["period"]["end"] == (start - timedelta(days=1)).isoformat()
    assert len(data["trend"]) == 6
    day = figures.compute(kind="daily", start=week, end=week)
    assert day["headline"]["found"] == 3
    assert day["closed_today"]["total"] == 0
    assert day["overdue"]["total"] == 3


def test_figures_equal_the_stats_api(scenario, week, office, client):
    start, end = week, week + timedelta(days=6)
    data = figures.compute(kind="weekly", start=start, end=end)
    client.force_login(office)
    response = client.get("/api/v1/stats/tickets/", {"start": start.isoformat(), "end": end.isoformat()})
    assert response.status_code == 200, response.content
    api = response.json()
    api = api.get("totals", api) if isinstance(api, dict) else api
    for key, value in data["headline"].items():
        assert api[key] == value, key
    response = client.get(
        "/api/v1/stats/tickets/", {"start": start.isoformat(), "end": end.isoformat(), "group_by": "unit"}
    )
    rows = response.json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    api_units = {row["name"]: row for row in rows}
    for row in data["units"]["red"] + data["units"]["black"]:
        assert api_units[row["name"]]["found"] == row["found"]
        assert api_units[row["name"]]["rectification_rate"] == row["rectification_rate"]


def test_ranking_rule_on_its_own():
    rows = [
        {
            "id": i,
            "name": f"U{i}",
            "found": 12,
            "closed": i,
            "rectification_rate": round(i / 12, 4),
            "on_time_rate": 1.0,
            "overdue_open": 0,
            "rework_rate": 0.0,
            "recurrence_rate": 0.0,
        }
        for i in range(1, 13)
    ] + [
        {
            "id": 99,
            "name": "small",
            "found": 2,
            "closed": 0,
            "rectification_rate": 0.0,
            "on_time_rate": None,
            "overdue_open": 2,
            "rework_rate": 0.0,
            "recurrence_rate": 0.0,
        }
    ]
    result = figures.ranking(rows)
    assert result["ranked"] == 12  # "small" has too few tickets to be ranked
    assert [r["id"] for r in result["red"]] == [12, 11, 10, 9, 8]
    assert [r["id"] for r in result["black"]] == [1, 2, 3, 4, 5]
    assert result["red"][0]["score"] == 100.0
