"""A small surveyed city for the rates' tests, built directly with the models (the questionnaire and response
services are other slices): a district with two streets (SA: communities CA1, CA2; SB: community CB1), one
questionnaire for residents with a question per rate (and an open-text one), two standards measured by them, two
rounds (January closed, February open), and a builder of hand-made responses whose tallies are computed here from
the answers (one GROUP BY, as a rebuild does)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db.models import Count, Q

from campaign.models import Campaign, CommandBody, Membership, Person, Region, Unit
from campaign.services import region_create
from core.roles import Role
from evaluation.models import (
    EvaluationItem,
    Question,
    Questionnaire,
    Responsibility,
    SurveyAnswer,
    SurveyResponse,
    SurveyRound,
    SurveyTally,
)

WHEN = datetime(2026, 2, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def survey_city(make_user):
    office = make_user("office", Role.OFFICE)
    district = region_create(actor=office, name="平城区", code="D", level=Region.Level.DISTRICT)
    sa = region_create(actor=office, name="南关街道", code="SA", level=Region.Level.STREET, parent=district)
    sb = region_create(actor=office, name="北关街道", code="SB", level=Region.Level.STREET, parent=district)
    ca1 = region_create(actor=office, name="南关一社区", code="CA1", level=Region.Level.COMMUNITY, parent=sa)
    ca2 = region_create(actor=office, name="南关二社区", code="CA2", level=Region.Level.COMMUNITY, parent=sa)
    cb1 = region_create(actor=office, name="北关一社区", code="CB1", level=Region.Level.COMMUNITY, parent=sb)
    units = {
        "city": Unit.objects.create(name="城管局", code="UA", kind=Unit.Kind.DEPARTMENT, region=district),
        "sa": Unit.objects.create(name="南关街道办", code="UB", kind=Unit.Kind.STREET_OFFICE, region=sa),
        "market": Unit.objects.create(name="市场监管局", code="UC", kind=Unit.Kind.DEPARTMENT, region=district),
    }
    project = EvaluationItem.objects.create(level="project", code="P01", text="公共秩序")
    content = EvaluationItem.objects.create(level="content", code="P0101", text="群众满意", parent=project)
    st1 = EvaluationItem.objects.create(level="standard", code="P010101", text="市民知晓创建", parent=content)
    st2 = EvaluationItem.objects.create(level="standard", code="P010102", text="市民支持创建", parent=content)
    duty = Responsibility.objects.create(standard=st1, lead_unit=units["city"], task="宣传", method="questionnaire")
    duty.units.add(units["sa"], units["market"])
    Responsibility.objects.create(standard=st2, lead_unit=units["market"], task="动员", method="questionnaire")

    qn = Questionnaire.objects.create(code="A", title="居民问卷", group="residents")
    questions = {
        "aware": Question.objects.create(
            questionnaire=qn,
            number=1,
            text="您知道本市正在创建文明城市吗",
            kind="yes_no",
            rate="awareness",
            positive_answer=True,
            target=Decimal("0.95"),
        ),
        "support": Question.objects.create(
            questionnaire=qn, number=2, text="您支持创建吗", kind="yes_no", rate="support", positive_answer=True
        ),
        "satisfied": Question.objects.create(
            questionnaire=qn,
            number=3,
            text="您对市容满意吗",
            kind="rating",
            rate="satisfaction",
            positive_min_rating=4,
            target=Decimal("0.80"),
        ),
        "joined": Question.objects.create(
            questionnaire=qn,
            number=4,
            text="您参加过志愿活动吗",
            kind="yes_no",
            rate="participation",
            positive_answer=True,
        ),
        "text": Question.objects.create(questionnaire=qn, number=5, text="您的建议", kind="text"),
    }
    questions["aware"].standards.add(st1)
    questions["satisfied"].standards.add(st1)
    questions["support"].standards.add(st2)
    january = SurveyRound.objects.create(
        name="一月模拟测评", start_date=date(2026, 1, 1), end_date=date(2026, 1, 31), status="closed", created_by=office
    )
    february = SurveyRound.objects.create(
        name="二月模拟测评", start_date=date(2026, 2, 1), end_date=date(2026, 2, 28), status="open", created_by=office
    )
    for survey_round in (january, february):
        survey_round.questionnaires.add(qn)

    campaign = Campaign.objects.create(name="创建全国文明城市", start_date=date(2026, 1, 1))
    body = CommandBody.objects.create(campaign=campaign, name="督导一组", kind=CommandBody.Kind.SUPERVISION_GROUP)
    body.regions.add(sa)
    supervisor = make_user("supervisor", Role.SUPERVISOR)
    Membership.objects.create(body=body, person=Person.objects.create(name="督导员", user=supervisor))
    users = {
        "office": office,
        "leader": make_user("leader", Role.LEADER),
        "supervisor": supervisor,
        "surveyor": make_user("surveyor", Role.UNIT, unit=units["sa"]),
    }
    return {
        "users": users,
        "regions": {"d": district, "sa": sa, "sb": sb, "ca1": ca1, "ca2": ca2, "cb1": cb1},
        "units": units,
        "standards": {"st1": st1, "st2": st2},
        "questionnaire": qn,
        "questions": questions,
        "rounds": {"jan": january, "feb": february},
    }


def respond(city, survey_round, region, question, *, positive, total, group="residents", source="interview", **kw):
    """`total` responses in `region`, each answering `question`; the first `positive` of them positively. Extra
    keywords go to the responses (quality=…)."""
    rows = []
    for _index in range(total):
        rows.append(
            SurveyResponse(
                round=survey_round,
                questionnaire=city["questionnaire"],
                region=region,
                group=group,
                source=source,
                submitted_at=WHEN,
                duration_seconds=300,
                **kw,
            )
        )
    responses = SurveyResponse.objects.bulk_create(rows)
    answers = []
    for index, response in enumerate(responses):
        good = index < positive
        if question.kind == "rating":
            answers.append(SurveyAnswer(response=response, question=question, rating=5 if good else 2, positive=good))
        else:
            answers.append(SurveyAnswer(response=response, question=question, yes=good, positive=good))
    SurveyAnswer.objects.bulk_create(answers)
    return responses


def build_tallies():
    """The tallies from the answers of counting responses (valid or accepted), as the rebuild does."""
    SurveyTally.objects.all().delete()
    cells = (
        SurveyAnswer.objects.filter(positive__isnull=False, response__quality__in=["valid", "accepted"])
        .values("response__round", "response__region", "response__group", "response__source", "question")
        .annotate(n=Count("id"), pos=Count("id", filter=Q(positive=True)))
        .order_by()
    )
    SurveyTally.objects.bulk_create(
        SurveyTally(
            round_id=c["response__round"],
            region_id=c["response__region"],
            group=c["response__group"],
            source=c["response__source"],
            question_id=c["question"],
            answered=c["n"],
            positive=c["pos"],
        )
        for c in cells
    )
