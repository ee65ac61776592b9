"""The demo's questionnaires and rounds: four versions (A–D, one per group) of 10–15 questions covering every kind and
all four rates, linked to the sample system's questionnaire standards; three monthly rounds (two closed, the current
one open with a public link) with quotas over communities × groups, several covered by the `surveyor` account (a
supervisor, CONTRACT.md); a second run adds nothing."""

import io
import random

import pytest
from django.db.models import Count

from evaluation.models import EvaluationItem, Question, Questionnaire, Rate, SurveyQuota, SurveyRound
from evaluation.questionnaires import demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_rounds(db):
    from campaign import demo as campaign_demo
    from core.models import User
    from evaluation.services import evaluation_load_sample
    from inspections.sites.services import reference_data_load

    campaign_demo.seed(rng=random.Random(2026), stdout=io.StringIO())
    office = User.objects.get(username="office")
    reference_data_load(actor=office)
    assert evaluation_load_sample(actor=office).ok
    demo.seed(rng=random.Random(2026), stdout=io.StringIO())


def test_demo_questionnaires_cover_kinds_rates_and_standards(demo_rounds):
    questionnaires = Questionnaire.objects.annotate(n=Count("questions")).order_by("code")
    assert [(q.code, q.group) for q in questionnaires] == [
        ("A", "residents"),
        ("B", "merchants"),
        ("C", "students"),
        ("D", "visitors"),
    ]
    for questionnaire in questionnaires:
        assert 10 <= questionnaire.n <= 15
        questions = Question.objects.filter(questionnaire=questionnaire)
        assert set(questions.values_list("kind", flat=True)) == set(Question.Kind.values)
        assert set(questions.exclude(rate="").values_list("rate", flat=True)) == set(Rate.values)
    linked = set(Question.objects.values_list("standards__code", flat=True))
    survey_standards = set(
        EvaluationItem.objects.filter(methods__method="questionnaire").values_list("code", flat=True)
    )
    assert survey_standards and survey_standards <= linked


def test_demo_rounds_and_the_surveyor(demo_rounds):
    from core.models import User

    rounds = list(SurveyRound.objects.order_by("start_date"))
    assert [r.status for r in rounds] == ["closed", "closed", "open"]
    assert [bool(r.public_token) for r in rounds] == [False, False, True]
    surveyor = User.objects.get(username="surveyor")
    assert surveyor.role == "supervisor" and surveyor.check_password("demo-pass-2024")
    assert all(surveyor in r.surveyors.all() for r in rounds)
    current = rounds[-1]
    quotas = SurveyQuota.objects.filter(round=current)
    assert quotas.values("region").distinct().count() >= 20 and quotas.values("group").distinct().count() == 4
    assert quotas.filter(surveyor=surveyor).count() >= 10
    # The surveyor covers areas in its own supervision scope.
    from core.scope import scope_of

    scope = set(scope_of(surveyor).region_ids)
    assert set(quotas.filter(surveyor=surveyor).values_list("region_id", flat=True)) <= scope


def test_demo_seeds_once(demo_rounds):
    counts = (Questionnaire.objects.count(), Question.objects.count(), SurveyRound.objects.count())
    demo.seed(rng=random.Random(1), stdout=io.StringIO())
    assert (Questionnaire.objects.count(), Question.objects.count(), SurveyRound.objects.count()) == counts
