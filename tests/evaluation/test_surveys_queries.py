"""The survey response lists cost a pinned number of queries at 20 and 100 rows a page (no N+1): the API
api_survey-response-list (/api/v1/survey-responses/) for the office and a surveyor, and the office's data-quality
page and the surveyor's phone page (whatever the number of responses). Named in tests/test_query_counts.py
PINNED_ELSEWHERE."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluation.models import SurveyAnswer, SurveyResponse
from tests.evaluation.surveys_world import sw  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
ROWS = 105
SIZES = (20, 100)

# API: session, user, (a surveyor's scope), COUNT, rows, answers with their questions, savepoints, the session saved.
PINS = {
    ("api_survey-response-list", "office"): 8,
    ("api_survey-response-list", "surveyor"): 9,
}
# Pages: session, user, scope, rows (100 at most), the rounds of the filter, notifications; the phone page: open
# rounds with their questionnaires, quotas, counts, the surveyor's own totals.
PAGES = {
    ("evaluation:survey_quality", "office"): 8,
    ("evaluation:survey_home", "surveyor"): 13,
}


@pytest.fixture
def many(sw):
    now = timezone.now()
    responses = SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                round=sw.round,
                questionnaire=sw.qa,
                region=sw.ca if i % 2 else sw.cb,
                group="residents",
                source="interview",
                surveyor=sw.surveyor,
                started_at=now - timedelta(minutes=5),
                submitted_at=now - timedelta(minutes=i),
                duration_seconds=20 if i % 3 else 300,
                too_fast=bool(i % 3),
                quality="flagged" if i % 3 else "valid",
            )
            for i in range(ROWS)
        ]
    )
    q = sw.questions
    SurveyAnswer.objects.bulk_create(
        [SurveyAnswer(response=r, question=q[3], rating=4, positive=True) for r in responses]
        + [SurveyAnswer(response=r, question=q[4], yes=True, positive=True) for r in responses]
    )
    return sw


@pytest.mark.parametrize(("name", "who"), sorted(PINS))
def test_survey_response_api_is_pinned(many, name, who, django_assert_num_queries):
    client = Client()
    client.force_login(getattr(many, who))
    for size in SIZES:
        with django_assert_num_queries(PINS[(name, who)]):
            response = client.get(reverse(name), {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        assert len(response.json()["results"][0]["answers"]) == 2


@pytest.mark.parametrize(("name", "who"), sorted(PAGES))
def test_survey_pages_are_pinned(many, name, who, django_assert_num_queries):
    client = Client()
    client.force_login(getattr(many, who))
    with django_assert_num_queries(PAGES[(name, who)]):
        response = client.get(reverse(name))
    assert response.status_code == 200
