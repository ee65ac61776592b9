"""The demo city's tickets: ~10,000 problems over the last three months across the demo sites, each with the
events that brought it to its state (most closed, some open, some overdue with supervision orders, some
reworked, recurrences, extensions, a few invalid), and open tickets in every state for the `unit` account.

The sites, categories and patrols come first, from inspections.sites.demo. Tickets are built
in memory as timelines and written with bulk inserts (well under a minute). Idempotent: nothing is added
when tickets already exist."""

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cache
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from campaign.models import Unit
from campaign.selectors import region_ids_in_scope
from core.files import random_name
from core.roles import Role
from inspections.models import (
    Category,
    ExtensionRequest,
    SerialCounter,
    Site,
    SupervisionOrder,
    Ticket,
    TicketEvent,
    TicketPhoto,
)
from inspections.sites import demo as sites_demo
from inspections.tickets.services import RED_DAYS_OVERDUE, WHITE_DAYS_OVERDUE, YELLOW_DAYS_OVERDUE, escalation_level_for
from inspections.tickets.working_days import add_working_days


def escalation_level(deadline, day):
    return escalation_level_for(deadline=deadline, today=day)


TICKETS = 10_000
DAYS = 92
S = Ticket.Status
E = Ticket.Escalation

PHRASES = {
    "engineering": [
        "人行道地砖破损松动",
        "围墙墙面脱落未修补",
        "绿化带黄土裸露未补绿",
        "路面坑洼积水",
        "护栏倾斜损坏",
        "井盖缺失存在安全隐患",
        "台阶破损",
    ],
    "cleanup": [
        "垃圾清运不及时，垃圾桶满溢",
        "卫生死角堆放杂物",
        "楼道内乱堆乱放",
        "墙面乱涂乱画",
        "积存建筑垃圾未清运",
        "绿化带内白色垃圾较多",
        "下水道口油污堵塞",
    ],
    "enforcement": [
        "店外经营，占用人行道",
        "流动摊贩占道经营",
        "违规设置户外广告牌",
        "飞线充电",
        "乱贴小广告",
        "车辆乱停乱放占用盲道",
        "门头牌匾破损",
    ],
    "management": ["保洁人员未按时清扫", "保安未在岗", "公共设施无人管护", "物业管理缺位，楼院脏乱", "绿化养护不到位"],
    "everyday": [
        "共享单车乱停放",
        "机动车停放在人行道上",
        "垃圾未分类投放",
        "有行人闯红灯无人劝导",
        "有人随地吐痰",
        "露天焚烧垃圾",
        "公益广告破损",
    ],
    "publicity": [
        "公益广告画面褪色",
        "宣传栏内容过期",
        "文明用语标识缺失",
        "迎风旗破损",
        "社会主义核心价值观宣传氛围不足",
    ],
}
DEFAULT_PHRASES = ["存在不文明现象，需整改", "环境秩序不达标", "设施破损需维修"]
SOURCES = [
    (Ticket.Source.PATROL, 45),
    (Ticket.Source.SELF_INSPECTION, 14),
    (Ticket.Source.CITIZEN, 9),
    (Ticket.Source.MOCK_EVALUATION, 9),
    (Ticket.Source.LEADER, 8),
    (Ticket.Source.HOTLINE, 10),
    (Ticket.Source.OFFICE, 5),
]
NOTES_SUBMIT = [
    "已组织人员清理完毕",
    "已责令商户退店经营",
    "已修补完成",
    "已安排专人每日巡查",
    "已与物业对接整改到位",
    "已清运并加强日常保洁",
    "已拆除违规设施",
]
NOTES_REJECT = ["现场仍有杂物，整改不彻底", "复查时问题反弹", "整改照片与现场不符", "仍有摊点占道"]
NOTES_RETURN = "该点位不属于本单位管辖，请重新派遣"
NOTES_EXTEND = ["需协调施工队伍，申请延期", "涉及多个产权单位，需要更多时间", "材料采购周期较长"]


@dataclass
class Plan:
    """One ticket's life, built in memory: the ticket's final fields and its events, in time order."""

    created: datetime
    site: Site
    category: Category
    source: str
    reporter: object
    description: str
    ticket: dict = field(default_factory=dict)
    events: list = field(default_factory=list)
    orders: list = field(default_factory=list)
    extensions: list = field(default_factory=list)
    photos: list = field(default_factory=list)


def seed(*, rng: random.Random, stdout) -> None:
    already = Ticket.objects.exists()
    # The sites half first (its patrols report a few tickets, so look before it runs).
    sites_demo.seed(rng=rng, stdout=stdout)
    if already:
        stdout.write("inspections: the demo tickets are already there")
        return
    sites = list(Site.objects.filter(is_active=True).select_related("unit", "region", "site_type"))
    categories = list(Category.objects.filter(is_active=True))
    if not sites or not categories:
        stdout.write("inspections: no sites or categories yet, so no demo tickets")
        return
    with transaction.atomic():
        count = _seed_tickets(rng=rng, sites=sites, categories=categories)
    stdout.write(
        f"inspections: {count} tickets, {TicketEvent.objects.count()} events, "
        f"{SupervisionOrder.objects.count()} reminder cards and supervision orders"
    )


def _liaisons(units):
    """One liaison account per unit that has none (unusable password: demo history needs named actors)."""
    from core.models import User

    covered = set(User.objects.filter(role=Role.UNIT, unit__isnull=False).values_list("unit_id", flat=True))
    new = []
    for unit in units:
        if unit.pk in covered:
            continue
        user = User(
            username=f"liaison-{unit.code.lower()}",
            role=Role.UNIT,
            unit=unit,
            first_name=unit.contact_name or "",
            phone=unit.contact_phone or "",
        )
        user.set_unusable_password()
        new.append(user)
    User.objects.bulk_create(new, ignore_conflicts=True)


def _users():
    from core.models import User

    users = {
        u.username: u for u in User.objects.filter(username__in=["office", "supervisor", "unit", "unit2", "leader"])
    }
    office = users.get("office") or User.objects.filter(role=Role.OFFICE).first()
    by_unit = {}
    for user in User.objects.filter(role=Role.UNIT, unit__isnull=False, is_active=True).order_by("id"):
        by_unit.setdefault(user.unit_id, user)
    return users, office, by_unit


@cache
def _deadline(day, days):
    return add_working_days(day, days)


def _seed_tickets(*, rng, sites, categories) -> int:
    tz = timezone.get_current_timezone()
    now = timezone.now()
    today = timezone.localdate(now)
    units = list(Unit.objects.filter(is_active=True))
    _liaisons(units)
    users, office, unit_users = _users()
    supervisor, leader = users.get("supervisor"), users.get("leader")
    supervisor_scope = region_ids_in_scope(supervisor) if supervisor else set()
    key_sites = [s for s in sites if s.is_key]
    weighted_sites = sites + key_sites * 3
    weights = [3 if c.group in ("enforcement", "cleanup", "everyday") else 1 for c in categories]

    def at_local(day, hour, minute=0):
        return timezone.make_aware(datetime.combine(day, time(hour, minute)), tz)

    def later(moment, lo_hours, hi_hours):
        return moment + timedelta(hours=rng.uniform(lo_hours, hi_hours))

    def reporter_for(source, site):
        if source == Ticket.Source.SELF_INSPECTION:
            return unit_users.get(site.unit_id) or office
        if source == Ticket.Source.LEADER:
            return leader or office
        if (
            source in (Ticket.Source.PATROL, Ticket.Source.MOCK_EVALUATION)
            and supervisor
            and site.region_id in supervisor_scope
        ):
            return supervisor
        return office

    def verifier_for(site):
        return supervisor if supervisor and site.region_id in supervisor_scope and rng.random() < 0.7 else office

    # --- who, where, when ---------------------------------------------------------------------------
    starts = sorted(now - timedelta(days=rng.uniform(0, DAYS)) for _ in range(TICKETS))
    plans, recent_closures, last_closed = [], [], {}
    window = timedelta(days=settings.RECURRENCE_WINDOW_DAYS)
    for index, created in enumerate(starts):
        local = timezone.localtime(created)
        created = at_local(local.date(), rng.randint(8, 18), rng.randint(0, 59))
        if created > now:
            created = now - timedelta(minutes=rng.randint(5, 300))
        if index % 250 == 0:
            recent_closures = [c for c in recent_closures if c[0] > created - window]
        closed_before = []
        if rng.random() < 0.03:
            closed_before = [c for c in recent_closures if created - window < c[0] < created]
        if closed_before:
            _closed, site, category = rng.choice(closed_before)  # the problem came back (反弹)
        else:
            for _attempt in range(4):  # chance repeats at a busy site would make far too many recurrences
                site, category = rng.choice(weighted_sites), rng.choices(categories, weights)[0]
                closed_at = last_closed.get((site.pk, category.pk))
                if not (closed_at and created - window <= closed_at <= created) or rng.random() < 0.15:
                    break
        source = rng.choices([s for s, _w in SOURCES], [w for _s, w in SOURCES])[0]
        description = f"{site.name}{rng.choice(PHRASES.get(category.group, DEFAULT_PHRASES))}"
        plan = Plan(created, site, category, source, reporter_for(source, site), description)
        _simulate(
            plan,
            rng=rng,
            now=now,
            today=today,
            office=office,
            unit_users=unit_users,
            units=units,
            verifier=verifier_for(site),
            later=later,
            at_local=at_local,
        )
        if plan.ticket.get("closed_at"):
            recent_closures.append((plan.ticket["closed_at"], site, category))
            key = (site.pk, category.pk)
            last_closed[key] = max(last_closed.get(key, plan.ticket["closed_at"]), plan.ticket["closed_at"])
        plans.append(plan)

    # --- the demo unit account: open tickets in every state ---------------------------------------------
    for username in ("unit", "unit2"):
        user = users.get(username)
        own_sites = [s for s in sites if user and s.unit_id == user.unit_id]
        if not own_sites:
            continue
        for stop, age_days in (
            ("reported", 0.2),
            ("dispatched", 1),
            ("dispatched", 2),
            ("rectifying", 3),
            ("rectifying", 5),
            ("overdue", 12),
            ("overdue", 20),
            ("extension", 4),
            ("reworked", 6),
            ("submitted", 4),
            ("submitted", 2),
        ):
            site = rng.choice(own_sites)
            category = rng.choice(categories)
            created = now - timedelta(days=age_days, hours=rng.uniform(0, 3))
            source = rng.choice([Ticket.Source.PATROL, Ticket.Source.SELF_INSPECTION, Ticket.Source.CITIZEN])
            plan = Plan(
                created,
                site,
                category,
                source,
                reporter_for(source, site),
                f"{site.name}{rng.choice(PHRASES.get(category.group, DEFAULT_PHRASES))}",
            )
            _simulate(
                plan,
                rng=rng,
                now=now,
                today=today,
                office=office,
                unit_users=unit_users,
                units=units,
                verifier=verifier_for(site),
                later=later,
                at_local=at_local,
                force=stop,
            )
            plans.append(plan)
    plans.sort(key=lambda p: p.created)
    _photos_for_some(plans, rng=rng)
    return _write(plans, now=now)


def _simulate(plan, *, rng, now, today, office, unit_users, units, verifier, later, at_local, force=None):
    """Play one ticket's life forward from its report until `now` (or until the forced state)."""
    site, category = plan.site, plan.category
    t = plan.ticket
    t.update(
        status=S.REPORTED,
        unit=site.unit,
        region=site.region,
        deadline=None,
        filed_at=None,
        dispatched_at=None,
        submitted_at=None,
        closed_at=None,
        closed_on_time=None,
        rework_count=0,
        extension_count=0,
        escalation=E.NONE,
        fixed_on_spot=False,
    )
    unit_user = unit_users.get(site.unit_id)

    def event(action, to_status, actor, moment, note="", data=None, photos=None):
        plan.events.append(
            dict(
                action=action,
                from_status=t["status"],
                to_status=to_status,
                actor=actor,
                note=note,
                data=data or {},
                created_at=moment,
                photos=photos,
            )
        )
        t["status"] = to_status

    def happened(moment):
        return moment <= now

    event("report", S.REPORTED, plan.reporter, plan.created, photos="before")

    # 立行立改: found and fixed on the spot, straight to verification.
    if force is None and rng.random() < 0.05:
        t["fixed_on_spot"] = True
        t["submitted_at"] = plan.created + timedelta(minutes=rng.randint(10, 50))
        event("fix_on_spot", S.SUBMITTED, plan.reporter, t["submitted_at"], note="现场立即整改", photos="after")
        close = later(t["submitted_at"], 2, 40)
        if happened(close):
            t["closed_at"], t["closed_on_time"] = close, True
            event("verify", S.CLOSED, verifier, close, note="核查通过", data={"approved": True, "on_time": True})
        return

    # Filing, or marking invalid (duplicates, not a problem).
    file_at = later(plan.created, 0.3, 6)
    if force == "reported" or not happened(file_at):
        return
    if force is None and rng.random() < 0.02:
        event(
            "invalidate",
            S.INVALID,
            office,
            file_at,
            note=rng.choice(["重复上报", "经核实不属于创文问题", "已由其他渠道处理"]),
        )
        return
    separate_filing = rng.random() < 0.5
    if separate_filing:
        t["filed_at"] = file_at
        event("file", S.REPORTED, office, file_at)

    # Dispatch; sometimes to the wrong unit first, which returns it.
    dispatch_at = later(file_at, 0.2, 8)
    if not happened(dispatch_at):
        return
    wrong = force is None and rng.random() < 0.03 and len(units) > 1
    first_unit = rng.choice([u for u in units if u.pk != site.unit_id]) if wrong else site.unit

    def dispatch(unit, moment):
        t["filed_at"] = t["filed_at"] or moment
        t["unit"], t["dispatched_at"] = unit, moment
        days = 2 if force == "overdue" else category.deadline_working_days  # the unit's overdue examples
        t["deadline"] = _deadline(timezone.localtime(moment).date(), days)
        data = {"unit": unit.pk, "unit_name": unit.name, "deadline": t["deadline"].isoformat()}
        if (
            not separate_filing
            and t["status"] == S.REPORTED
            and not any(e["action"] == "dispatch" for e in plan.events)
        ):
            data["filed"] = True
        event("dispatch", S.DISPATCHED, office, moment, data=data)

    dispatch(first_unit, dispatch_at)
    if wrong:
        back = later(dispatch_at, 2, 20)
        if not happened(back):
            return
        event(
            "return",
            S.REPORTED,
            unit_users.get(first_unit.pk),
            back,
            note=NOTES_RETURN,
            data={"unit": first_unit.pk, "unit_name": first_unit.name},
        )
        t["unit"], t["deadline"] = None, None
        dispatch_at = later(back, 1, 6)
        if not happened(dispatch_at):
            return
        dispatch(site.unit, dispatch_at)
    if force == "dispatched":
        return

    sign_at = later(dispatch_at, 0.5, 20)
    if not happened(sign_at):
        _escalate(plan, rng=rng, now=now, today=today, until=now)
        return
    event("sign", S.RECTIFYING, unit_user, sign_at)
    if force in ("rectifying", "overdue"):
        _escalate(plan, rng=rng, now=now, today=today, until=now)
        return

    # Extension: asked for, decided by the office (mostly approved).
    if force == "extension" or (force is None and rng.random() < 0.06):
        ask = later(sign_at, 4, 40)
        if not happened(ask):
            return
        new = t["deadline"] + timedelta(days=rng.randint(3, 10))
        request = dict(
            requested_by=unit_user,
            old_deadline=t["deadline"],
            requested_deadline=new,
            reason=rng.choice(NOTES_EXTEND),
            created_at=ask,
            status=ExtensionRequest.Status.PENDING,
        )
        plan.extensions.append(request)
        event(
            "extend",
            t["status"],
            unit_user,
            ask,
            note=request["reason"],
            data={"old_deadline": t["deadline"].isoformat(), "requested_deadline": new.isoformat()},
        )
        decide = later(ask, 2, 30)
        if force == "extension" or not happened(decide):
            return
        approved = rng.random() < 0.8
        request.update(
            status=ExtensionRequest.Status.APPROVED if approved else ExtensionRequest.Status.REFUSED,
            decided_by=office,
            decided_at=decide,
            decision_note="同意延期" if approved else "不予延期，请按期整改",
        )
        data = {"approved": approved, "old_deadline": t["deadline"].isoformat(), "requested_deadline": new.isoformat()}
        if approved:
            t["deadline"], t["extension_count"] = new, t["extension_count"] + 1
            data["new_deadline"] = new.isoformat()
        event("decide_extension", t["status"], office, decide, note=request["decision_note"], data=data)

    # Rectification: most units finish before the deadline; some are late; a few get stuck.
    stuck = force is None and rng.random() < 0.02
    rounds = 2 if force == "reworked" or (force is None and rng.random() < 0.08) else 1
    start = plan.events[-1]["created_at"]
    for round_number in range(rounds):
        deadline_end = at_local(t["deadline"], 18)
        span = max((deadline_end - start).total_seconds() / 3600, 4)
        if stuck:
            _escalate(plan, rng=rng, now=now, today=today, until=now)
            return
        hours = rng.uniform(2, span * 0.7) if rng.random() < 0.88 else span + rng.uniform(4, 24 * 9)
        if force:  # the unit account's examples must reach their state by now
            hours = rng.uniform(1, 6)
        submit_at = start + timedelta(hours=hours)
        _escalate(plan, rng=rng, now=now, today=today, until=min(submit_at, now))
        if not happened(submit_at):
            return
        t["submitted_at"] = submit_at
        event("submit", S.SUBMITTED, unit_user, submit_at, note=rng.choice(NOTES_SUBMIT), photos="after")
        if force == "submitted":
            return
        verify_at = later(submit_at, 1, 6 if force else 20)
        if not happened(verify_at):
            return
        if round_number < rounds - 1:
            t["rework_count"] += 1
            event(
                "verify",
                S.RECTIFYING,
                verifier,
                verify_at,
                note=rng.choice(NOTES_REJECT),
                data={"approved": False, "rework_count": t["rework_count"]},
            )
            if force == "reworked":
                return
            start = verify_at
            continue
        on_time = timezone.localtime(verify_at).date() <= t["deadline"]
        t["closed_at"], t["closed_on_time"] = verify_at, on_time
        event("verify", S.CLOSED, verifier, verify_at, note="核查通过", data={"approved": True, "on_time": on_time})


def _escalate(plan, *, rng, now, today, until):
    """The reminder card and supervision orders the hourly job would have issued while the ticket was open."""
    t = plan.ticket
    if not t["deadline"]:
        return
    deadline = t["deadline"]
    steps = [
        (E.REMINDED, add_working_days(deadline, -1), 0),
        (E.WHITE, deadline + timedelta(days=WHITE_DAYS_OVERDUE), 1),
        (E.YELLOW, deadline + timedelta(days=YELLOW_DAYS_OVERDUE), YELLOW_DAYS_OVERDUE),
        (E.RED, deadline + timedelta(days=RED_DAYS_OVERDUE), RED_DAYS_OVERDUE),
    ]
    tz = timezone.get_current_timezone()
    for level, day, _overdue in steps:
        last = plan.events[-1]["created_at"]
        # The hourly job (minute 5) issues it on the day it falls due, or at its first run after the last change.
        moment = timezone.make_aware(datetime.combine(day, time(0, 5)), tz)
        if moment <= last:
            following = timezone.localtime(last).replace(minute=5, second=0, microsecond=0) + timedelta(hours=1)
            if escalation_level(deadline, timezone.localtime(following).date()) != level:
                continue  # by then the job issues a higher level directly
            moment = following
        if level <= t["escalation"] or moment > until or moment > now:
            continue
        days_overdue = max(0, (timezone.localtime(moment).date() - deadline).days)
        plan.orders.append(dict(level=level, days_overdue=days_overdue, issued_at=moment))
        plan.events.append(
            dict(
                action="escalate",
                from_status=t["status"],
                to_status=t["status"],
                actor=None,
                note="",
                data={
                    "level": int(level),
                    "previous_level": int(t["escalation"]),
                    "days_overdue": days_overdue,
                    "deadline": deadline.isoformat(),
                },
                created_at=moment,
                photos=None,
            )
        )
        t["escalation"] = level


def _photos_for_some(plans, *, rng, count=40):
    """Before/after photos for the most recent closed tickets (the bulletins show typical cases)."""
    closed = [p for p in reversed(plans) if p.ticket["status"] == S.CLOSED and not p.ticket["fixed_on_spot"]][:count]
    for plan in closed:
        plan.photos = [("before", _picture(rng, messy=True)), ("after", _picture(rng, messy=False))]


def _picture(rng, *, messy) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), (rng.randint(150, 190),) * 3)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 640, 480), fill=(120, 120, 115))  # pavement
    draw.rectangle((40, 80, 600, 300), fill=(190, 170, 140))  # shop fronts
    for x in range(60, 600, 110):
        draw.rectangle((x, 140, x + 70, 300), fill=(90, 110, 130))
    if messy:
        for _ in range(14):
            x, y = rng.randint(0, 600), rng.randint(300, 450)
            draw.rectangle(
                (x, y, x + rng.randint(20, 60), y + rng.randint(15, 40)),
                fill=(rng.randint(100, 230), rng.randint(40, 200), rng.randint(20, 120)),
            )
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def _write(plans, *, now) -> int:
    # Numbers continue each year's series (anything already issued keeps its number).
    years = {}
    for plan in plans:
        years.setdefault(timezone.localtime(plan.created).year, []).append(plan)
    numbers = {}
    for year, year_plans in years.items():
        counter, _created = SerialCounter.objects.select_for_update().get_or_create(kind="ticket", year=year)
        for offset, plan in enumerate(year_plans, start=1):
            numbers[id(plan)] = f"{year}-{counter.last + offset:06d}"
        SerialCounter.objects.filter(pk=counter.pk).update(last=F("last") + len(year_plans))

    tickets = [
        Ticket(
            number=numbers[id(p)],
            site=p.site,
            category=p.category,
            description=p.description,
            severity=p.category.severity,
            source=p.source,
            reporter=p.reporter,
            lat=p.site.lat,
            lng=p.site.lng,
            created_at=p.created,
            **p.ticket,
        )
        for p in plans
    ]
    Ticket.objects.bulk_create(tickets, batch_size=2000)

    # Recurrences (反弹): same site and category within the window after the earlier one's closure.
    window = timedelta(days=settings.RECURRENCE_WINDOW_DAYS)
    last_closed = {}
    recurrences = []
    for ticket in tickets:
        key = (ticket.site_id, ticket.category_id)
        earlier = last_closed.get(key)
        if earlier and earlier.closed_at <= ticket.created_at <= earlier.closed_at + window:
            ticket.is_recurrence, ticket.recurrence_of = True, earlier
            recurrences.append(ticket)
        if ticket.closed_at:
            previous = last_closed.get(key)
            if previous is None or ticket.closed_at > previous.closed_at:
                last_closed[key] = ticket
    Ticket.objects.bulk_update(recurrences, ["is_recurrence", "recurrence_of"], batch_size=2000)
    first_event_data = {t.pk: {"recurrence_of": t.recurrence_of.number} for t in recurrences}

    events, event_photos = [], []
    for plan, ticket in zip(plans, tickets):
        for index, e in enumerate(plan.events):
            data = e["data"]
            if index == 0 and ticket.pk in first_event_data:
                data = first_event_data[ticket.pk]
            event = TicketEvent(
                ticket=ticket,
                action=e["action"],
                from_status=e["from_status"] if index else "",
                to_status=e["to_status"],
                actor=e["actor"],
                note=e["note"],
                data=data,
                created_at=e["created_at"],
            )
            events.append(event)
            if e["photos"] and plan.photos:
                event_photos.append((ticket, event, e["photos"], plan.photos))
    TicketEvent.objects.bulk_create(events, batch_size=5000)

    photos = []
    for ticket, event, kind, pictures in event_photos:
        for picture_kind, content in pictures:
            if picture_kind != kind:
                continue
            photo = TicketPhoto(
                ticket=ticket, event=event, kind=kind, uploaded_by=event.actor, created_at=event.created_at
            )
            name = random_name("jpg")  # unguessable, like every stored file (issue 9)
            photo.image.save(name, ContentFile(content), save=False)
            photo.thumbnail.save(name, ContentFile(_thumbnail(content)), save=False)
            photos.append(photo)
    TicketPhoto.objects.bulk_create(photos)

    orders, order_years = [], {}
    for plan, ticket in zip(plans, tickets):
        for o in plan.orders:
            prefix = "TX" if o["level"] == E.REMINDED else "DB"
            year = timezone.localtime(o["issued_at"]).year
            order_years.setdefault((prefix, year), []).append((ticket, o))
    for (prefix, year), items in order_years.items():
        items.sort(key=lambda item: item[1]["issued_at"])
        counter, _created = SerialCounter.objects.select_for_update().get_or_create(kind=prefix, year=year)
        for offset, (ticket, o) in enumerate(items, start=1):
            orders.append(
                SupervisionOrder(
                    ticket=ticket,
                    level=o["level"],
                    number=f"{prefix}-{year}-{counter.last + offset:05d}",
                    days_overdue=o["days_overdue"],
                    issued_at=o["issued_at"],
                )
            )
        SerialCounter.objects.filter(pk=counter.pk).update(last=F("last") + len(items))
    SupervisionOrder.objects.bulk_create(orders, batch_size=5000)
    by_ticket_level = {(o.ticket_id, o.level): o.number for o in orders}
    escalations = [e for e in events if e.action == "escalate"]
    for e in escalations:
        e.data = {**e.data, "order": by_ticket_level[(e.ticket_id, e.data["level"])]}
    TicketEvent.objects.bulk_update(escalations, ["data"], batch_size=5000)

    ExtensionRequest.objects.bulk_create(
        [
            ExtensionRequest(ticket=ticket, **request)
            for plan, ticket in zip(plans, tickets)
            for request in plan.extensions
        ]
    )
    return len(tickets)


def _thumbnail(content: bytes) -> bytes:
    from PIL import Image

    with Image.open(BytesIO(content)) as image:
        image.thumbnail((320, 320))
        buffer = BytesIO()
        image.save(buffer, format="JPEG", quality=75)
        return buffer.getvalue()
