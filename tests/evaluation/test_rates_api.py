"""The rates API (`survey-rates/`): the CONTRACT's shape (the four rates with n and a 95% interval), the grouping,
scope (a supervisor's areas only), bad input (400, translated, nothing else), and the query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.roles import Role

from .rates_world import build_tallies, respond, survey_city  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/v1/survey-rates/"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def answered(survey_city):
    city, q, r = survey_city, survey_city["questions"], survey_city["regions"]
    jan, feb = city["rounds"]["jan"], city["rounds"]["feb"]
    respond(city, jan, r["ca1"], q["aware"], positive=5, total=10)
    respond(city, feb, r["ca1"], q["aware"], positive=7, total=10)
    respond(city, feb, r["cb1"], q["satisfied"], positive=3, total=4, group="merchants")
    build_tallies()
    return city


def test_overall_and_regions(answered):
    feb = answered["rounds"]["feb"]
    response = client_for(answered["users"]["office"]).get(URL, {"round": feb.pk, "group_by": "region"})
    assert response.status_code == 200
    data = response.json()
    assert data["round"]["id"] == feb.pk and data["previous_round"]["id"] == answered["rounds"]["jan"].pk
    awareness = data["overall"]["awareness"]
    assert awareness["rate"] == 0.7 and awareness["n"] == 10 and awareness["positive"] == 7
    assert awareness["interval"] == [0.3968, 0.8922]
    assert awareness["previous_rate"] == 0.5 and awareness["change"] == 0.2
    assert data["overall"]["support"] == {
        "rate": None,
        "n": 0,
        "positive": 0,
        "interval": None,
        "n_effective": None,
        "weighted": False,
        "previous_rate": None,
        "change": None,
    }
    rows = {row["name"]: row for row in data["results"]}
    assert set(rows) == {"平城区", "南关街道", "南关一社区", "北关街道", "北关一社区"}
    assert rows["南关街道"]["awareness"]["rate"] == 0.7 and rows["南关街道"]["depth"] == 1
    assert rows["平城区"]["satisfaction"]["n"] == 4
    for rate in ("awareness", "support", "satisfaction", "participation"):
        assert set(rows["平城区"][rate]) >= {"rate", "n", "interval"}


def test_by_group_question_standard(answered):
    feb = answered["rounds"]["feb"]
    client = client_for(answered["users"]["leader"])
    groups = {r["id"]: r for r in client.get(URL, {"round": feb.pk, "group_by": "group"}).json()["results"]}
    assert groups["merchants"]["satisfaction"]["rate"] == 0.75 and groups["residents"]["awareness"]["n"] == 10
    questions = client.get(URL, {"round": feb.pk, "group_by": "question"}).json()["results"]
    assert [(q["code"], q["rate_kind"]) for q in questions] == [("A-1", "awareness"), ("A-3", "satisfaction")]
    assert questions[0]["target"] == 0.95
    standards = client.get(URL, {"round": feb.pk, "group_by": "standard"}).json()["results"]
    assert [s["code"] for s in standards] == ["P010101", "P010102"]
    # P010101: 7/10 + 3/4 = 10/14; target mean(0.95, 0.80)
    assert standards[0]["overall"]["rate"] == 0.7143 and standards[0]["target"] == 0.875
    assert standards[1]["overall"]["n"] == 0 and standards[1]["target"] == 0.9


def test_latest_round_by_default(answered):
    data = client_for(answered["users"]["office"]).get(URL).json()
    assert data["round"]["id"] == answered["rounds"]["feb"].pk and data["group_by"] == "region"


def test_supervisor_sees_its_areas(answered):
    data = client_for(answered["users"]["supervisor"]).get(URL, {"group_by": "region"}).json()
    assert [row["name"] for row in data["results"]] == ["南关街道", "南关一社区"]
    assert data["overall"]["satisfaction"]["n"] == 0 and data["overall"]["awareness"]["n"] == 10


@pytest.mark.parametrize(
    "params, field",
    [
        ({"round": "abc"}, "round"),
        ({"round": "999999"}, "round"),
        ({"round": "-1"}, "round"),
        ({"round": "99999999999999999999"}, "round"),
        ({"group_by": "unit"}, "group_by"),
        ({"group_by": "region;drop"}, "group_by"),
    ],
)
def test_bad_input_is_400_translated(answered, params, field):
    client = client_for(answered["users"]["office"])
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400, response.content
    assert field in str(response.json())
    text = response.content.decode()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text  # translated


def test_signed_out_is_refused(answered):
    assert APIClient().get(URL).status_code in (401, 403)


def test_a_unit_sees_no_figures_of_other_areas(answered, make_user):
    liaison = make_user("liaison", Role.UNIT, unit=answered["units"]["market"])
    response = client_for(liaison).get(URL, {"group_by": "region"})
    assert response.status_code == 200
    names = [row["name"] for row in response.json()["results"]]
    assert "北关一社区" not in names and "南关一社区" not in names


def _count(client, params):
    client.get(URL, params)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("group_by, queries", [("region", 6), ("group", 4), ("question", 5), ("standard", 7)])
def test_query_count(answered, group_by, queries):
    """The same number of queries for a few tallies and for many."""
    client = client_for(answered["users"]["office"])
    city, q, r, feb = answered, answered["questions"], answered["regions"], answered["rounds"]["feb"]
    params = {"round": feb.pk, "group_by": group_by}
    assert _count(client, params) == queries
    for region in ("ca1", "ca2", "cb1"):
        for key in ("aware", "support", "satisfied", "joined"):
            for group, source in (("residents", "self_fill"), ("students", "fieldworker")):
                respond(city, feb, r[region], q[key], positive=3, total=5, group=group, source=source)
    build_tallies()
    assert _count(client, params) == queries
