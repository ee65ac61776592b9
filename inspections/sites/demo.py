"""The demo city's sites and patrols: problem categories, the illustrative evaluation system, 26 site types with
their checklists, about 420 sites across Pingcheng's communities, leaders assigned to key sites, and three
months of patrols (leaders' visits that meet or miss their frequency, supervision-group inspections, units'
self-inspections, video patrols and monthly mock evaluations) with checklist results. This week's
inspections find a few problems, reported through the same service as on the phone.

Needs the campaign seed (regions, units, people, demo accounts). Idempotent: does nothing when the demo
sites exist. Built with bulk inserts."""

import math
import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

SITE_CODE_PREFIX = "PC-DW-"
CENTER = (40.0768, 113.3001)

# How many sites of each type (about 420 in all); community/village: one per community.
TYPE_COUNTS = {
    "main_road": 30,
    "back_alley": 50,
    "intersection": 25,
    "farmers_market": 12,
    "residential": 70,
    "school_surroundings": 20,
    "hospital": 8,
    "station": 4,
    "bus_stop": 30,
    "park_square": 10,
    "public_toilet": 20,
    "service_hall": 3,
    "bank": 10,
    "hotel": 6,
    "mall": 8,
    "bookstore": 4,
    "cultural_venue": 5,
    "scenic_spot": 3,
    "construction_site": 12,
    "urban_rural_fringe": 6,
    "commercial_street": 6,
    "internet_cafe": 6,
    "patriotic_base": 2,
    "volunteer_station": 10,
}
ROAD_NAMES = [
    "迎宾街",
    "魏都大道",
    "永泰南路",
    "新建南路",
    "大庆路",
    "御河西路",
    "华林街",
    "操场城街",
    "和阳街",
    "鼓楼东街",
    "大北街",
    "红旗南街",
    "柳航里",
    "平城街",
    "云中路",
    "开源街",
    "向阳东街",
    "新胜街",
    "站东街",
    "清远街",
    "九龙壁街",
    "善化寺街",
    "大西街",
    "小南街",
    "四道巷",
    "兴云街",
    "文兴路",
    "同泉路",
    "南环路",
    "北都街",
]
NAME_PATTERNS = {
    "main_road": "{road}（{short}段）",
    "back_alley": "{short}{n}号巷",
    "intersection": "{road}与{road2}交叉口",
    "farmers_market": "{short}农贸市场",
    "residential": "{short}{estate}小区",
    "school_surroundings": "{school}周边",
    "hospital": "{hospital}",
    "station": "{short}客运站",
    "bus_stop": "{road}公交站",
    "park_square": "{short}广场",
    "public_toilet": "{road}公厕",
    "service_hall": "{short}便民服务大厅",
    "bank": "{bank}{short}支行",
    "hotel": "{short}宾馆",
    "mall": "{short}购物中心",
    "bookstore": "新华书店{short}店",
    "cultural_venue": "{short}文化馆",
    "scenic_spot": "{short}古城景区",
    "construction_site": "{short}{estate}项目工地",
    "urban_rural_fringe": "{short}城乡接合部",
    "commercial_street": "{short}商业步行街",
    "internet_cafe": "{short}网吧",
    "patriotic_base": "{short}革命纪念馆",
    "volunteer_station": "{short}志愿服务站",
    "community": "{name}",
    "village": "{name}",
}
ESTATES = ["锦绣", "和园", "华府", "阳光", "康居", "御景", "颐和", "星河", "怡馨", "金地", "明珠", "幸福"]
BANKS = ["中国银行", "工商银行", "建设银行", "农业银行", "邮储银行"]
# Which unit answers for a site of each type: names looked up among the campaign's units (first match).
UNIT_HINTS = {
    "main_road": ["城市管理局"],
    "intersection": ["交警大队"],
    "public_toilet": ["城市管理局"],
    "park_square": ["园林绿化"],
    "farmers_market": ["农贸市场", "市场监督管理局"],
    "hospital": ["医院", "卫生服务中心"],
    "station": ["汽车站", "交通运输局"],
    "bus_stop": ["公共交通"],
    "service_hall": ["政务服务中心", "行政审批"],
    "bank": ["中国银行", "工商银行"],
    "hotel": ["宾馆", "酒店"],
    "mall": ["商厦", "购物中心", "万达"],
    "bookstore": ["新华书店"],
    "cultural_venue": ["文化馆", "图书馆", "博物馆"],
    "scenic_spot": ["古城保护", "文化和旅游局"],
    "construction_site": ["建筑工程", "中建", "住房和城乡建设局"],
    "internet_cafe": ["文化和旅游局"],
    "patriotic_base": ["博物馆", "文明办"],
    "commercial_street": ["商务局"],
}
SUPERVISION_TITLES = ["例行督查", "占道经营专项督查", "背街小巷暗访"]
FAIL_CATEGORIES = {
    "P01": ["ground", "car_on_pavement", "shared_bikes", "jaywalking"],
    "P02": ["clean_dirt", "clean_clutter", "graffiti", "flying_wire"],
    "P03": ["publicity_damage", "signage_missing"],
    "P04": ["maintenance", "signage_missing"],
    "P05": ["cleaning", "security", "greening"],
    "P06": ["ground", "signage_missing"],
}


def _offset(lat, lng, metres, bearing):
    north, east = metres * math.cos(bearing), metres * math.sin(bearing)
    return lat + north / 111_320.0, lng + east / (111_320.0 * math.cos(math.radians(lat)))


def _short(name: str) -> str:
    for suffix in ("社区", "村", "街道", "乡"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def seed(*, rng: random.Random, stdout) -> None:
    from campaign.models import Region
    from inspections.models import Site

    if Site.objects.filter(code__startswith=SITE_CODE_PREFIX).exists():
        stdout.write("inspections (sites): the demo sites are already there")
        return
    if not Region.objects.filter(level=Region.Level.COMMUNITY).exists():
        stdout.write("inspections (sites): no communities yet — run the campaign seed first")
        return
    with transaction.atomic():
        _seed(rng=rng, stdout=stdout)


def _seed(*, rng, stdout):
    from simple_history.utils import bulk_create_with_history

    from campaign.models import Assignment, Campaign, Person, Region, Unit
    from core.models import User
    from core.roles import Role
    from evaluation.services import evaluation_load_sample
    from inspections.models import ChecklistResult, Patrol, PatrolVisit, Site, SiteType
    from inspections.sites.selectors import haversine_m, monday_of
    from inspections.sites.services import reference_data_load

    office = User.objects.filter(username="office").first() or User.objects.filter(role=Role.OFFICE).first()
    reference_data_load()
    if office is not None:
        result = evaluation_load_sample(actor=office)
        if not result.ok:
            raise RuntimeError(f"the sample evaluation system did not import: {result.errors[:3]}")
    types = {t.code: t for t in SiteType.objects.all()}
    checklists = {}
    for row in SiteType.standards.through.objects.values(
        "sitetype_id", "evaluationitem_id", "evaluationitem__code", "evaluationitem__max_score"
    ):
        checklists.setdefault(row["sitetype_id"], []).append(
            (row["evaluationitem_id"], row["evaluationitem__code"], row["evaluationitem__max_score"])
        )

    # --- Sites ---------------------------------------------------------------------------------------------
    streets = list(Region.objects.filter(level=Region.Level.STREET).order_by("sort_order", "pk"))
    communities = list(Region.objects.filter(level=Region.Level.COMMUNITY).order_by("path"))
    units = list(Unit.objects.filter(is_active=True).order_by("code"))
    community_unit = {u.region_id: u for u in units if u.kind == Unit.Kind.COMMUNITY}
    street_office = {u.region_id: u for u in units if u.kind == Unit.Kind.STREET_OFFICE}
    schools = [u for u in units if u.kind == Unit.Kind.SCHOOL] or units
    hospitals = [u for u in units if u.kind == Unit.Kind.HOSPITAL] or units
    centers = {}
    for i, street in enumerate(streets):
        angle = 2 * math.pi * i / max(1, len(streets))
        radius = 0 if i == 0 else 1200 + 900 * (i % 3)
        centers[street.pk] = _offset(*CENTER, radius, angle)
    for community in communities:
        base = centers.get(community.parent_id, CENTER)
        centers[community.pk] = _offset(*base, rng.uniform(150, 650), rng.uniform(0, 2 * math.pi))

    def unit_for(type_code, community):
        for hint in UNIT_HINTS.get(type_code, []):
            matches = [u for u in units if hint in u.name]
            if matches:
                return rng.choice(matches)
        if type_code == "school_surroundings":
            return rng.choice(schools)
        if type_code == "hospital":
            return rng.choice(hospitals)
        return community_unit.get(community.pk) or street_office.get(community.parent_id) or rng.choice(units)

    plan = []
    for community in communities:
        plan.append(("village" if community.name.endswith("村") else "community", community))
    urban = [c for c in communities if not c.name.endswith("村")] or communities
    for type_code, count in TYPE_COUNTS.items():
        for _n in range(count):
            plan.append((type_code, rng.choice(urban if type_code != "urban_rural_fringe" else communities)))
    sites = []
    used_names = set()
    hospital_names = iter([u.name for u in hospitals] * 3)
    school_names = [u.name for u in schools]
    for n, (type_code, community) in enumerate(plan, start=1):
        if type_code not in types:
            continue
        short = _short(community.name)
        name = NAME_PATTERNS[type_code].format(
            road=rng.choice(ROAD_NAMES),
            road2=rng.choice(ROAD_NAMES),
            short=short,
            n=rng.randint(1, 30),
            estate=rng.choice(ESTATES),
            school=rng.choice(school_names),
            hospital=next(hospital_names, short + "医院"),
            bank=rng.choice(BANKS),
            name=community.name,
        )
        while name in used_names:
            name = f"{name}{rng.choice('东西南北')}"
        used_names.add(name)
        lat, lng = _offset(*centers[community.pk], rng.uniform(20, 380), rng.uniform(0, 2 * math.pi))
        unit = unit_for(type_code, community)
        sites.append(
            Site(
                name=name[:200],
                code=f"{SITE_CODE_PREFIX}{n:04d}",
                site_type=types[type_code],
                region=community,
                address=f"大同市平城区{community.parent.name if community.parent_id else ''}{short}{rng.randint(1, 200)}号",  # noqa: E501
                lat=round(lat, 6),
                lng=round(lng, 6),
                unit=unit,
            )
        )
    # Key sites (重点点位), as Xujing had them: construction sites, main roads, an intersection, a bookstore, markets.
    by_type = {}
    for site in sites:
        by_type.setdefault(site.site_type.code, []).append(site)
    for code, k in (
        ("construction_site", 9),
        ("main_road", 4),
        ("intersection", 1),
        ("bookstore", 1),
        ("farmers_market", 4),
        ("school_surroundings", 3),
        ("station", 1),
    ):
        for site in by_type.get(code, [])[:k]:
            site.is_key = True
    sites = bulk_create_with_history(sites, Site, batch_size=500)
    key_sites = [s for s in sites if s.is_key]

    # --- Leaders: a login for every assigned leader, site assignments on key sites --------------------------
    campaign = Campaign.objects.filter(is_active=True).order_by("-start_date").first()
    leader_people = list(
        Person.objects.filter(assignments__isnull=False).distinct().select_related("user").order_by("pk")
    )
    if campaign is not None:
        division = [p for p in leader_people if p.rank in (Person.Rank.DIVISION, Person.Rank.SECTION)]
        new_assignments = []
        for site, person in zip(key_sites, rng.sample(division, min(len(division), len(key_sites)))):
            new_assignments.append(
                Assignment(
                    campaign=campaign,
                    person=person,
                    site=site,
                    required_visits_per_week=1,
                    start_date=campaign.start_date,
                    note="重点点位包抓",
                )
            )
        demo_leader = next((p for p in leader_people if p.user and p.user.username == "leader"), None)
        if demo_leader is not None:
            south_gate = [s for s in key_sites if s.region.path.startswith(_street_path(demo_leader))] or key_sites
            for site in south_gate[:2]:
                new_assignments.append(
                    Assignment(
                        campaign=campaign,
                        person=demo_leader,
                        site=site,
                        required_visits_per_week=1,
                        start_date=campaign.start_date,
                        note="重点点位包抓",
                    )
                )
        bulk_create_with_history(new_assignments, Assignment, batch_size=500)
    without_login = [p for p in leader_people if p.user_id is None]
    new_users = [
        User(username=f"leader{p.pk:03d}", first_name=p.name, role=Role.LEADER, password="!demo-no-password")
        for p in without_login
    ]
    taken = set(User.objects.filter(username__in=[u.username for u in new_users]).values_list("username", flat=True))
    new_users = [u for u in new_users if u.username not in taken]
    for user in new_users:
        user.set_unusable_password()
    bulk_create_with_history(new_users, User, batch_size=500)
    by_username = {
        u.username: u for u in User.objects.filter(username__in=[f"leader{p.pk:03d}" for p in without_login])
    }
    for person in without_login:
        person.user = by_username.get(f"leader{person.pk:03d}")
    Person.objects.bulk_update([p for p in without_login if p.user], ["user"])

    # --- Three months of patrols ------------------------------------------------------------------------------
    sites_under = {}
    for site in sites:
        parts = [p for p in site.region.path.split("/") if p]
        for i in range(len(parts)):
            sites_under.setdefault("".join(f"{p}/" for p in parts[: i + 1]), []).append(site)
    assignments = list(
        Assignment.objects.select_related("person", "person__user", "region", "site").filter(person__user__isnull=False)
    )
    tz = timezone.get_current_timezone()
    now = timezone.now()
    today = timezone.localdate()
    first_monday = monday_of(today) - timedelta(weeks=12)

    patrols, visit_plans = [], []  # visit_plans: (patrol index, site, visitor, when, results?)
    joint_members = []  # (patrol index, [users]) of the leaders' joint patrols

    def moment(day, hour_from=8.5, hour_to=17.5):
        hours = rng.uniform(hour_from, hour_to)
        when = datetime.combine(day, time(int(hours), int((hours % 1) * 60)), tzinfo=tz)
        return min(when, now - timedelta(minutes=5))

    def add_patrol(kind, leader, when, title="", status=Patrol.Status.FINISHED):
        patrols.append(
            Patrol(
                kind=kind,
                title=title,
                leader=leader,
                started_at=when,
                status=status,
                finished_at=when + timedelta(minutes=rng.randint(40, 150))
                if status == Patrol.Status.FINISHED
                else None,
            )
        )
        return len(patrols) - 1

    profile = {p.pk: rng.choices(["diligent", "uneven", "lax"], weights=[55, 30, 15])[0] for p in leader_people}
    for week in range(13):
        monday = first_monday + timedelta(weeks=week)
        days = [monday + timedelta(days=d) for d in range(5) if monday + timedelta(days=d) <= today]
        if not days:
            continue
        for a in assignments:
            style = profile.get(a.person_id, "diligent")
            required = a.required_visits_per_week
            count = {
                "diligent": required + (1 if rng.random() < 0.2 else 0),
                "uneven": max(0, required - rng.choice([0, 0, 1])),
                "lax": rng.choice([0, required // 2]),
            }[style]
            pool = [a.site] if a.site_id else sites_under.get(a.region.path, [])
            if not pool:
                continue
            for _v in range(count):
                day = rng.choice([monday + timedelta(days=d) for d in range(5)])
                if day > today:
                    continue  # this week is not over yet: the visit has not happened
                when = moment(day)
                kind = Patrol.Kind.LEADER_JOINT if rng.random() < 0.1 else Patrol.Kind.LEADER_SPLIT
                index = add_patrol(kind, a.person.user, when)
                if kind == Patrol.Kind.LEADER_JOINT:
                    others = [p.user for p in leader_people if p.user and p.user.pk != a.person.user.pk]
                    joint_members.append((index, rng.sample(others, min(len(others), rng.randint(1, 2)))))
                visit_plans.append((index, rng.choice(pool), a.person.user, when, rng.random() < 0.3))

    accounts = {u.username: u for u in User.objects.filter(username__in=["office", "supervisor", "unit", "unit2"])}
    from campaign.selectors import region_ids_in_scope

    def scope_sites(user):
        ids = region_ids_in_scope(user)
        return sites if ids is None else [s for s in sites if s.region_id in ids]

    supervisor = accounts.get("supervisor")
    supervisor_sites = scope_sites(supervisor) if supervisor else []
    failing_patrols = []
    for week in range(13):
        monday = first_monday + timedelta(weeks=week)
        days = [monday + timedelta(days=d) for d in range(5) if monday + timedelta(days=d) <= today]
        if not days:
            continue
        if supervisor and supervisor_sites:
            for p in range(3):
                day = rng.choice(days)
                kind = [Patrol.Kind.SUPERVISION_GROUP, Patrol.Kind.SPECIAL, Patrol.Kind.UNANNOUNCED][p]
                when = moment(day, 8.5, 14)
                current = week == 12
                index = add_patrol(
                    kind,
                    supervisor,
                    when,
                    title=f"第{week + 1}周{SUPERVISION_TITLES[p]}",
                    status=Patrol.Status.OPEN if current else Patrol.Status.FINISHED,
                )
                if current:
                    failing_patrols.append(index)
                for k, site in enumerate(rng.sample(supervisor_sites, min(len(supervisor_sites), rng.randint(3, 5)))):
                    visit_plans.append((index, site, supervisor, when + timedelta(minutes=25 * k), True))
        for username in ("unit", "unit2"):
            user = accounts.get(username)
            if not user:
                continue
            own = [s for s in sites if s.unit_id == user.unit_id] or scope_sites(user)
            for _p in range(2):
                if not own:
                    break
                when = moment(rng.choice(days))
                index = add_patrol(Patrol.Kind.SELF_INSPECTION, user, when, title="自查自纠")
                for k, site in enumerate(rng.sample(own, min(len(own), rng.randint(2, 4)))):
                    visit_plans.append((index, site, user, when + timedelta(minutes=20 * k), True))
        office_user = accounts.get("office")
        if office_user:
            when = moment(rng.choice(days), 9, 16)
            index = add_patrol(Patrol.Kind.VIDEO, office_user, when, title="城市运行平台视频巡查")
            for k, site in enumerate(rng.sample(by_type.get("intersection", []) + by_type.get("main_road", []), 5)):
                visit_plans.append((index, site, office_user, when + timedelta(minutes=8 * k), False))
            if week % 4 == 1:
                when = moment(days[0], 9, 10)
                index = add_patrol(Patrol.Kind.MOCK_EVALUATION, office_user, when, title="第三方模拟测评")
                for k, site in enumerate(rng.sample(sites, 8)):
                    visit_plans.append((index, site, office_user, when + timedelta(minutes=30 * k), True))

    patrols = Patrol.objects.bulk_create(patrols, batch_size=1000)
    Patrol.members.through.objects.bulk_create(
        [Patrol.members.through(patrol_id=patrols[i].pk, user_id=u.pk) for i, users in joint_members for u in users],
        batch_size=1000,
    )
    visits, result_plans = [], []
    for index, site, visitor, when, with_results in visit_plans:
        patrol = patrols[index]
        if patrol.kind == Patrol.Kind.VIDEO:
            lat = lng = distance = None
            too_far = False
        else:
            metres = rng.uniform(320, 900) if rng.random() < 0.04 else rng.uniform(3, 180)
            lat, lng = _offset(site.lat, site.lng, metres, rng.uniform(0, 2 * math.pi))
            distance = round(haversine_m(lat, lng, site.lat, site.lng), 1)
            too_far = distance > _max_distance()
        visits.append(
            PatrolVisit(
                patrol=patrol,
                site=site,
                visitor=visitor,
                checked_in_at=when,
                lat=lat,
                lng=lng,
                distance_m=distance,
                too_far=too_far,
            )
        )
        result_plans.append(with_results)
    visits = PatrolVisit.objects.bulk_create(visits, batch_size=1000)
    results, scores = [], {}
    pending_fail = []  # (visit, standard id, code): recorded below through the service, so they become tickets
    for visit, with_results in zip(visits, result_plans):
        if not with_results:
            continue
        items = checklists.get(visit.site.site_type_id, [])
        mock = visit.patrol.kind == Patrol.Kind.MOCK_EVALUATION
        failing = visit.patrol.status == Patrol.Status.OPEN and items and rng.random() < 0.6
        skip = rng.randrange(len(items)) if failing else None
        for i, (standard_id, code, max_score) in enumerate(items):
            if i == skip:
                pending_fail.append((visit, standard_id, code))
                continue
            result = ChecklistResult.Result.NOT_APPLICABLE if rng.random() < 0.12 else ChecklistResult.Result.PASS
            score = None
            if mock and result == ChecklistResult.Result.PASS:
                score = (max_score or Decimal(2)) - (Decimal("0.5") if rng.random() < 0.25 else 0)
                scores[visit.pk] = scores.get(visit.pk, Decimal(0)) + score
            results.append(ChecklistResult(visit=visit, standard_id=standard_id, result=result, score=score))
    ChecklistResult.objects.bulk_create(results, batch_size=2000)
    scored = [v for v in visits if v.pk in scores]
    for visit in scored:
        visit.score = scores[visit.pk]
    PatrolVisit.objects.bulk_update(scored, ["score"], batch_size=1000)

    tickets = _record_failures(rng=rng, pending=pending_fail)
    open_ids = [patrols[i].pk for i in failing_patrols]
    # This week's supervision patrols are finished too, except the most recent one (still on the street).
    if open_ids:
        latest = max(open_ids, key=lambda pk: next(p.started_at for p in patrols if p.pk == pk))
        for patrol in Patrol.objects.filter(pk__in=open_ids).exclude(pk=latest):
            patrol.status = Patrol.Status.FINISHED
            patrol.finished_at = min(now, patrol.started_at + timedelta(hours=2))
            patrol.save(update_fields=["status", "finished_at"])
    stdout.write(
        f"inspections (sites): {SiteType.objects.count()} site types, {len(sites)} sites ({len(key_sites)} key), "
        f"{len(patrols)} patrols, {len(visits)} visits, {len(results)} checklist results, {tickets} problems found "
        f"this week"
    )


def _street_path(person) -> str:
    region = next(
        (a.region for a in person.assignments.select_related("region") if a.region_id and a.region.level == 3), None
    )
    return region.path if region else ""


def _max_distance():
    from django.conf import settings

    return settings.CHECKIN_MAX_DISTANCE_M


def _record_failures(*, rng, pending) -> int:
    """Failed items of this week's inspections, recorded through patrol_record_results: each becomes a
    ticket linked to its standard, as on the phone."""
    try:
        from inspections.tickets.services import ticket_report  # noqa: F401 - the ticket engine must be there
    except ImportError:
        return 0
    from inspections.models import Category
    from inspections.sites.services import patrol_record_results

    categories = {c.code: c for c in Category.objects.filter(is_active=True)}
    notes = {
        "P01": "占道经营、车辆乱停",
        "P02": "垃圾积存、小广告未清理",
        "P03": "公益广告破损褪色",
        "P04": "便民设施损坏",
        "P05": "小区保洁不到位",
        "P06": "校园周边有流动摊贩",
    }
    made = 0
    for visit, standard_id, code in pending:
        prefix = code[:3]
        category = categories.get(rng.choice(FAIL_CATEGORIES.get(prefix, ["ground"])))
        if category is None:
            continue
        patrol_record_results(
            actor=visit.visitor,
            visit=visit,
            results=[
                {
                    "standard": standard_id,
                    "result": "fail",
                    "category": category,
                    "note": f"{visit.site.name}：{notes.get(prefix, '不符合测评标准')}",
                }
            ],
        )
        made += 1
    return made
