"""The demo's survey responses: spread over the rounds' quotas, positive bits by the questions' rules, a few flagged,
tallies rebuilt (equal to what the services would keep), and a second run adds nothing."""

import io
import random
from datetime import date

import pytest

from evaluation.models import SurveyAnswer, SurveyResponse, SurveyRound, SurveyTally
from evaluation.surveys import demo, services, tally
from tests.evaluation.surveys_world import sw  # noqa: F401

pytestmark = pytest.mark.django_db


def test_demo_responses(sw):
    closed = SurveyRound.objects.create(
        name="十一月", start_date=date(2026, 11, 1), end_date=date(2026, 11, 30), status="closed", created_by=sw.office
    )
    closed.questionnaires.add(sw.qa)
    closed.surveyors.add(sw.surveyor)
    for quota in sw.round.quotas.all():
        quota.pk = None
        quota.round = closed
        quota.target = 40
        quota.save()
    demo.seed(rng=random.Random(1), stdout=io.StringIO())
    responses = SurveyResponse.objects.all()
    assert responses.filter(round=closed).count() >= 70
    assert responses.filter(round=sw.round).exists()
    assert responses.filter(quality__in=["flagged", "accepted", "rejected"]).count() < responses.count() * 0.2
    for answer in SurveyAnswer.objects.select_related("question").prefetch_related("question__options")[:200]:
        fields = {"option_codes": answer.option_codes, "rating": answer.rating, "yes": answer.yes}
        assert answer.positive == services.positive_of_fields(answer.question, answer.question.options.all(), fields)
    kept = sorted(
        SurveyTally.objects.values_list("round", "region", "group", "source", "question", "answered", "positive")
    )
    assert kept
    tally.rebuild()
    assert (
        sorted(
            SurveyTally.objects.values_list("round", "region", "group", "source", "question", "answered", "positive")
        )
        == kept
    )
    count = responses.count()
    demo.seed(rng=random.Random(1), stdout=io.StringIO())
    assert SurveyResponse.objects.count() == count
