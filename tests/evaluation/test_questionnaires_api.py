"""API questionnaires/ (read: questions and options) and survey-rounds/ (CONTRACT.md: questionnaire rounds with their
quotas; every signed-in user reads with quota progress; the office creates, updates, opens, closes and turns the public
link on or off; the leader and others 403; a state that does not allow it 409; bad input 400 with field messages)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from evaluation.models import SurveyRound
from tests.evaluation.questionnaires_world import add_response, qcity  # noqa: F401

pytestmark = pytest.mark.django_db

QUESTIONNAIRES = reverse("api_questionnaire-list")
ROUNDS = reverse("api_survey-round-list")


def api(qcity, who):
    client = APIClient()
    client.force_authenticate(qcity["users"][who])
    return client


def test_questionnaires_read_with_questions_and_options(qcity):
    data = api(qcity, "unit").get(QUESTIONNAIRES).json()
    assert data["count"] == 1
    questionnaire = data["results"][0]
    assert questionnaire["code"] == "A" and questionnaire["group"] == "residents"
    single = questionnaire["questions"][0]
    assert single["kind"] == "single" and single["rate"] == "satisfaction" and single["standards"] == ["P040301"]
    assert single["options"][0] == {"code": "A", "text": "非常满意", "is_positive": True}
    assert [q["kind"] for q in questionnaire["questions"]] == ["single", "multiple", "rating", "yes_no", "text"]
    assert questionnaire["questions"][2]["positive_min_rating"] == 4
    assert api(qcity, "office").post(QUESTIONNAIRES, {"code": "Z"}).status_code == 405
    assert APIClient().get(QUESTIONNAIRES).status_code in (401, 403)


def test_round_detail_has_quotas_with_progress(qcity):
    c = qcity
    for quality in ("valid", "accepted", "flagged", "rejected"):
        add_response(c["round"], c["questionnaire"], c["regions"]["ca"], "residents", quality=quality)
    data = api(qcity, "surveyor").get(reverse("api_survey-round-detail", args=[c["round"].pk])).json()
    assert data["status"] == "draft" and data["source_weights"] == {"interview": 70, "fieldworker": 30}
    assert data["questionnaires"] == [c["questionnaire"].pk]
    quotas = {q["region_name"]: (q["group"], q["target"], q["done"], q["surveyor_name"]) for q in data["quotas"]}
    assert quotas == {"南关社区": ("residents", 3, 2, "surveyor"), "魏都社区": ("merchants", 2, 0, "surveyor2")}
    assert data["responses_counted"] == 2 and data["quota_target"] == 5 and data["public_link"] is None
    assert api(qcity, "leader").get(ROUNDS).json()["count"] == 1


def test_office_creates_opens_and_closes(qcity):
    client = api(qcity, "office")
    body = {
        "name": "四月",
        "start_date": "2026-04-01",
        "end_date": "2026-04-30",
        "questionnaires": [qcity["questionnaire"].pk],
        "surveyors": [qcity["users"]["surveyor"].pk],
        "source_weights": {"interview": 70, "fieldworker": 30},
    }
    response = client.post(ROUNDS, body, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    detail = reverse("api_survey-round-detail", args=[pk])
    assert client.patch(detail, {"name": "四月模拟测评"}, format="json").json()["name"] == "四月模拟测评"
    assert client.post(reverse("api_survey-round-close", args=[pk])).status_code == 409
    assert client.post(reverse("api_survey-round-open", args=[pk])).json()["status"] == "open"
    assert client.post(reverse("api_survey-round-open", args=[pk])).status_code == 409
    link = reverse("api_survey-round-public-link", args=[pk])
    assert client.post(link, {"enabled": True}, format="json").status_code == 200
    assert SurveyRound.objects.get(pk=pk).public_token
    assert client.post(link, {"enabled": True}, format="json").status_code == 409
    assert client.post(link, {}, format="json").status_code == 400
    assert client.post(reverse("api_survey-round-close", args=[pk])).json()["status"] == "closed"
    assert client.patch(detail, {"name": "改"}, format="json").status_code == 409


@pytest.mark.parametrize(
    "change,field",
    [
        ({"end_date": "2026-02-01"}, "end_date"),
        ({"questionnaires": []}, "questionnaires"),
        ({"source_weights": {"robots": 10}}, "source_weights"),
        ({"source_weights": {"interview": 101}}, "source_weights"),
        ({"start_date": "0001-01-01"}, "start_date"),
        ({"surveyors": [999999]}, "surveyors"),
    ],
)
def test_bad_input_answers_400_with_the_field(qcity, change, field):
    client = api(qcity, "office")
    body = {
        "name": "坏",
        "start_date": "2026-04-01",
        "end_date": "2026-04-30",
        "questionnaires": [qcity["questionnaire"].pk],
        **change,
    }
    response = client.post(ROUNDS, body, format="json")
    assert response.status_code == 400 and field in str(response.json())
    assert SurveyRound.objects.count() == 1


@pytest.mark.parametrize("who", ["leader", "surveyor", "unit"])
def test_writes_refused_403(qcity, who):
    client = api(qcity, who)
    pk = qcity["round"].pk
    body = {"name": "x", "start_date": "2026-04-01", "end_date": "2026-04-30", "questionnaires": []}
    assert client.post(ROUNDS, body, format="json").status_code == 403
    assert client.patch(reverse("api_survey-round-detail", args=[pk]), {"name": "x"}, format="json").status_code == 403
    assert client.post(reverse("api_survey-round-open", args=[pk])).status_code == 403
    assert client.post(reverse("api_survey-round-public-link", args=[pk]), {"enabled": True}).status_code == 403
    survey_round = SurveyRound.objects.get()
    assert (survey_round.name, survey_round.status, survey_round.public_token) == ("2026年3月模拟测评", "draft", None)
    assert client.get(reverse("api_survey-round-detail", args=[99999])).status_code == 404
