"""The worked example of docs/readiness.md, built row by row (the document's numbers are checked in
tests/evaluation/test_readiness_example.py). Keep this file and the document in step.

    district D ── street SA (community CA) ── street SB (community CB)
    project P1 基本指标 ── content C1 ── S1 (10 points, field inspection), S2 (6 points, material + questionnaire)
    project P2 特色指标 ── content C2 ── S3 (4 points, online survey + briefing)

    S1: site type T checks S1; site A1 in CA (street SA), site B1 in CB (street SB); within the 8-week window:
        patrol at A1: pass; patrol at A1: fail; mock evaluation at B1: score 8 of 10; plus one "not applicable"
        (left out) and one fail 10 weeks ago (outside the window). One open ticket of S1 at A1.
    S2: requirement R for units U1 (in SA: accepted) and U2 (in SB: returned);
        question Q1 (satisfaction, target 0.80) measures S2; the closed round: CA 9 positive of 10, CB 5 of 10.
    S3: the office entered 0.90 for the online survey; the briefing has no estimate (default 0.80).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from campaign.models import Region, Unit
from campaign.services import region_create
from core.roles import Role
from evaluation.models import (
    EvaluationItem,
    MaterialRequirement,
    MaterialSubmission,
    Question,
    Questionnaire,
    ReadinessInput,
    Responsibility,
    StandardMethod,
    SurveyRound,
    SurveyTally,
)
from inspections.models import Category, ChecklistResult, Patrol, PatrolVisit, Site, SiteType, Ticket

TODAY = date(2026, 3, 18)  # a Wednesday

# The document's numbers.
EXPECTED = {
    "S1": {"share": 0.68, "score": 6.8, "points_at_risk": 3.2, "field": (0.68, 3)},
    "S2": {
        "share": 0.6875,
        "score": 4.125,
        "points_at_risk": 1.875,
        "material": (0.5, 2),
        "questionnaire": (0.875, 20),
    },
    "S3": {"share": 0.85, "score": 3.4, "points_at_risk": 0.6, "online": (0.9, "input"), "briefing": (0.8, "estimate")},
}
EXPECTED_TOTAL = {"points": 20.0, "score": 14.325, "points_at_risk": 5.675}
EXPECTED_PROJECTS = {"P1": (16.0, 10.925), "P2": (4.0, 3.4)}
EXPECTED_STREETS = {"SA": 14.4, "SB": 13.275}


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class Example:
    def __init__(self, make_user, *, today: date = TODAY):
        self.office = make_user("r-office", Role.OFFICE)
        self.leader = make_user("r-leader", Role.LEADER)
        d = region_create(actor=self.office, name="示例区", code="R-D", level=Region.Level.DISTRICT)
        self.district = d
        self.sa = region_create(actor=self.office, name="南街道", code="SA", level=Region.Level.STREET, parent=d)
        self.sb = region_create(actor=self.office, name="北街道", code="SB", level=Region.Level.STREET, parent=d)
        self.ca = region_create(
            actor=self.office, name="南一社区", code="CA", level=Region.Level.COMMUNITY, parent=self.sa
        )
        self.cb = region_create(
            actor=self.office, name="北一社区", code="CB", level=Region.Level.COMMUNITY, parent=self.sb
        )
        self.u1 = Unit.objects.create(name="南街道办", code="R-U1", kind=Unit.Kind.STREET_OFFICE, region=self.sa)
        self.u2 = Unit.objects.create(name="北街道办", code="R-U2", kind=Unit.Kind.STREET_OFFICE, region=self.sb)
        self.lead = Unit.objects.create(name="城管局", code="R-U0", kind=Unit.Kind.DEPARTMENT, region=d)

        def item(code, level, text, parent=None, points=None, order=0):
            return EvaluationItem.objects.create(
                code=code, level=level, text=text, parent=parent, max_score=points, sort_order=order
            )

        p1, p2 = item("P1", "project", "基本指标"), item("P2", "project", "特色指标", order=1)
        c1, c2 = item("C1", "content", "公共秩序", p1), item("C2", "content", "志愿服务", p2)
        self.s1 = item("S1", "standard", "主次干道整洁有序", c1, Decimal("10"))
        self.s2 = item("S2", "standard", "市民对市容满意", c1, Decimal("6"), 1)
        self.s3 = item("S3", "standard", "志愿服务常态化", c2, Decimal("4"))
        for standard, methods in (
            (self.s1, ["field"]),
            (self.s2, ["material", "questionnaire"]),
            (self.s3, ["online", "briefing"]),
        ):
            for method in methods:
                StandardMethod.objects.create(standard=standard, method=method)
        duty = Responsibility.objects.create(standard=self.s1, lead_unit=self.lead, task="道路整治", method="field")
        duty.units.add(self.u1, self.u2)
        Responsibility.objects.create(standard=self.s2, lead_unit=self.u1, task="市容满意", method="questionnaire")

        # S1: field evidence.
        site_type = SiteType.objects.create(name="主次干道", code="R-T")
        site_type.standards.add(self.s1)
        self.a1 = Site.objects.create(name="南大街", code="R-A1", site_type=site_type, region=self.ca, unit=self.u1)
        self.b1 = Site.objects.create(name="北大街", code="R-B1", site_type=site_type, region=self.cb, unit=self.u2)
        inside = today - timedelta(days=10)
        self.result(Patrol.Kind.DEPARTMENT, self.a1, inside, "pass")
        self.result(Patrol.Kind.DEPARTMENT, self.a1, inside + timedelta(days=1), "fail")
        self.result(Patrol.Kind.MOCK_EVALUATION, self.b1, inside, "pass", score=Decimal("8"))
        self.result(Patrol.Kind.DEPARTMENT, self.b1, inside + timedelta(days=2), "na")
        self.result(Patrol.Kind.DEPARTMENT, self.b1, today - timedelta(weeks=10), "fail")
        category = Category.objects.create(name="道路不洁", code="R-CAT", group="cleanup")
        Ticket.objects.create(
            number="2026-R00001",
            site=self.a1,
            category=category,
            description="路面垃圾",
            severity="medium",
            source="patrol",
            status="dispatched",
            region=self.ca,
            unit=self.u1,
            standard=self.s1,
            created_at=at(inside),
        )

        # S2: material, one requirement for two units.
        requirement = MaterialRequirement.objects.create(
            standard=self.s2,
            kind=MaterialRequirement.Kind.POLICY,
            title="市容管理台账",
            window_start=date(2025, 3, 1),
            window_end=date(2026, 2, 28),
            due_date=today + timedelta(days=30),
        )
        requirement.units.set([self.u1, self.u2])
        for unit, status in ((self.u1, "accepted"), (self.u2, "returned")):
            MaterialSubmission.objects.create(
                requirement=requirement,
                unit=unit,
                version=1,
                is_current=True,
                status=status,
                created_by=self.office,
                submitted_at=at(inside),
            )

        # S2: the questionnaire.
        questionnaire = Questionnaire.objects.create(code="R-A", title="居民问卷", group="residents")
        self.q1 = Question.objects.create(
            questionnaire=questionnaire,
            number=1,
            text="您对市容满意吗",
            kind="rating",
            rate="satisfaction",
            positive_min_rating=4,
            target=Decimal("0.80"),
        )
        self.q1.standards.add(self.s2)
        self.round = SurveyRound.objects.create(
            name="二月模拟调查",
            start_date=date(2026, 2, 1),
            end_date=date(2026, 2, 28),
            status="closed",
            created_by=self.office,
        )
        self.round.questionnaires.add(questionnaire)
        for region, positive in ((self.ca, 9), (self.cb, 5)):
            SurveyTally.objects.create(
                round=self.round,
                region=region,
                group="residents",
                source="interview",
                question=self.q1,
                answered=10,
                positive=positive,
            )

        # S3: the office's estimate for the online survey; none for the briefing.
        ReadinessInput.objects.create(standard=self.s3, method="online", share=Decimal("0.90"), set_by=self.office)

    def result(self, kind, site, day, result, score=None):
        patrol = Patrol.objects.create(kind=kind, leader=self.office, started_at=at(day), status="finished")
        visit = PatrolVisit.objects.create(patrol=patrol, site=site, visitor=self.office, checked_in_at=at(day))
        return ChecklistResult.objects.create(visit=visit, standard=self.s1, result=result, score=score)


def add_supervisor(example, make_user):
    """A supervisor whose command body covers street SA only."""
    from campaign.models import Campaign, CommandBody, Membership, Person

    campaign = Campaign.objects.create(name="创建全国文明城市", start_date=date(2026, 1, 1))
    body = CommandBody.objects.create(campaign=campaign, name="督导一组", kind=CommandBody.Kind.SUPERVISION_GROUP)
    body.regions.add(example.sa)
    supervisor = make_user("r-supervisor", Role.SUPERVISOR)
    Membership.objects.create(body=body, person=Person.objects.create(name="督导员", user=supervisor))
    return supervisor
