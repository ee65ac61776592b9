"""A small survey world for tests/evaluation/test_surveys_*.py, built directly with the models (the questionnaire
pages are built in parallel).

city C → street SA → communities CA (a site at 40.07, 113.30; quota for `surveyor`), CB (quota for nobody in
particular); street SB (no quota). Questionnaire QA (residents): 1 single (A positive), 2 multiple (B, C positive),
3 rating (positive from 4), 4 yes/no (yes positive), 5 text (optional). Questionnaire QB (merchants, not in the round).
Round R open (min 60 s, radius 2000 m) with QA, surveyors `surveyor` and `surveyor2`, public token "pub-token"."""

from dataclasses import dataclass
from datetime import date

import pytest

from core.roles import Role


@dataclass
class SurveyWorld:
    office: object
    leader: object
    surveyor: object
    surveyor2: object
    outsider: object
    ca: object
    cb: object
    sb: object
    qa: object
    qb: object
    questions: dict
    round: object


def build(make_user):
    from campaign.models import Region, Unit
    from campaign.services import region_create
    from evaluation.models import Question, Questionnaire, QuestionOption, SurveyQuota, SurveyRound
    from inspections.models import Site, SiteType

    office = make_user("office", Role.OFFICE)
    c = region_create(actor=office, name="市", code="C", level=Region.Level.CITY)
    sa = region_create(actor=office, name="南关街道", code="SA", level=3, parent=c)
    sb = region_create(actor=office, name="北关街道", code="SB", level=3, parent=c)
    ca = region_create(actor=office, name="南关社区", code="CA", level=4, parent=sa)
    cb = region_create(actor=office, name="新华社区", code="CB", level=4, parent=sa)
    market = SiteType.objects.create(name="农贸市场", code="market")
    unit = Unit.objects.create(name="城管局", code="UA", kind=Unit.Kind.DEPARTMENT, region=c)
    Site.objects.create(name="南关市场", code="S1", site_type=market, region=ca, unit=unit, lat=40.07, lng=113.30)
    qa = Questionnaire.objects.create(code="A", title="居民问卷", group="residents")
    qb = Questionnaire.objects.create(code="B", title="商户问卷", group="merchants")
    k = Question.Kind
    q1 = Question.objects.create(questionnaire=qa, number=1, text="知道创城吗", kind=k.SINGLE, rate="awareness")
    for i, (code, positive) in enumerate((("A", True), ("B", False), ("C", False))):
        QuestionOption.objects.create(question=q1, code=code, text=code, is_positive=positive, sort_order=i)
    q2 = Question.objects.create(questionnaire=qa, number=2, text="参加过哪些", kind=k.MULTIPLE, rate="participation")
    for i, (code, positive) in enumerate((("A", False), ("B", True), ("C", True))):
        QuestionOption.objects.create(question=q2, code=code, text=code, is_positive=positive, sort_order=i)
    q3 = Question.objects.create(
        questionnaire=qa, number=3, text="满意吗", kind=k.RATING, rate="satisfaction", positive_min_rating=4
    )
    q4 = Question.objects.create(
        questionnaire=qa, number=4, text="支持吗", kind=k.YES_NO, rate="support", positive_answer=True
    )
    q5 = Question.objects.create(questionnaire=qa, number=5, text="建议", kind=k.TEXT, is_required=False)
    qb1 = Question.objects.create(questionnaire=qb, number=1, text="商户满意吗", kind=k.RATING, positive_min_rating=4)
    surveyor = make_user("surveyor", Role.SUPERVISOR)
    surveyor2 = make_user("surveyor2", Role.SUPERVISOR)
    outsider = make_user("outsider", Role.SUPERVISOR)
    leader = make_user("leader", Role.LEADER)
    rnd = SurveyRound.objects.create(
        name="十二月模拟测评",
        start_date=date(2026, 12, 1),
        end_date=date(2026, 12, 31),
        status=SurveyRound.Status.OPEN,
        public_token="pub-token",
        created_by=office,
    )
    rnd.questionnaires.add(qa)
    rnd.surveyors.add(surveyor, surveyor2)
    SurveyQuota.objects.create(round=rnd, region=ca, group="residents", target=4, surveyor=surveyor)
    SurveyQuota.objects.create(round=rnd, region=cb, group="residents", target=3)
    return SurveyWorld(
        office=office,
        leader=leader,
        surveyor=surveyor,
        surveyor2=surveyor2,
        outsider=outsider,
        ca=ca,
        cb=cb,
        sb=sb,
        qa=qa,
        qb=qb,
        questions={1: q1, 2: q2, 3: q3, 4: q4, 5: q5, "b1": qb1},
        round=rnd,
    )


@pytest.fixture
def sw(db, make_user):
    return build(make_user)


def good_answers(w, *, rating=5, yes=True, single="A", multiple=("B",), text=""):
    q = w.questions
    answers = [
        {"question": q[1].pk, "value": single},
        {"question": q[2].pk, "value": list(multiple)},
        {"question": q[3].pk, "value": rating},
        {"question": q[4].pk, "value": yes},
    ]
    if text:
        answers.append({"question": q[5].pk, "value": text})
    return answers


def submit(w, *, actor=None, answers=None, region="ca", minutes=5, **extra):
    from datetime import timedelta

    from django.utils import timezone

    from evaluation.surveys import services

    values = {
        "actor_or_public": actor or w.surveyor,
        "round": w.round,
        "questionnaire": w.qa,
        "region": w.ca if region == "ca" else region,
        "group": "residents",
        "source": "",
        "answers": answers if answers is not None else good_answers(w),
        "lat": None,
        "lng": None,
        "started_at": timezone.now() - timedelta(minutes=minutes),
        "device": "",
        "phone": "",
        "client_key": "",
    }
    values.update(extra)
    return services.response_submit(**values)
