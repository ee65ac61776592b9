"""A small city for the material review tests (tests/evaluation/test_materials_*.py), built through the services.

region D ── street SA
unit A (responsible for S1, liaison `ua`), unit B (lead unit of S1, liaison `ub`), unit C (other, liaison `uc`)
project P1 → content P1.1 → S1 (material + field, 4 points), S2 (field only)
command body 材料申报指导督导组 with a MaterialReviewBody; `reviewer` (supervisor role) is a member
`office`, `leader` (read only), `sup` (a supervisor of another body: sees A's rows by region, reviews nothing)
requirement R1 for S1, due in 10 working days, units by default (A, the responsible unit)
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.roles import Role
from tests.uploads import jpeg, pdf, xlsx  # noqa: F401 - re-exported for the tests


@dataclass
class MaterialsCity:
    office: object
    leader: object
    reviewer: object
    sup: object
    ua: object
    ub: object
    uc: object
    unit_a: object
    unit_b: object
    unit_c: object
    s1: object
    s2: object
    project: object
    requirement: object
    body: object


def tiny_pdf(name="材料.pdf"):
    """A well-formed PDF without WeasyPrint (fast): what core.files checks."""
    data = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def png_bytes():
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def mcity(db, make_user):
    from campaign import services as campaign
    from campaign.models import Campaign, CommandBody, Region, Unit
    from evaluation.materials import services
    from evaluation.models import EvaluationItem, MaterialReviewBody, Responsibility, StandardMethod

    office = make_user("office", Role.OFFICE)
    city = campaign.region_create(actor=office, name="大同市", code="C", level=Region.Level.CITY)
    d = campaign.region_create(actor=office, name="平城区", code="D", level=2, parent=city)
    sa = campaign.region_create(actor=office, name="南关街道", code="SA", level=3, parent=d)
    unit_a = Unit.objects.create(name="城管局", code="UA", kind=Unit.Kind.DEPARTMENT, region=sa)
    unit_b = Unit.objects.create(name="市场监管局", code="UB", kind=Unit.Kind.DEPARTMENT, region=d)
    unit_c = Unit.objects.create(name="教育局", code="UC", kind=Unit.Kind.DEPARTMENT, region=d)
    project = EvaluationItem.objects.create(level="project", code="P1", text="公共环境")
    content = EvaluationItem.objects.create(level="content", code="P1.1", text="市容", parent=project)
    s1 = EvaluationItem.objects.create(level="standard", code="P1.1.1", text="制度健全", parent=content, max_score=4)
    s2 = EvaluationItem.objects.create(level="standard", code="P1.1.2", text="路面整洁", parent=content, max_score=2)
    StandardMethod.objects.create(standard=s1, method="material")
    StandardMethod.objects.create(standard=s1, method="field")
    StandardMethod.objects.create(standard=s2, method="field")
    duty = Responsibility.objects.create(standard=s1, lead_unit=unit_b, task="报送制度文件", method="material")
    duty.units.add(unit_a)
    the_campaign = Campaign.objects.create(name="创城", start_date=date(2026, 1, 1))
    hq = campaign.command_body_create(
        actor=office, campaign=the_campaign, name="创城指挥部", kind=CommandBody.Kind.HEADQUARTERS
    )
    body = campaign.command_body_create(
        actor=office, campaign=the_campaign, name="材料申报指导督导组", kind=CommandBody.Kind.WORKING_GROUP, parent=hq
    )
    MaterialReviewBody.objects.create(command_body=body)
    reviewer = make_user("reviewer", Role.SUPERVISOR)
    campaign.membership_add(
        actor=office, body=body, person=campaign.person_create(actor=office, name="审核员", user=reviewer)
    )
    other = campaign.command_body_create(
        actor=office,
        campaign=the_campaign,
        name="督导一组",
        kind=CommandBody.Kind.SUPERVISION_GROUP,
        parent=hq,
        regions=[sa],
    )
    sup = make_user("sup", Role.SUPERVISOR)
    campaign.membership_add(
        actor=office, body=other, person=campaign.person_create(actor=office, name="督导员", user=sup)
    )
    requirement = services.requirement_create(
        actor=office, standard=s1, kind="policy", title="制度文件", due_in_working_days=10
    )
    return MaterialsCity(
        office=office,
        leader=make_user("leader", Role.LEADER),
        reviewer=reviewer,
        sup=sup,
        ua=make_user("ua", Role.UNIT, unit=unit_a),
        ub=make_user("ub", Role.UNIT, unit=unit_b),
        uc=make_user("uc", Role.UNIT, unit=unit_c),
        unit_a=unit_a,
        unit_b=unit_b,
        unit_c=unit_c,
        s1=s1,
        s2=s2,
        project=project,
        requirement=requirement,
        body=body,
    )
