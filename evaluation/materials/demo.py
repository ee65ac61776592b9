"""The demo city's material review, three months before the test: the 材料申报指导督导组 (the demo `supervisor` is a
member) reviews beside the office; every material-method standard of the sample system has a requirement (due dates
over the coming weeks, a few already past) submitted by its responsible units: most accepted, some returned with
reasons, some awaiting review, some late, some overdue with nothing. The demo accounts `unit` and `unit2` carry one
of each. Files are real small PDFs, photos and sheets stored through the upload path (checked, random names).
Idempotent: nothing happens when requirements exist or the system has no material standards."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from campaign.models import Campaign, CommandBody, Membership, Person
from core.models import User
from core.roles import Role
from evaluation.models import (
    MaterialEvent,
    MaterialRequirement,
    MaterialReviewBody,
    MaterialSubmission,
)

from . import selectors, services

BODY_NAME = "材料申报指导督导组"
MAX_UNITS = 4
KINDS = [
    (MaterialRequirement.Kind.POLICY, "规范文件", "本单位制定或转发的相关制度、方案、通知等正式印发文件"),
    (MaterialRequirement.Kind.EXPLANATION, "情况说明", "工作开展情况说明，需加盖单位公章"),
    (MaterialRequirement.Kind.PHOTOS, "实景图片", "标注拍摄时间、地点的实景照片，每项不少于3张"),
    (MaterialRequirement.Kind.STATISTICS, "统计表格", "相关工作数据统计表，数据截至上月底"),
]
# Days from today of each requirement's due date, in turn: a few past, most over the coming weeks.
DUE_OFFSETS = [-12, 9, 16, -4, 23, 5, 30, 12, -20, 19, 26, 2, 37]
REASONS = [
    "实景图片未标注拍摄时间和地点，请补充后重新报送",
    "情况说明缺少单位盖章页，请加盖公章后扫描上传",
    "统计表格数据截止时间与申报要求不一致，请更新至上月底",
    "规范文件为征求意见稿，请提供正式印发文件",
]
NOTES = ["已按要求整理上报", "请审核", "附件为正式文件扫描件", "数据已核对", ""]
# What happens to a unit's material: for the past-due requirements and for the coming ones.
PAST = ["accepted", "accepted", "late_accepted", "nothing", "accepted", "late_submitted", "accepted", "returned"]
COMING = ["accepted", "accepted", "submitted", "accepted", "returned", "accepted", "resubmitted", "accepted", "draft"]
# The demo accounts' units get one of each (their pages show every state).
DEMO_PAST = ["nothing", "late_submitted", "accepted", "late_accepted", "nothing"]
DEMO_COMING = ["returned", "submitted", "accepted", "draft", "resubmitted", "nothing", "accepted"]


def _samples():
    """One tiny PDF (WeasyPrint, made once), a photo (Pillow) and a sheet (core.xlsx): bytes reused for every file."""
    from PIL import Image, ImageDraw
    from weasyprint import HTML

    from core.xlsx import xlsx_bytes

    pdf = HTML(string="<h1 style='font-size:14pt'>创建全国文明城市工作材料</h1><p>本文件为演示数据。</p>").write_pdf()
    buffer = BytesIO()
    image = Image.new("RGB", (320, 240), (70, 130, 180))
    ImageDraw.Draw(image).rectangle((40, 60, 280, 200), fill=(240, 240, 230))
    image.save(buffer, format="PNG")
    sheet = xlsx_bytes(headers=["月份", "完成数", "备注"], rows=[["1月", 12, ""], ["2月", 15, ""], ["3月", 18, ""]])
    return {"pdf": pdf, "png": buffer.getvalue(), "xlsx": sheet}


def _uploads(samples, kind, rng):
    if kind == MaterialRequirement.Kind.PHOTOS:
        return [SimpleUploadedFile(f"实景照片{i}.png", samples["png"]) for i in range(1, rng.randint(2, 3) + 1)]
    if kind == MaterialRequirement.Kind.STATISTICS:
        return [SimpleUploadedFile("统计表.xlsx", samples["xlsx"]), SimpleUploadedFile("说明.pdf", samples["pdf"])]
    name = "规范文件.pdf" if kind == MaterialRequirement.Kind.POLICY else "情况说明.pdf"
    return [SimpleUploadedFile(name, samples["pdf"])]


def _at(day, hour):
    """A time of that day, never later than now (a demo of today must not show tomorrow's review)."""
    return min(timezone.make_aware(datetime.combine(day, time(hour, 0))), timezone.now())


class _Writer:
    """Writes versions as the services leave them (files through the upload path), with believable times."""

    def __init__(self, *, office, reviewer, samples, rng, today):
        self.office, self.reviewer, self.samples, self.rng, self.today = office, reviewer, samples, rng, today
        self.liaisons = {u.unit_id: u for u in User.objects.filter(role=Role.UNIT, is_active=True).exclude(unit=None)}

    def version(self, requirement, unit, *, number, status, start, late=False, reason="", current=True):
        actor = self.liaisons.get(unit.pk)
        submission = MaterialSubmission.objects.create(
            requirement=requirement,
            unit=unit,
            version=number,
            is_current=current,
            status=MaterialSubmission.Status.DRAFT,
            note=self.rng.choice(NOTES),
            created_by=actor,
        )
        times = {"created": _at(start, 9)}
        events = [(MaterialEvent.Verb.CREATED if number == 1 else MaterialEvent.Verb.RESUBMITTED, actor, "")]
        prepared = services.prepare_material_files(_uploads(self.samples, requirement.kind, self.rng))
        services.store_material_files(submission=submission, prepared=prepared, actor=actor or self.office)
        fields = {"created_at": times["created"]}
        if status != MaterialSubmission.Status.DRAFT:
            submitted = _at(start + timedelta(days=1), 15)
            fields.update(submitted_at=submitted, is_late=late)
            events.append((MaterialEvent.Verb.SUBMITTED, actor, "逾期报送" if late else ""))
        if status in (MaterialSubmission.Status.ACCEPTED, MaterialSubmission.Status.RETURNED):
            reviewer = self.rng.choice([self.office, self.reviewer]) if self.reviewer else self.office
            reviewed = _at(start + timedelta(days=3), 10)
            fields.update(status=status, reviewed_by=reviewer, reviewed_at=reviewed, return_reason=reason)
            verb = (
                MaterialEvent.Verb.ACCEPTED
                if status == MaterialSubmission.Status.ACCEPTED
                else MaterialEvent.Verb.RETURNED
            )
            events.append((verb, reviewer, reason))
        else:
            fields["status"] = status
        MaterialSubmission.objects.filter(pk=submission.pk).update(**fields)
        MaterialEvent.objects.filter(submission=submission).update(created_at=times["created"])
        for offset, (verb, who, note) in enumerate(events):
            event = MaterialEvent.objects.create(submission=submission, verb=verb, actor=who, note=note)
            when = times["created"] + timedelta(days=offset, hours=offset)
            MaterialEvent.objects.filter(pk=event.pk).update(created_at=when)
        return submission

    def scenario(self, requirement, unit, outcome):
        due = requirement.due_date
        on_time = min(due, self.today) - timedelta(days=self.rng.randint(4, 12))
        S = MaterialSubmission.Status
        if outcome == "nothing":
            return
        if outcome == "draft":
            self.version(requirement, unit, number=1, status=S.DRAFT, start=self.today - timedelta(days=1))
        elif outcome == "submitted":
            self.version(requirement, unit, number=1, status=S.SUBMITTED, start=self.today - timedelta(days=3))
        elif outcome == "accepted":
            self.version(requirement, unit, number=1, status=S.ACCEPTED, start=on_time)
        elif outcome == "returned":
            self.version(
                requirement,
                unit,
                number=1,
                status=S.RETURNED,
                start=self.today - timedelta(days=5),
                reason=self.rng.choice(REASONS),
            )
        elif outcome == "resubmitted":  # returned once, the second version accepted or awaiting review
            self.version(
                requirement,
                unit,
                number=1,
                status=S.RETURNED,
                start=on_time - timedelta(days=6),
                reason=self.rng.choice(REASONS),
                current=False,
            )
            status = self.rng.choice([S.ACCEPTED, S.SUBMITTED])
            self.version(requirement, unit, number=2, status=status, start=min(on_time, self.today - timedelta(days=4)))
        elif outcome in ("late_accepted", "late_submitted"):
            start = due + timedelta(days=1)
            status = S.ACCEPTED if outcome == "late_accepted" else S.SUBMITTED
            self.version(requirement, unit, number=1, status=status, start=start, late=True)


def _review_body(office):
    """The 材料申报指导督导组 with the demo supervisor's person as a member; it reviews every project."""
    from campaign import services as campaign_services

    campaign = Campaign.objects.order_by("pk").first()
    if campaign is None:
        return None
    body = CommandBody.objects.filter(name=BODY_NAME).first()
    if body is None:
        body = campaign_services.command_body_create(
            actor=office,
            campaign=campaign,
            name=BODY_NAME,
            kind=CommandBody.Kind.WORKING_GROUP,
            parent=CommandBody.objects.filter(campaign=campaign, kind=CommandBody.Kind.HEADQUARTERS).first(),
            duty="指导各责任单位整理、报送测评材料，审核材料并提出退回修改意见",
        )
    MaterialReviewBody.objects.get_or_create(command_body=body)
    person = Person.objects.filter(user__username="supervisor").first()
    if person is not None and not Membership.objects.filter(body=body, person=person).exists():
        campaign_services.membership_add(actor=office, body=body, person=person)
    return person.user if person else None


def seed(*, rng, stdout) -> None:
    if MaterialRequirement.objects.exists():
        return
    standards = list(selectors.material_standards())
    office = User.objects.filter(username="office").first()
    if not standards or office is None:
        return
    today = selectors.local_today()
    samples = _samples()
    demo_units = set(User.objects.filter(username__in=["unit", "unit2"]).values_list("unit_id", flat=True))
    with transaction.atomic():
        reviewer = _review_body(office)
        writer = _Writer(office=office, reviewer=reviewer, samples=samples, rng=rng, today=today)
        turns = {"past": 0, "coming": 0}
        demo_turns: dict[str, int] = {}
        requirements = 0
        for index, standard in enumerate(standards):
            kind, label, description = KINDS[index % len(KINDS)]
            units = selectors.default_units(standard)
            chosen = [u for u in units if u.pk in demo_units] + [u for u in units if u.pk not in demo_units]
            chosen = chosen[:MAX_UNITS]
            if not chosen:
                continue
            offset = DUE_OFFSETS[index % len(DUE_OFFSETS)]
            requirement = services.requirement_create(
                actor=office,
                standard=standard,
                kind=kind,
                title=f"{standard.parent.text}{label}",
                description=description,
                due_date=today + timedelta(days=max(offset, 1)),
                units=chosen,
                sort_order=index,
            )
            if offset < 1:  # already past: the office set it weeks ago
                MaterialRequirement.objects.filter(pk=requirement.pk).update(due_date=today + timedelta(days=offset))
                requirement.due_date = today + timedelta(days=offset)
            requirements += 1
            phase = "past" if requirement.due_date < today else "coming"
            for unit in chosen:
                if unit.pk in demo_units:
                    pattern = DEMO_PAST if phase == "past" else DEMO_COMING
                    n = demo_turns.get(phase, 0)  # shared by the two accounts: between them, one of each
                    demo_turns[phase] = n + 1
                    outcome = pattern[n % len(pattern)]
                else:
                    pattern = PAST if phase == "past" else COMING
                    outcome = pattern[(turns[phase] + rng.randint(0, 2)) % len(pattern)]
                    turns[phase] += 1
                writer.scenario(requirement, unit, outcome)
    stdout.write(
        f"materials: {requirements} requirements, {MaterialSubmission.objects.count()} submission versions, "
        f"reviewed by {BODY_NAME} and the office"
    )
