"""The matrix's city: two districts, rows of every model in and out of each role's scope, built through services.

    district 平城区 (D) ── street 南关 (SA) ── community 南关社区 (CA)
                       └─ street 北关 (SB)
    district 云冈区 (D2) ── street 口泉 (SC)

    unit  = liaison of 城管局 (unit_a, region D: reads every site under D, owns its own tickets only)
    unit2 = liaison of 南关街道办 (unit_b, region SA)
    supervisor: a member of 督导一组, which covers SA
    norole: signed in, role ""

Sites: S1 (CA, unit_a), S2 (SB, unit_b), S3 (SC, unit_c), S4 (SB, unit_a).
Tickets (all dispatched, with a before photo): at S1 → unit_a, at S2 → unit_b, at S3 → unit_c, at S4 → unit_a, and one
raised by a damaged-asset check at S1 and dispatched to unit_b (so unit_a's asset lists a ticket unit_a may not see).
Assets: at S1 (unit_a), S2 (unit_b), S3 (unit_c). Bulletins: one weekly published, one monthly not published.
"""

import functools
import inspect
from dataclasses import dataclass, field
from datetime import date, timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from core.roles import Role

PASSWORD = "demo-pass-2024"
ROLES = ("office", "supervisor", "unit", "unit2", "leader", "norole")


def jpeg(name="photo.jpg", color=(200, 30, 30)):
    buffer = BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)  # model label → [rows]
    refs: dict = field(default_factory=dict)


def module(*candidates):
    """The first module that imports: the inspections split (issue 10) moves modules while these tests live."""
    from importlib import import_module

    for name in candidates:
        try:
            return import_module(name)
        except ModuleNotFoundError:
            continue
    raise ModuleNotFoundError(candidates[0])


def _user(username, role, unit=None):
    from core.models import User

    user = User(username=username, role=role, unit=unit)
    user.set_password(PASSWORD)
    user.save()
    return user


def build_world() -> World:
    from campaign.models import Campaign, CommandBody, Membership, Person, Region, Unit
    from campaign.services import region_create

    tickets = module("inspections.tickets.services", "inspections.services")
    from inspections.models import Category, Site, SiteType, Ticket
    from publicity.models import Asset
    from publicity.services import asset_check_record, asset_create
    from reports import services as bulletins
    from reports.models import Bulletin

    w = World()
    office_user = _user("office", Role.OFFICE)
    if "actor" in inspect.signature(region_create).parameters:  # campaign's services take the actor (issue 10)
        region_create = functools.partial(region_create, actor=office_user)
    c = region_create(name="大同市", code="C", level=Region.Level.CITY if hasattr(Region.Level, "CITY") else 1)
    d = region_create(name="平城区", code="D", level=2, parent=c)
    d2 = region_create(name="云冈区", code="D2", level=2, parent=c)
    sa = region_create(name="南关街道", code="SA", level=3, parent=d)
    sb = region_create(name="北关街道", code="SB", level=3, parent=d)
    sc = region_create(name="口泉街道", code="SC", level=3, parent=d2)
    ca = region_create(name="南关社区", code="CA", level=4, parent=sa)
    unit_a = Unit.objects.create(name="城管局", code="UA", kind=Unit.Kind.DEPARTMENT, region=d)
    unit_b = Unit.objects.create(name="南关街道办", code="UB", kind=Unit.Kind.STREET_OFFICE, region=sa)
    unit_c = Unit.objects.create(name="云冈交通局", code="UC", kind=Unit.Kind.DEPARTMENT, region=d2)
    users = {
        "office": office_user,
        "supervisor": _user("supervisor", Role.SUPERVISOR),
        "unit": _user("unit", Role.UNIT, unit=unit_a),
        "unit2": _user("unit2", Role.UNIT, unit=unit_b),
        "leader": _user("leader", Role.LEADER),
        "norole": _user("norole", ""),
    }
    campaign = Campaign.objects.create(name="创城", start_date=date(2026, 1, 1))
    body = CommandBody.objects.create(campaign=campaign, name="督导一组", kind=CommandBody.Kind.SUPERVISION_GROUP)
    body.regions.add(sa)
    Membership.objects.create(body=body, person=Person.objects.create(name="督导员", user=users["supervisor"]))

    market = SiteType.objects.create(name="农贸市场", code="market")
    sites = [
        Site.objects.create(
            name="南关农贸市场", code="S1", site_type=market, region=ca, unit=unit_a, lat=40.07, lng=113.30
        ),
        Site.objects.create(
            name="北关市场", code="S2", site_type=market, region=sb, unit=unit_b, lat=40.10, lng=113.35
        ),
        Site.objects.create(
            name="口泉市场", code="S3", site_type=market, region=sc, unit=unit_c, lat=40.00, lng=113.10
        ),
        Site.objects.create(
            name="北关背街", code="S4", site_type=market, region=sb, unit=unit_a, lat=40.11, lng=113.36
        ),
    ]
    litter = Category.objects.create(name="垃圾未清运", code="litter", group="cleanup")
    office = users["office"]
    ticket_rows = []
    for site in sites:
        ticket = tickets.ticket_report(
            actor=office, category=litter, description=f"{site.code} 垃圾", source="patrol", site=site, photos=[jpeg()]
        )
        ticket_rows.append(tickets.ticket_dispatch(actor=office, ticket=ticket, unit=site.unit))

    asset_rows = [asset_create(actor=office, kind="public_ad", theme="讲文明 树新风", site=site) for site in sites[:3]]
    check = asset_check_record(actor=office, asset=asset_rows[0], condition="damaged", note="破损", photos=[jpeg()])
    raised = Ticket.objects.get(pk=check.ticket_id)
    # Dispatched to another unit than the asset's: unit_a's liaison sees the asset, not this ticket.
    raised = tickets.ticket_dispatch(actor=office, ticket=raised, unit=unit_b)
    ticket_rows.append(raised)

    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday() + 7)
    published = bulletins.bulletin_request(actor=office, kind="weekly", period_start=monday)
    bulletins.bulletin_generate(bulletin_id=published.pk)
    published = bulletins.bulletin_publish(actor=office, bulletin=Bulletin.objects.get(pk=published.pk))
    draft = bulletins.bulletin_request(
        actor=office, kind="monthly", period_start=today.replace(day=1) - timedelta(days=1)
    )
    bulletins.bulletin_generate(bulletin_id=draft.pk)

    w.users = users
    w.rows = {
        "inspections.Ticket": ticket_rows,
        "inspections.Site": sites,
        "publicity.Asset": list(Asset.objects.filter(pk__in=[a.pk for a in asset_rows])),
        "reports.Bulletin": list(Bulletin.objects.filter(pk__in=[published.pk, draft.pk])),
    }
    w.refs = {
        "regions": {"d": d, "d2": d2, "sa": sa, "sb": sb, "sc": sc, "ca": ca},
        "units": {"a": unit_a, "b": unit_b, "c": unit_c},
        "category": litter,
        "sites": sites,
    }
    build_patrols(w, users=users, sites=sites, category=litter, site_type=market)
    build_publicity_records(w, users=users, regions={"sa": sa, "sc": sc})
    build_people(w)
    build_responsibilities(w)
    build_materials(w)
    build_questionnaires(w)
    build_packages(w)
    build_surveys(w)
    build_readiness(w)
    return w


# --- Builders added after phase A (append-only: each app's rows in a function of its own) -------------------


def build_patrols(w: World, *, users, sites, category, site_type) -> None:
    """Patrols (inspections/sites): the office's patrol visits S1 (unit_a) and S2 (unit_b) and fails a standard at
    each, so it carries two tickets, one per unit: a unit liaison who sees the patrol sees one of them (its count,
    its record sheet). A second office patrol visits only S3 (云冈区): out of every scoped role's sight."""
    from evaluation.models import EvaluationItem
    from inspections.sites import services as patrols

    office = users["office"]
    project = EvaluationItem.objects.create(level="project", code="P1", text="市容环境")
    content = EvaluationItem.objects.create(level="content", code="P1.1", text="农贸市场", parent=project)
    standard = EvaluationItem.objects.create(level="standard", code="P1.1.1", text="无暴露垃圾", parent=content)
    site_type.standards.add(standard)
    mixed = patrols.patrol_start(actor=office, kind="special", title="联合巡查 南关北关")
    for site in sites[:2]:
        visit = patrols.patrol_check_in(actor=office, patrol=mixed, site=site, lat=site.lat, lng=site.lng)
        patrols.patrol_record_results(
            actor=office,
            visit=visit,
            results=[{"standard": standard, "result": "fail", "category": category, "note": f"{site.code} 垃圾"}],
        )
    from inspections.models import Ticket
    from inspections.tickets import services as tickets

    for ticket in Ticket.objects.filter(patrol_visit__patrol=mixed).select_related("site"):
        tickets.ticket_dispatch(actor=office, ticket=ticket, unit=ticket.site.unit)
    far = patrols.patrol_start(actor=office, kind="special", title="口泉巡查")
    patrols.patrol_check_in(actor=office, patrol=far, site=sites[2], lat=sites[2].lat, lng=sites[2].lng)
    w.refs["patrols"] = {"mixed": mixed, "far": far}
    w.refs["standard"] = standard


def build_publicity_records(w: World, *, users, regions) -> None:
    """Online posts, printed materials and theme events (publicity): the campaign's public record, one of each in
    each district, read by every signed-in user."""
    from publicity.models import Post, PrintedMaterial, ThemeEvent

    today = timezone.localdate()
    Post.objects.create(channel="wechat", title="文明城市创建进行时", published_on=today, created_by=users["office"])
    for region in regions.values():
        PrintedMaterial.objects.create(
            kind="leaflet", quantity=100, region=region, handed_out_on=today, note=f"{region.name}宣传单"
        )
        ThemeEvent.objects.create(title=f"{region.name}志愿服务日", held_on=today, region=region, participants=30)


# Export cells that identify each row of campaign's, volunteers' and core's models (the .xlsx surface).
PEOPLE_EXPORT_KEYS = {
    "campaign.Unit": "code",
    "campaign.Person": "name",
    "campaign.Assignment": "note",
    "volunteers.Volunteer": "name",
    "core.SecurityEvent": "username",
}


def build_people(w: World) -> None:
    """The command structure (campaign), the volunteer ledgers (volunteers) and the security log (core), with rows in
    both districts; call it last (after w.rows is set), it adds its models to w.rows. Where a role's scope cuts:
    - people: a unit liaison reads only the people of their own unit (one person in each of unit_a, unit_b, unit_c,
      one with no unit);
    - responsibility letters: rows for everyone signed in, files for the office and the assignment's own person (the
      leader's letter, and one of a person with no account);
    - the security log: the office only (one sign-in per user);
    - everything else: every signed-in user (rows in 平城区 and 云冈区, so a district-wide read has both sides).
    Every write goes through the services with the office as actor."""
    from django.core.files.uploadedfile import SimpleUploadedFile as Upload

    from campaign import services as campaign
    from campaign.models import Assignment, Campaign, CommandBody, Membership, Person, Region, Unit
    from core.models import SecurityEvent
    from core.services import security_event_record
    from volunteers import services as volunteers
    from volunteers.models import Activity, MicroWish, Pairing, PartyReport, Team, Volunteer

    office = w.users["office"]
    regions, units, sites = w.refs["regions"], w.refs["units"], w.refs["sites"]
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"

    # --- campaign ---------------------------------------------------------------------------------------------
    liaisons = [
        campaign.person_create(actor=office, name=f"{unit.name}联络人", unit=unit, phone=f"1390000000{i}")
        for i, unit in enumerate(units.values())
    ]
    cadre = campaign.person_create(actor=office, name="无单位干部", rank=Person.Rank.SECTION)
    leader = campaign.person_create(
        actor=office, name="包联副区长", rank=Person.Rank.DISTRICT_LEADER, user=w.users["leader"]
    )
    civilized = campaign.unit_create(
        actor=office,
        name="云冈区文明单位",
        code="UD",
        kind=Unit.Kind.DEPARTMENT,
        region=regions["d2"],
        civilized_level=Unit.CivilizedLevel.MUNICIPAL,
        civilized_year=2024,
    )
    the_campaign = Campaign.objects.order_by("pk").first()
    hq = campaign.command_body_create(
        actor=office,
        campaign=the_campaign,
        name="创城指挥部",
        kind=CommandBody.Kind.HEADQUARTERS,
        regions=[regions["d"]],
    )
    second = campaign.command_body_create(
        actor=office,
        campaign=the_campaign,
        name="督导二组",
        kind=CommandBody.Kind.SUPERVISION_GROUP,
        parent=hq,
        regions=[regions["sc"]],
    )
    campaign.membership_add(actor=office, body=second, person=liaisons[2])  # no account: nobody's scope changes
    letters = [
        campaign.assignment_create(
            actor=office,
            campaign=the_campaign,
            person=leader,
            region=regions["sa"],
            start_date=date(2026, 3, 2),
            note="包联南关街道",
            responsibility_letter=Upload("责任书.pdf", pdf),
        ),
        campaign.assignment_create(
            actor=office,
            campaign=the_campaign,
            person=cadre,
            region=regions["sc"],
            start_date=date(2026, 3, 2),
            note="包联口泉街道",
            responsibility_letter=Upload("责任书.pdf", pdf),
        ),
    ]

    # --- volunteers -------------------------------------------------------------------------------------------
    team_a = volunteers.team_create(actor=office, name="南关志愿服务队", unit=units["a"], region=regions["sa"])
    team_c = volunteers.team_create(actor=office, name="口泉志愿服务队", unit=units["c"], region=regions["sc"])
    member = volunteers.volunteer_create(
        actor=office,
        name="志愿者甲",
        gender="female",
        phone="13800001111",
        id_number=volunteers.id_number_with_checksum("14020219900101001"),
        region=regions["sa"],
        is_party_member=True,
        teams=[team_a],
    )
    volunteers.volunteer_create(
        actor=office,
        name="志愿者乙",
        gender="male",
        phone="13800002222",
        id_number=volunteers.id_number_with_checksum("14020219900101002"),
        region=regions["sc"],
        teams=[team_c],
    )
    start = timezone.now().replace(microsecond=0) - timedelta(days=1)
    for team, site in ((team_a, sites[0]), (team_c, sites[2])):
        volunteers.activity_create(
            actor=office,
            theme=f"{team.name}清洁家园",
            kind="cleanup",
            start_at=start,
            end_at=start + timedelta(hours=2),
            team=team,
            site=site,
        )
    volunteers.pairing_create(actor=office, unit=civilized, community=regions["ca"], content="共建文明社区")
    volunteers.party_report_create(
        actor=office, member=member, community=regions["ca"], month=date(2026, 3, 1), service="入户宣传", hours=2
    )
    wish = volunteers.microwish_post(actor=office, community=regions["ca"], resident_name="王大爷", title="修理轮椅")
    wish = volunteers.microwish_claim(actor=office, wish=wish, unit=units["a"])
    volunteers.microwish_fulfil(actor=office, wish=wish, photo=jpeg("done.jpg"))
    volunteers.microwish_post(actor=office, community=regions["ca"], resident_name="李奶奶", title="换灯泡")

    # --- core: the security log ---------------------------------------------------------------------------------
    for user in w.users.values():
        security_event_record(kind=SecurityEvent.Kind.SIGN_IN, user=user)

    for model in (Region, Unit, Person, CommandBody, Membership, Assignment):
        w.rows[f"campaign.{model.__name__}"] = list(model.objects.order_by("pk"))
    for model in (Team, Volunteer, Activity, Pairing, PartyReport, MicroWish):
        w.rows[f"volunteers.{model.__name__}"] = list(model.objects.order_by("pk"))
    w.rows["core.SecurityEvent"] = list(SecurityEvent.objects.order_by("pk"))
    w.refs["letters"] = letters


def build_responsibilities(w: World) -> None:
    """The responsibility list (evaluation): a liaison reads the duties of its unit (lead or responsible) and every
    duty of a standard its unit leads; a supervisor those of the units in its regions.
    - R1: standard P1.1.1 led by unit_a, unit_b responsible: unit, unit2, supervisor (unit_b is in SA);
    - R2: standard P1.1.2 led by unit_c, unit_b responsible: unit2, supervisor;
    - R3: standard P1.1.2 led by unit_c alone: the office and the leader only;
    - R4: standard P1.1.1 led by unit_c, unit_c responsible: unit (its unit leads P1.1.1), not unit2 nor supervisor.
    Written through the services with the office as actor."""
    from evaluation.models import EvaluationItem, Responsibility, StandardMethod
    from evaluation.responsibilities import services

    office = w.users["office"]
    units = w.refs["units"]
    s1 = w.refs["standard"]
    s2 = EvaluationItem.objects.create(level="standard", code="P1.1.2", text="明码标价", parent=s1.parent)
    for standard in (s1, s2):
        StandardMethod.objects.get_or_create(standard=standard, method="field")
    StandardMethod.objects.get_or_create(standard=s2, method="material")
    plan = [
        (s1, units["a"], [units["b"]], "R1 城管局牵头清理暴露垃圾"),
        (s2, units["c"], [units["b"]], "R2 南关街道明码标价检查"),
        (s2, units["c"], [], "R3 云冈交通局自查明码标价"),
        (s1, units["c"], [units["c"]], "R4 云冈交通局配合清理垃圾"),
    ]
    for standard, lead, responsible, task in plan:
        services.responsibility_create(
            actor=office,
            standard=standard,
            lead_unit=lead,
            units=responsible,
            task=task,
            method="field",
            deadline=timezone.localdate() + timedelta(days=10),
        )
    w.rows["evaluation.Responsibility"] = list(Responsibility.objects.order_by("pk"))


def build_materials(w: World) -> None:
    """Material review (evaluation.materials): requirements, submissions in versions, their files. Call it after
    build_responsibilities (unit_a and unit_c lead P1.1.1, unit_c leads P1.1.2). A liaison reads the requirements and
    submissions of its own unit and those of the standards its unit leads; a supervisor those of the units in its
    regions and, as a member of the 材料申报指导督导组 (which reviews project P2 only), everything under P2.
    - MR1 (P1.1.1, units a and b): a submitted by unit_a; b returned v1 and a v2 draft: unit (own + leads P1.1.1),
      unit2 (b's only), supervisor (b's, in SA);
    - MR2 (P1.1.2, unit c): c accepted: the office and the leader only;
    - MR3 (P1.1.2, unit b): nothing submitted: unit2, supervisor;
    - MR4 (P2.1.1, unit c): c submitted: the office, the leader and the supervisor (reviewer of P2).
    Written through the services (a liaison of unit_c, outside the six roles, submits unit_c's)."""
    from campaign.models import Campaign, CommandBody, Membership
    from evaluation.materials import services
    from evaluation.models import EvaluationItem, MaterialReviewBody, StandardMethod

    office = w.users["office"]
    units = w.refs["units"]
    s1 = w.refs["standard"]
    s2 = EvaluationItem.objects.get(code="P1.1.2")
    p2 = EvaluationItem.objects.create(level="project", code="P2", text="特色指标")
    c2 = EvaluationItem.objects.create(level="content", code="P2.1", text="志愿服务", parent=p2)
    s3 = EvaluationItem.objects.create(level="standard", code="P2.1.1", text="志愿服务制度", parent=c2, max_score=3)
    for standard in (s1, s2, s3):
        StandardMethod.objects.get_or_create(standard=standard, method="material")
    body = CommandBody.objects.create(
        campaign=Campaign.objects.order_by("pk").first(), name="材料申报指导督导组", kind=CommandBody.Kind.WORKING_GROUP
    )
    review = MaterialReviewBody.objects.create(command_body=body)
    review.projects.add(p2)
    Membership.objects.create(body=body, person=w.users["supervisor"].person)
    liaison_c = _user("liaison_c", Role.UNIT, unit=units["c"])
    unit, unit2 = w.users["unit"], w.users["unit2"]
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"

    def files(name):
        return [SimpleUploadedFile(f"{name}.pdf", pdf)]

    def requirement(standard, title, members):
        return services.requirement_create(
            actor=office, standard=standard, kind="policy", title=title, due_in_working_days=10, units=members
        )

    mr1 = requirement(s1, "MR1 垃圾清运制度", [units["a"], units["b"]])
    mr2 = requirement(s2, "MR2 明码标价情况说明", [units["c"]])
    requirement(s2, "MR3 南关明码标价台账", [units["b"]])
    mr4 = requirement(s3, "MR4 志愿服务制度文件", [units["c"]])

    draft = services.submission_create(actor=unit, requirement=mr1, note="MR1-a", files=files("城管局制度"))
    services.submission_submit(actor=unit, submission=draft)
    draft = services.submission_create(actor=unit2, requirement=mr1, note="MR1-b", files=files("南关制度"))
    sent = services.submission_submit(actor=unit2, submission=draft)
    returned = services.submission_return(actor=office, submission=sent, reason="缺少盖章页")
    services.submission_resubmit(actor=unit2, submission=returned, note="MR1-b v2", files=files("南关制度二"))
    draft = services.submission_create(actor=liaison_c, requirement=mr2, note="MR2-c", files=files("交通局说明"))
    services.submission_accept(actor=office, submission=services.submission_submit(actor=liaison_c, submission=draft))
    draft = services.submission_create(actor=liaison_c, requirement=mr4, note="MR4-c", files=files("志愿制度"))
    services.submission_submit(actor=liaison_c, submission=draft)


def build_packages(w: World) -> None:
    """The material package (evaluation.completeness): one built by the office from the accepted material of
    build_materials (MR2's file). The office and the leader read it and open its .zip; nobody else sees it."""
    from evaluation.completeness.package import package_build, package_request

    package = package_request(actor=w.users["office"])  # the job is queued after commit: tests build it here
    package_build(package_id=package.pk)


def build_surveys(w: World) -> None:
    """Survey responses (evaluation.surveys) with their answers: a round surveyed by `supervisor` (an interview in
    CA), one by the office (SB) and a public self-fill (SA). The office and the leader read all three, the supervisor
    its own interview only, the others none; the tallies follow (scoped by area)."""
    from datetime import timedelta

    from evaluation.models import Question, Questionnaire, QuestionOption, SurveyQuota, SurveyRound
    from evaluation.surveys import services

    office, supervisor = w.users["office"], w.users["supervisor"]
    regions = w.refs["regions"]
    questionnaire = Questionnaire.objects.create(code="SQ", title="居民问卷", group="residents")
    question = Question.objects.create(
        questionnaire=questionnaire, number=1, text="满意吗", kind="single", rate="satisfaction"
    )
    QuestionOption.objects.create(question=question, code="A", text="满意", is_positive=True)
    QuestionOption.objects.create(question=question, code="B", text="不满意")
    today = timezone.localdate()
    survey_round = SurveyRound.objects.create(
        name="模拟测评", start_date=today, end_date=today, status="open", public_token="scope-token", created_by=office
    )
    survey_round.questionnaires.add(questionnaire)
    survey_round.surveyors.add(supervisor)
    SurveyQuota.objects.create(
        round=survey_round, region=regions["ca"], group="residents", target=5, surveyor=supervisor
    )
    started = timezone.now() - timedelta(minutes=5)
    common = {"round": survey_round, "questionnaire": questionnaire, "group": "residents", "started_at": started}
    services.response_submit(actor_or_public=supervisor, region=regions["ca"], answers={question.pk: "A"}, **common)
    services.response_submit(actor_or_public=office, region=regions["sb"], answers={question.pk: "B"}, **common)
    services.response_submit(
        actor_or_public=services.PUBLIC, region=regions["ca"], answers={question.pk: "A"}, device="scope", **common
    )


def build_questionnaires(w: World) -> None:
    """Questionnaires and survey rounds (evaluation.questionnaires): every signed-in user reads them all (the role's
    scope does not narrow them). Two questionnaires (QA active, QB inactive) and two rounds (an open one with a quota
    the supervisor covers, a draft), written through the services with the office as actor."""
    from evaluation.models import Questionnaire, SurveyRound
    from evaluation.questionnaires import services

    office, supervisor = w.users["office"], w.users["supervisor"]
    qa = services.questionnaire_create(actor=office, code="QA", title="居民问卷", group="residents")
    qb = services.questionnaire_create(actor=office, code="QB", title="商户问卷", group="merchants", is_active=False)
    services.question_create(
        actor=office,
        questionnaire=qa,
        number=1,
        text="您是否知道创建全国文明城市？",
        kind="yes_no",
        rate="awareness",
        positive_answer=True,
    )
    today = timezone.localdate()
    opened = services.round_create(
        actor=office,
        name="QR1 本月问卷",
        start_date=today,
        end_date=today + timedelta(days=20),
        questionnaires=[qa],
        surveyors=[supervisor],
    )
    services.quota_save(
        actor=office, round=opened, region=w.refs["regions"]["ca"], group="residents", target=5, surveyor=supervisor
    )
    services.round_open(actor=office, round=opened)
    draft = services.round_create(
        actor=office, name="QR2 下月问卷", start_date=today, end_date=today, questionnaires=[qa, qb]
    )
    w.rows["evaluation.Questionnaire"] = list(Questionnaire.objects.filter(pk__in=[qa.pk, qb.pk]).order_by("pk"))
    w.rows["evaluation.SurveyRound"] = list(SurveyRound.objects.filter(pk__in=[opened.pk, draft.pk]).order_by("pk"))


def build_readiness(w: World) -> None:
    """Readiness snapshots (evaluation.readiness): one kept week of a standard for the city (no region), street SA and
    street SB. The office and the leader read all three; the supervisor (SA) only SA's; a liaison and a user without a
    role none. The figures surface is readiness/ (the API)."""
    from decimal import Decimal

    from evaluation.models import EvaluationItem, ReadinessSnapshot, StandardMethod

    regions = w.refs["regions"]
    project = EvaluationItem.objects.create(level="project", code="RP", text="预估项目")
    content = EvaluationItem.objects.create(level="content", code="RP.1", text="预估内容", parent=project)
    standard = EvaluationItem.objects.create(
        level="standard", code="RP.1.1", text="预估标准", parent=content, max_score=Decimal("4")
    )
    StandardMethod.objects.create(standard=standard, method="online")
    week = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    parts = {"online": {"share": 0.8, "n": 0, "source": "estimate"}}
    w.rows["evaluation.ReadinessSnapshot"] = [
        ReadinessSnapshot.objects.create(
            week=week, standard=standard, region=region, points=Decimal("4"), share=Decimal("0.8"), parts=parts
        )
        for region in (None, regions["sa"], regions["sb"])
    ]
