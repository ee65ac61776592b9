"""A small city for the questionnaire tests: regions (a street and two communities), standards (two collected by
questionnaire, one by field inspection), one user per role plus a second surveyor, questionnaire A with one question
of each kind, and a draft round with two quotas. Built through the services (the office as actor)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from campaign.models import Region
from campaign.services import region_create
from core.roles import Role
from evaluation.models import EvaluationItem, StandardMethod, SurveyResponse
from evaluation.questionnaires import services

CHOICES = [
    {"code": "A", "text": "非常满意", "is_positive": True},
    {"code": "B", "text": "比较满意", "is_positive": True},
    {"code": "C", "text": "不满意", "is_positive": False},
]


def make_questionnaire(office, standards, code="A"):
    questionnaire = services.questionnaire_create(
        actor=office, code=code, title="城市居民问卷", group="residents", intro="您好"
    )
    q = services.question_create
    questions = {
        "single": q(
            actor=office,
            questionnaire=questionnaire,
            number=1,
            text="您对社区环境是否满意？",
            kind="single",
            rate="satisfaction",
            standards=[standards["q1"]],
            target=Decimal("0.9"),
            options=CHOICES,
        ),
        "multiple": q(
            actor=office,
            questionnaire=questionnaire,
            number=2,
            text="您参加过哪些活动？",
            kind="multiple",
            rate="participation",
            standards=[standards["q2"]],
            options=[
                {"code": "A", "text": "志愿服务", "is_positive": True},
                {"code": "B", "text": "清洁家园", "is_positive": True},
                {"code": "C", "text": "都没有", "is_positive": False},
            ],
        ),
        "rating": q(
            actor=office,
            questionnaire=questionnaire,
            number=3,
            text="交通秩序打分",
            kind="rating",
            rate="satisfaction",
            standards=[standards["q1"], standards["field"]],
            positive_min_rating=4,
        ),
        "yes_no": q(
            actor=office,
            questionnaire=questionnaire,
            number=4,
            text="您是否知道创建全国文明城市？",
            kind="yes_no",
            rate="awareness",
            positive_answer=True,
        ),
        "text": q(actor=office, questionnaire=questionnaire, number=5, text="建议", kind="text", is_required=False),
    }
    return questionnaire, questions


@pytest.fixture
def qcity(make_user):
    office = make_user("office", Role.OFFICE)
    city_region = region_create(actor=office, name="平城区", code="D", level=Region.Level.DISTRICT)
    street = region_create(actor=office, name="南关街道", code="SA", level=Region.Level.STREET, parent=city_region)
    ca = region_create(actor=office, name="南关社区", code="CA", level=Region.Level.COMMUNITY, parent=street)
    cb = region_create(actor=office, name="魏都社区", code="CB", level=Region.Level.COMMUNITY, parent=street)
    project = EvaluationItem.objects.create(level="project", code="P04", text="公共服务")
    content = EvaluationItem.objects.create(level="content", code="P0403", text="群众满意", parent=project)
    standards = {
        "q1": EvaluationItem.objects.create(level="standard", code="P040301", text="居民满意度", parent=content),
        "q2": EvaluationItem.objects.create(level="standard", code="P040302", text="参与率", parent=content),
        "field": EvaluationItem.objects.create(level="standard", code="P040303", text="实地", parent=content),
    }
    StandardMethod.objects.create(standard=standards["q1"], method="questionnaire")
    StandardMethod.objects.create(standard=standards["q2"], method="questionnaire")
    StandardMethod.objects.create(standard=standards["field"], method="field")
    users = {
        "office": office,
        "surveyor": make_user("surveyor", Role.SUPERVISOR, first_name="张调查"),
        "surveyor2": make_user("surveyor2", Role.SUPERVISOR),
        "supervisor": make_user("supervisor", Role.SUPERVISOR),
        "leader": make_user("leader", Role.LEADER),
        "unit": make_user("unit", Role.UNIT),
    }
    questionnaire, questions = make_questionnaire(office, standards)
    survey_round = services.round_create(
        actor=office,
        name="2026年3月模拟测评",
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 31),
        questionnaires=[questionnaire],
        surveyors=[users["surveyor"], users["surveyor2"]],
        source_weights={"interview": 70, "fieldworker": 30},
    )
    quotas = {
        "ca": services.quota_save(
            actor=office, round=survey_round, region=ca, group="residents", target=3, surveyor=users["surveyor"]
        ),
        "cb": services.quota_save(
            actor=office, round=survey_round, region=cb, group="merchants", target=2, surveyor=users["surveyor2"]
        ),
    }
    return {
        "users": users,
        "regions": {"d": city_region, "sa": street, "ca": ca, "cb": cb},
        "standards": standards,
        "project": project,
        "questionnaire": questionnaire,
        "questions": questions,
        "round": survey_round,
        "quotas": quotas,
    }


def add_response(survey_round, questionnaire, region, group, *, quality="valid", surveyor=None, answers=()):
    """A response row as the response service would leave it (rows only: the tests of quota progress count them).
    `answers`: (question, dict of answer fields)."""
    from evaluation.models import SurveyAnswer

    response = SurveyResponse.objects.create(
        round=survey_round,
        questionnaire=questionnaire,
        region=region,
        group=group,
        source="interview",
        surveyor=surveyor,
        submitted_at=timezone.now(),
        quality=quality,
    )
    for question, fields in answers:
        SurveyAnswer.objects.create(response=response, question=question, **fields)
    return response
