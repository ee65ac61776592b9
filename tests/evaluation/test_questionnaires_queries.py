"""The questionnaire and survey-round lists cost a pinned number of queries at 20 and at 100 rows a page (no N+1),
for the office and a surveyor. Named in tests/test_query_counts.py PINNED_ELSEWHERE: evaluation:questionnaire_list,
evaluation:survey_round_list, api_questionnaire-list, api_survey-round-list. A round's detail (page and API) costs the
same with 5 quotas or 100."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Question, Questionnaire, QuestionOption, SurveyQuota, SurveyResponse, SurveyRound
from tests.evaluation.questionnaires_world import qcity  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
ROWS = 105
SIZES = (20, 100)

# (route name, who) → queries at both page sizes. Pages: session, user, COUNT, rows, (API: prefetches of questions,
# their options and standards; rounds: their questionnaires and surveyors, and the quotas with progress), the unread
# notifications, the session saved.
PINS = {
    ("evaluation:questionnaire_list", "office"): 8,
    ("evaluation:questionnaire_list", "surveyor"): 9,
    ("evaluation:survey_round_list", "office"): 10,
    ("evaluation:survey_round_list", "surveyor"): 11,
    ("api_questionnaire-list", "office"): 10,
    ("api_questionnaire-list", "surveyor"): 11,
    ("api_survey-round-list", "office"): 10,
    ("api_survey-round-list", "surveyor"): 11,
}


@pytest.fixture
def many(qcity):
    c = qcity
    office = c["users"]["office"]
    questionnaires = Questionnaire.objects.bulk_create(
        [Questionnaire(code=f"Q{i:03d}", title=f"问卷{i}", group="residents") for i in range(ROWS)]
    )
    questions = Question.objects.bulk_create(
        [
            Question(questionnaire=q, number=n, text=f"题{n}", kind="single", rate="support")
            for q in questionnaires
            for n in (1, 2)
        ]
    )
    QuestionOption.objects.bulk_create(
        [QuestionOption(question=q, code=code, text=code, is_positive=code == "A") for q in questions for code in "AB"]
    )
    Question.standards.through.objects.bulk_create(
        [Question.standards.through(question=q, evaluationitem=c["standards"]["q1"]) for q in questions]
    )
    rounds = SurveyRound.objects.bulk_create(
        [
            SurveyRound(name=f"轮次{i:03d}", start_date=date(2026, 1, 1), end_date=date(2026, 1, 31), created_by=office)
            for i in range(ROWS)
        ]
    )
    SurveyRound.questionnaires.through.objects.bulk_create(
        [SurveyRound.questionnaires.through(surveyround=r, questionnaire=c["questionnaire"]) for r in rounds]
    )
    SurveyRound.surveyors.through.objects.bulk_create(
        [SurveyRound.surveyors.through(surveyround=r, user=c["users"]["surveyor"]) for r in rounds]
    )
    SurveyQuota.objects.bulk_create(
        [
            SurveyQuota(round=r, region=c["regions"][key], group="residents", target=5, surveyor=c["users"]["surveyor"])
            for r in rounds
            for key in ("ca", "cb")
        ]
    )
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                round=r,
                questionnaire=c["questionnaire"],
                region=c["regions"]["ca"],
                group="residents",
                source="interview",
                submitted_at=timezone.now(),
            )
            for r in rounds[:30]
        ]
    )
    return c


def rows_shown(response, name):
    assert response.status_code == 200
    if name.startswith("api_"):
        return len(response.json()["results"])
    return len(response.context["page"].object_list)


@pytest.mark.parametrize(("name", "who"), sorted(PINS))
def test_questionnaire_lists_are_pinned(many, name, who, django_assert_num_queries):
    client = Client()
    client.force_login(many["users"][who])
    for size in SIZES:
        with django_assert_num_queries(PINS[(name, who)]):
            response = client.get(reverse(name), {"page_size": size})
        assert rows_shown(response, name) == size  # the page really shows that many rows


@pytest.mark.parametrize("name", ["evaluation:survey_round_detail", "api_survey-round-detail"])
def test_round_detail_costs_the_same_with_more_quotas(qcity, name, django_assert_num_queries):
    from campaign.models import Region

    c = qcity
    client = Client()
    client.force_login(c["users"]["office"])
    url = reverse(name, args=[c["round"].pk])
    client.get(url)
    with django_assert_num_queries(ROUND_DETAIL[name]):
        assert client.get(url).status_code == 200
    regions = Region.objects.bulk_create(
        [Region(name=f"社区{i}", code=f"X{i}", level=4, parent=c["regions"]["sa"], path=f"x{i}") for i in range(100)]
    )
    SurveyQuota.objects.bulk_create(
        [SurveyQuota(round=c["round"], region=r, group="residents", target=3) for r in regions]
    )
    with django_assert_num_queries(ROUND_DETAIL[name]):
        response = client.get(url)
    assert response.status_code == 200
    quotas = response.json()["quotas"] if name.startswith("api_") else response.context["quotas"]
    assert len(quotas) == 102


ROUND_DETAIL = {"evaluation:survey_round_detail": 21, "api_survey-round-detail": 9}
