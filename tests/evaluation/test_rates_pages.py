"""The rates page and its exports: who may read it, what it shows (KPIs with n, interval and the change from the
previous round; tables by area, group, question, standard; weakest questions with responsible units), the round
picker, bad input, a supervisor's areas only, and the query count."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.roles import Role

from .rates_world import build_tallies, respond, survey_city  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(survey_city):
    city, q, r = survey_city, survey_city["questions"], survey_city["regions"]
    jan, feb = city["rounds"]["jan"], city["rounds"]["feb"]
    respond(city, jan, r["ca1"], q["aware"], positive=5, total=10)
    respond(city, feb, r["ca1"], q["aware"], positive=7, total=10)
    respond(city, feb, r["cb1"], q["satisfied"], positive=12, total=40)
    build_tallies()
    return city


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("evaluation:survey_rates"), params)


def test_office_reads_the_round(client, answered):
    feb = answered["rounds"]["feb"]
    response = page(client, answered["users"]["office"], round=feb.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert "70.0%" in html and "39.7–89.2%" in html  # awareness 7/10 and its Wilson interval
    assert "+20.0" in html  # from 50% in January
    assert "北关一社区" in html and "南关街道" in html
    assert "一月模拟测评" in html  # the round picker and the previous round
    # The weakest question: satisfaction 12/40 = 30%, standard P010101, its lead unit and units
    weakest = html[html.index("weakest-table") :]
    assert "30.0%" in weakest and "城管局" in weakest and "南关街道办" in weakest


def test_latest_round_by_default_and_empty(client, survey_city):
    response = page(client, survey_city["users"]["leader"])
    assert response.status_code == 200
    assert "二月模拟测评" in response.content.decode()


def test_supervisor_sees_its_areas_only(client, answered):
    response = page(client, answered["users"]["supervisor"])
    html = response.content.decode()
    assert response.status_code == 200
    assert "南关一社区" in html and "北关一社区" not in html and "平城区" not in html


def test_units_are_refused(client, answered, make_user):
    liaison = make_user("liaison", Role.UNIT, unit=answered["units"]["market"])
    assert page(client, liaison).status_code == 403
    client.force_login(liaison)
    assert client.get(reverse("evaluation:survey_rates_export")).status_code == 403


@pytest.mark.parametrize("params", [{"round": "x"}, {"round": "424242"}, {"round": "0"}])
def test_bad_round_is_400(client, answered, params):
    response = page(client, answered["users"]["office"], **params)
    assert response.status_code == 400


@pytest.mark.parametrize("table", ["region", "group", "question", "standard", "weakest"])
def test_export(client, answered, table):
    client.force_login(answered["users"]["office"])
    feb = answered["rounds"]["feb"]
    response = client.get(reverse("evaluation:survey_rates_export"), {"round": feb.pk, "table": table})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) >= 2
    if table == "region":
        district = [row for row in rows if row[0] == "平城区"][0]
        assert district[1:5] == (0.7, 10, 0.3968, 0.8922)
    if table == "weakest":
        assert rows[1][0] == "A-3" and rows[1][3] == 0.3


def test_export_bad_table(client, answered):
    client.force_login(answered["users"]["office"])
    response = client.get(reverse("evaluation:survey_rates_export"), {"table": "users"})
    assert response.status_code == 400


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who, queries", [("office", 20), ("supervisor", 23)])
def test_query_count(client, answered, who, queries):
    """The same number of queries for a few rows and for many (areas, groups, questions, sources)."""
    city, q, r, feb = answered, answered["questions"], answered["regions"], answered["rounds"]["feb"]
    respond(city, feb, r["ca2"], q["satisfied"], positive=10, total=30)  # weak, in the supervisor's areas too
    build_tallies()
    client.force_login(answered["users"][who])
    url = reverse("evaluation:survey_rates")
    assert _count(client, url) == queries
    for region in ("ca1", "ca2", "cb1"):
        for key in ("aware", "support", "satisfied", "joined"):
            for group, source in (("residents", "self_fill"), ("students", "fieldworker"), ("visitors", "interview")):
                respond(city, feb, r[region], q[key], positive=20, total=35, group=group, source=source)
    build_tallies()
    assert _count(client, url) == queries
