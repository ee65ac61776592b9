"""A small hand-made set of material for the completeness, package and bulletin tests, built directly as rows
(requirements, submissions in versions, files saved through the FileField), independent of the materials services.

    project P1 基础指标 ── content C1 ── standard S1 (4 points), S2 (3 points)
    project P2 特色指标 ── content C2 ── standard S3 (5 points)

    R1 (S1, due in the past)   units A, B, C   A: v1 returned, v2 accepted (current); B: v1 returned; C: nothing
    R2 (S2, due in the future) units A, B      A: v1 submitted;                       B: v1 draft
    R3 (S3, due in the past)   units B, C      B: v1 accepted (late);                 C: v1 submitted (late)
    unit D submits nothing; unit C leads S3 on the responsibility list.

Expected figures are in EXPECTED_* below (worked out by hand from this table).
"""

from datetime import date, datetime, time, timedelta
from io import BytesIO

from django.core.files.base import ContentFile
from django.utils import timezone

TODAY = date(2025, 6, 16)
PAST = TODAY - timedelta(days=10)
FUTURE = TODAY + timedelta(days=20)

EXPECTED_TOTALS = {
    "required": 7,
    "submitted": 4,
    "accepted": 2,
    "returned": 1,
    "overdue": 2,
    "late": 2,
    "points_at_risk": 7.0,
}
EXPECTED_BY_UNIT = {
    "A": {"required": 2, "submitted": 2, "accepted": 1, "returned": 0, "overdue": 0, "late": 0, "points_at_risk": 0.0},
    "B": {"required": 3, "submitted": 1, "accepted": 1, "returned": 1, "overdue": 1, "late": 1, "points_at_risk": 7.0},
    "C": {"required": 2, "submitted": 1, "accepted": 0, "returned": 0, "overdue": 1, "late": 1, "points_at_risk": 4.0},
}
EXPECTED_BY_STANDARD = {
    "S1": {"required": 3, "submitted": 1, "accepted": 1, "returned": 1, "overdue": 2, "late": 0, "points_at_risk": 4.0},
    "S2": {"required": 2, "submitted": 1, "accepted": 0, "returned": 0, "overdue": 0, "late": 0, "points_at_risk": 3.0},
    "S3": {"required": 2, "submitted": 2, "accepted": 1, "returned": 0, "overdue": 0, "late": 2, "points_at_risk": 0.0},
}
EXPECTED_BY_PROJECT = {
    "P1": {"required": 5, "submitted": 2, "accepted": 1, "returned": 1, "overdue": 2, "late": 0, "points_at_risk": 7.0},
    "P2": {"required": 2, "submitted": 2, "accepted": 1, "returned": 0, "overdue": 0, "late": 2, "points_at_risk": 0.0},
}


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def pdf_bytes(text="material") -> bytes:
    # A tiny but well-formed PDF is enough: the package copies bytes, it does not read them.
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


def jpeg_bytes(colour=(30, 120, 200)) -> bytes:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (32, 24), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


class Material:
    """The set above; `users` office, leader, unit_a, unit_c (C leads S3), supervisor (no region with units)."""

    def __init__(self, make_user, *, today: date = TODAY):
        from campaign.models import Region, Unit
        from campaign.services import region_create
        from core.roles import Role
        from core.scope import Scope
        from evaluation.models import (
            EvaluationItem,
            MaterialRequirement,
            Responsibility,
            StandardMethod,
        )

        loader = Scope(role=Role.OFFICE, is_authenticated=True, region_ids=None, read_only=False, label="test data")
        self.district = region_create(actor=loader, name="测试区", code="M-D", level=Region.Level.DISTRICT)
        self.units = {
            key: Unit.objects.create(name=name, code=f"M-U{key}", kind=Unit.Kind.DEPARTMENT, region=self.district)
            for key, name in (("A", "城管局"), ("B", "教育局"), ("C", "卫健委"), ("D", "文旅局"))
        }
        self.office = make_user("m-office", Role.OFFICE)
        self.leader = make_user("m-leader", Role.LEADER)
        self.unit_a = make_user("m-unit-a", Role.UNIT, unit=self.units["A"])
        self.unit_c = make_user("m-unit-c", Role.UNIT, unit=self.units["C"])
        self.unit_d = make_user("m-unit-d", Role.UNIT, unit=self.units["D"])

        def item(code, level, text, parent=None, points=None, order=0):
            return EvaluationItem.objects.create(
                code=code, level=level, text=text, parent=parent, max_score=points, sort_order=order
            )

        self.p1 = item("P1", "project", "基础指标")
        self.p2 = item("P2", "project", "特色指标", order=1)
        self.c1 = item("C1", "content", "公共文明/秩序", self.p1)
        self.c2 = item("C2", "content", "志愿服务", self.p2)
        self.s1 = item("S1", "standard", "制定文明行为促进条例", self.c1, 4)
        self.s2 = item("S2", "standard", "开展文明交通劝导", self.c1, 3, 1)
        self.s3 = item("S3", "standard", "志愿服务常态化", self.c2, 5)
        for standard in (self.s1, self.s2, self.s3):
            StandardMethod.objects.create(standard=standard, method="material")
        Responsibility.objects.create(
            standard=self.s3, lead_unit=self.units["C"], task="牵头志愿服务材料", method="material"
        )

        def requirement(standard, title, due, units):
            row = MaterialRequirement.objects.create(
                standard=standard,
                kind=MaterialRequirement.Kind.POLICY,
                title=title,
                window_start=date(2024, 6, 1),
                window_end=date(2025, 5, 31),
                due_date=due,
            )
            row.units.set([self.units[k] for k in units])
            return row

        self.today = today
        self.past, self.future = today - (TODAY - PAST), today + (FUTURE - TODAY)
        self.r1 = requirement(self.s1, "条例文本及实施情况", self.past, "ABC")
        self.r2 = requirement(self.s2, "劝导活动台账", self.future, "AB")
        self.r3 = requirement(self.s3, "志愿服务统计表", self.past, "BC")

        a, b, c = self.units["A"], self.units["B"], self.units["C"]
        self.a1_v1 = self.submission(self.r1, a, 1, "returned", current=False, files=[("条例.pdf", pdf_bytes("old"))])
        self.a1_v2 = self.submission(
            self.r1, a, 2, "accepted", files=[("条例.pdf", pdf_bytes("v2")), ("条例.pdf", pdf_bytes("v2 again"))]
        )
        self.b1 = self.submission(self.r1, b, 1, "returned", files=[("退回.pdf", pdf_bytes("returned"))])
        self.a2 = self.submission(self.r2, a, 1, "submitted", files=[("待审.pdf", pdf_bytes("pending"))])
        self.b2 = self.submission(self.r2, b, 1, "draft", files=[("草稿.pdf", pdf_bytes("draft"))])
        self.b3 = self.submission(self.r3, b, 1, "accepted", late=True, files=[("现场/照片.jpg", jpeg_bytes())])
        self.c3 = self.submission(self.r3, c, 1, "submitted", late=True, files=[("统计.pdf", pdf_bytes("c"))])

    def submission(self, requirement, unit, version, status, *, current=True, late=False, files=()):
        from core.files import random_name
        from evaluation.models import MaterialFile, MaterialSubmission

        submitted = status in ("submitted", "accepted", "returned")
        reviewed = status in ("accepted", "returned")
        row = MaterialSubmission.objects.create(
            requirement=requirement,
            unit=unit,
            version=version,
            is_current=current,
            status=status,
            is_late=late,
            return_reason="缺少盖章" if status == "returned" else "",
            created_by=self.office,
            submitted_at=at(self.past - timedelta(days=3)) if submitted else None,
            reviewed_by=self.office if reviewed else None,
            reviewed_at=at(self.past - timedelta(days=1)) if reviewed else None,
        )
        for name, content in files:
            extension = name.rsplit(".", 1)[-1]
            stored = MaterialFile(submission=row, name=name, kind=extension, size=len(content), uploaded_by=self.office)
            stored.file.save(random_name(extension), ContentFile(content), save=False)
            stored.save()
        return row
