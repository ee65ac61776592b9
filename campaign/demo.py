"""The demo city's command structure: Datong's Pingcheng district and its "1+11+7" organisation
(one headquarters, eleven supervision groups, seven task forces), its streets, communities and grids,
about 150 units, some 40 leaders with their assignments, and the five demo accounts of CONTRACT.md.

Idempotent: nothing happens when a campaign already exists. Built with bulk inserts (with history rows)."""

import random
from datetime import date

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from core.roles import Role

from .models import Assignment, Campaign, CommandBody, Membership, Person, Region, Unit
from .services import command_body_create

DEMO_PASSWORD = "demo-pass-2024"
CAMPAIGN_NAME = "2026年创建全国文明城市"

STREETS = [
    ("南关街道", ["南关社区", "迎宾街社区", "太和社区", "魏都社区", "新建南路社区", "永泰社区"]),
    ("北关街道", ["北关社区", "操场城社区", "华林社区", "大庆路社区", "振华社区", "明珠社区"]),
    ("东关街道", ["东关社区", "和阳社区", "东花园社区", "御河西社区", "鼓楼社区", "清远社区"]),
    ("新华街街道", ["新华街社区", "大北街社区", "红旗社区", "柳航社区", "平城社区", "古城社区"]),
    ("老平旺街道", ["老平旺社区", "平旺社区", "云中社区", "星光社区", "兴旺社区", "电厂社区"]),
    ("新旺街道", ["新旺社区", "同煤社区", "锦华社区", "富康社区", "永和社区", "幸福社区"]),
    ("开源街街道", ["开源社区", "桥东社区", "和平社区", "宏远社区", "荣华社区", "博源社区"]),
    ("向阳里街道", ["向阳里社区", "四道巷社区", "小南街社区", "大西街社区", "九龙壁社区", "善化社区"]),
    ("新胜街道", ["新胜社区", "雁塔社区", "金港社区", "安居社区", "佳园社区", "南站社区"]),
    ("水泊寺乡", ["水泊寺村", "马家小村", "黄家店村", "东王庄村", "西韩岭村", "高山村"]),
]
GRID_NAMES = ["第一网格", "第二网格", "第三网格"]

DEPARTMENTS = [
    "中共大同市平城区委宣传部",
    "平城区文明办",
    "平城区城市管理局",
    "平城区交通运输局",
    "大同市公安局平城分局交警大队",
    "平城区市场监督管理局",
    "平城区住房和城乡建设局",
    "平城区教育局",
    "平城区卫生健康委员会",
    "平城区文化和旅游局",
    "平城区民政局",
    "平城区商务局",
    "大同市生态环境局平城分局",
    "平城区园林绿化服务中心",
    "平城区行政审批服务管理局",
    "平城区农业农村和水利局",
    "平城区人力资源和社会保障局",
    "平城区财政局",
    "平城区应急管理局",
    "大同市规划和自然资源局平城分局",
    "平城区融媒体中心",
    "共青团平城区委",
    "平城区妇女联合会",
    "平城区总工会",
    "平城区城市管理综合行政执法大队",
]
SCHOOLS = [f"平城区第{n}小学校" for n in "一二三四五六七八九十"] + [
    "大同市第一中学校",
    "大同市第三中学校",
    "大同市第十中学校",
    "大同市第二十一中学校",
    "平城区第十五中学校",
    "平城区第二十五中学校",
    "平城区实验幼儿园",
    "平城区第一幼儿园",
    "平城区机关幼儿园",
    "平城区御东幼儿园",
]
HOSPITALS = [
    "平城区人民医院",
    "平城区中医医院",
    "平城区妇幼保健计划生育服务中心",
    "南关街道社区卫生服务中心",
    "北关街道社区卫生服务中心",
    "新华街街道社区卫生服务中心",
    "老平旺街道社区卫生服务中心",
    "开源街街道社区卫生服务中心",
]
ENTERPRISES = [
    "大同市公共交通有限责任公司",
    "大同华林商厦有限公司",
    "红旗广场购物中心",
    "大同百盛购物中心",
    "站前农贸市场管理有限公司",
    "南关农贸市场",
    "新建北路农贸市场",
    "迎宾街农贸市场",
    "大同城建物业服务有限公司",
    "晋能控股物业管理有限公司",
    "恒安物业服务有限公司",
    "大同万达广场商业管理有限公司",
    "大同宾馆",
    "云冈国际酒店",
    "平城建筑工程有限公司",
    "中建二局大同御河项目部",
    "国网大同供电公司平城供电中心",
    "中国银行大同平城支行",
    "中国工商银行大同分行营业部",
    "山西新华书店大同分公司",
    "大同市热力有限公司平城分公司",
    "大同华润燃气有限公司",
    "大同古城保护和修复投资有限公司",
    "大同市环境卫生服务有限公司",
    "平城区长途汽车站",
]
INSTITUTIONS = ["大同市图书馆", "平城区文化馆", "大同市博物馆", "平城区政务服务中心", "平城区社会福利院"]

SUPERVISION_GROUPS = [
    "问卷调查工作指导督导组",
    "负面清单管理指导督导组",
    "政务服务指导督导组",
    "乡村文明建设指导督导组",
    "材料申报指导督导组",
    "基层创建能力提升指导督导组",
    "宣传氛围营造及新时代文明实践工作指导督导组",
    "公共卫生服务指导督导组",
    "服务行业工作提升指导督导组",
    "公共环境整治指导督导组",
    "未成年人思想道德建设指导督导组",
]
# The streets each group covers (indexes into STREETS); the supervisor account joins group 9 (three streets).
GROUP_STREETS = [[3, 4], [5, 6], [7, 8], [9], [0, 1], [2, 3], [4, 5], [6, 7], [8, 0], [0, 1, 2], [1, 2]]
SUPERVISOR_GROUP = 9
TASK_FORCES = [
    ("物业管理工作专班", "平城区住房和城乡建设局"),
    ("交通秩序治理工作专班", "大同市公安局平城分局交警大队"),
    ("市容市貌整治工作专班", "平城区城市管理局"),
    ("校园周边环境治理工作专班", "平城区教育局"),
    ("建筑工地管理工作专班", "平城区住房和城乡建设局"),
    ("站点周边环境整治工作专班", "平城区交通运输局"),
    ("城市用语规范工作专班", "平城区文化和旅游局"),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
GIVEN = [
    "建国",
    "志强",
    "海燕",
    "丽华",
    "晓东",
    "国栋",
    "红梅",
    "振华",
    "秀英",
    "立新",
    "文斌",
    "桂兰",
    "宏伟",
    "丽娟",
    "晓峰",
    "德明",
    "静",
    "敏",
    "磊",
    "军",
    "伟",
    "芳",
    "娜",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "玉兰",
    "永刚",
    "春燕",
    "建华",
    "卫东",
    "晓燕",
    "亚楠",
    "鹏飞",
    "宇航",
    "雪梅",
    "瑞",
    "浩然",
    "思远",
]


def _names(rng: random.Random, count: int) -> list[str]:
    names, seen = [], set()
    while len(names) < count:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "135", "150", "186", "187", "152"]) + "".join(
        str(rng.randrange(10)) for _ in range(8)
    )


def _bulk_regions(objs: list[Region]) -> list[Region]:
    objs = bulk_create_with_history(objs, Region, batch_size=500)
    if objs and objs[0].pk is None:  # a database that does not return ids from bulk inserts
        by_code = dict(Region.objects.filter(code__in=[o.code for o in objs]).values_list("code", "pk"))
        for obj in objs:
            obj.pk = obj.id = by_code[obj.code]
    for obj in objs:
        obj.path = (obj.parent.path if obj.parent else "") + f"{obj.pk:06d}/"
    Region.objects.bulk_update(objs, ["path"], batch_size=500)
    return objs


def _bulk(model, objs):
    objs = bulk_create_with_history(objs, model, batch_size=500)
    if objs and objs[0].pk is None:
        raise RuntimeError("the database did not return ids from a bulk insert")
    return objs


def _attach_letter(assignment: Assignment) -> None:
    from django.conf import settings
    from django.core.files.base import ContentFile

    from core.pdf import render_pdf

    pdf = render_pdf(
        "campaign/demo_letter.html",
        {
            "campaign": assignment.campaign,
            "person": assignment.person,
            "region": assignment.region,
            "visits": assignment.required_visits_per_week,
            "start_date": assignment.start_date,
            "issuing_body": settings.CAMPAIGN_ISSUING_BODY,
        },
    )
    from core.files import random_name

    # Random, like every stored file (issue 9): the letter's URL cannot be guessed from the leader's name.
    assignment.responsibility_letter.save(random_name("pdf"), ContentFile(pdf), save=False)


@transaction.atomic
def _account(User, username, role, unit, person):
    """A demo account linked to its person (CONTRACT.md); run again, it sets the same values."""
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role, user.unit, user.first_name = role, unit, person.name
    user.set_password(DEMO_PASSWORD)
    user.save()
    person.user = user
    person.save(update_fields=["user"])
    return user


def seed(*, rng: random.Random, stdout) -> None:
    if Campaign.objects.exists():
        stdout.write("campaign: the demo command structure is already there")
        return
    from core.models import User

    # --- Regions: city → district → streets/town → communities/villages → grids -------------------------
    (city,) = _bulk_regions([Region(name="大同市", code="140200000000", level=Region.Level.CITY)])
    (district,) = _bulk_regions([Region(name="平城区", code="140213000000", level=Region.Level.DISTRICT, parent=city)])
    streets = _bulk_regions(
        [
            Region(name=name, code=f"140213{i + 1:03d}000", level=Region.Level.STREET, parent=district, sort_order=i)
            for i, (name, _communities) in enumerate(STREETS)
        ]
    )
    communities = _bulk_regions(
        [
            Region(
                name=name,
                code=f"{street.code[:9]}{j + 1:03d}",
                level=Region.Level.COMMUNITY,
                parent=street,
                sort_order=j,
            )
            for street, (_name, names) in zip(streets, STREETS)
            for j, name in enumerate(names)
        ]
    )
    _bulk_regions(
        [
            Region(
                name=f"{community.name}{grid}",
                code=f"{community.code}-{k + 1:02d}",
                level=Region.Level.GRID,
                parent=community,
                sort_order=k,
            )
            for community in communities
            for k, grid in enumerate(GRID_NAMES)
        ]
    )

    # --- Units ---------------------------------------------------------------------------------------
    def unit(name, code, kind, region, **extra):
        return Unit(
            name=name,
            code=code,
            kind=kind,
            region=region,
            contact_name=_names(rng, 1)[0],
            contact_phone=_phone(rng),
            address=f"大同市平城区{region.name if region.level > 2 else ''}",
            **extra,
        )

    units = [unit(name, f"PC-BM-{i + 1:03d}", Unit.Kind.DEPARTMENT, district) for i, name in enumerate(DEPARTMENTS)]
    units += [
        unit(
            street.name + ("人民政府" if street.name.endswith("乡") else "办事处"),
            f"PC-JD-{i + 1:03d}",
            Unit.Kind.STREET_OFFICE,
            street,
        )
        for i, street in enumerate(streets)
    ]
    units += [
        unit(
            c.name + ("村民委员会" if c.name.endswith("村") else "居民委员会"),
            f"PC-SQ-{i + 1:03d}",
            Unit.Kind.COMMUNITY,
            c,
        )
        for i, c in enumerate(communities)
    ]
    urban = [c for c in communities if not c.name.endswith("村")]
    for prefix, kind, names in (
        ("PC-XX", Unit.Kind.SCHOOL, SCHOOLS),
        ("PC-YY", Unit.Kind.HOSPITAL, HOSPITALS),
        ("PC-QY", Unit.Kind.ENTERPRISE, ENTERPRISES),
        ("PC-SY", Unit.Kind.PUBLIC_INSTITUTION, INSTITUTIONS),
    ):
        for i, name in enumerate(names):
            street = next((s for s in streets if name.startswith(s.name)), None)
            region = rng.choice([c for c in urban if c.parent_id == street.pk]) if street else rng.choice(urban)
            units.append(unit(name, f"{prefix}-{i + 1:03d}", kind, region))
    levels = (
        [Unit.CivilizedLevel.NATIONAL] * 3 + [Unit.CivilizedLevel.PROVINCIAL] * 9 + [Unit.CivilizedLevel.MUNICIPAL] * 16
    )
    candidates = [u for u in units if u.kind not in (Unit.Kind.COMMUNITY, Unit.Kind.STREET_OFFICE)]
    for u, level in zip(rng.sample(candidates, len(levels)), levels):
        u.civilized_level = level
        u.civilized_year = rng.choice([2017, 2019, 2020, 2021, 2023, 2024])
    units = _bulk(Unit, units)
    unit_by_name = {u.name: u for u in units}

    # --- Campaign --------------------------------------------------------------------------------------
    campaign = Campaign.objects.create(
        name=CAMPAIGN_NAME,
        goal=Campaign.Goal.CREATE,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        description="平城区紧盯创建全国文明城市目标，健全“1个创城指挥部、11个指导督导组、7个工作专班”组织体系，"
        "完善自查、例会、督查、通报各项制度。",
    )

    # --- People: four levels of leaders (四级包抓), office staff, supervisors, unit liaisons --------------
    names = iter(_names(rng, 90))
    propaganda, civility = unit_by_name["中共大同市平城区委宣传部"], unit_by_name["平城区文明办"]
    standing = [
        ("区委书记", None),
        ("区长", None),
        ("区委副书记", None),
        ("区委常委、常务副区长", None),
        ("区委常委、宣传部部长", propaganda),
        ("区委常委、组织部部长", None),
    ]
    district_titles = ["副区长"] * 5 + ["区人大常委会副主任"] * 3 + ["区政协副主席"] * 3 + ["区委办公室主任"]
    division_units = [
        "平城区城市管理局",
        "大同市公安局平城分局交警大队",
        "平城区住房和城乡建设局",
        "平城区教育局",
        "平城区交通运输局",
        "平城区文化和旅游局",
        "平城区市场监督管理局",
        "平城区卫生健康委员会",
        "平城区文明办",
        "平城区商务局",
        "平城区民政局",
        "平城区行政审批服务管理局",
        "平城区园林绿化服务中心",
        "平城区农业农村和水利局",
    ]
    people = [
        Person(name=next(names), rank=Person.Rank.STANDING_COMMITTEE, title=t, unit=u, phone=_phone(rng))
        for t, u in standing
    ]
    people += [
        Person(name=next(names), rank=Person.Rank.DISTRICT_LEADER, title=t, phone=_phone(rng)) for t in district_titles
    ]
    people += [
        Person(
            name=next(names),
            rank=Person.Rank.DIVISION,
            title="文明办主任"
            if n == "平城区文明办"
            else "局长"
            if n.endswith("局")
            else "主任"
            if not n.endswith("大队")
            else "大队长",
            unit=unit_by_name[n],
            phone=_phone(rng),
        )
        for n in division_units
    ]
    section_units = [u for u in units if u.kind == Unit.Kind.STREET_OFFICE]
    people += [
        Person(
            name=next(names),
            rank=Person.Rank.SECTION,
            title="党工委副书记" if i % 2 else "办事处主任",
            unit=section_units[i],
            phone=_phone(rng),
        )
        for i in range(10)
    ]
    office_staff = [
        Person(name=next(names), rank=Person.Rank.STAFF, title=t, unit=civility, phone=_phone(rng))
        for t in ("创文办综合组组长", "创文办督查组干事", "创文办宣传组干事", "创文办材料组干事")
    ]
    supervisors = [
        Person(name=next(names), rank=Person.Rank.STAFF, title="督导员", unit=civility, phone=_phone(rng))
        for _ in SUPERVISION_GROUPS
    ]
    liaison_unit = unit_by_name["平城区城市管理局"]
    liaison_unit2 = unit_by_name["南关街道办事处"]
    liaisons = [
        Person(name=next(names), rank=Person.Rank.STAFF, title="创文联络员", unit=u, phone=_phone(rng))
        for u in (liaison_unit, liaison_unit2)
    ]
    people = _bulk(Person, people + office_staff + supervisors + liaisons)
    by_rank = {rank: [p for p in people if p.rank == rank] for rank in Person.Rank.values}
    standing_p, district_p = by_rank[Person.Rank.STANDING_COMMITTEE], by_rank[Person.Rank.DISTRICT_LEADER]
    division_p, section_p = by_rank[Person.Rank.DIVISION], by_rank[Person.Rank.SECTION]

    # The demo office account exists before the command bodies: it is the actor of their creation, so their
    # history names who created them (the campaign office, as on a real first day).
    office_user = _account(User, "office", Role.OFFICE, None, office_staff[0])

    # --- Command bodies: 1 headquarters + its office, 11 supervision groups, 7 task forces -----------------
    hq = command_body_create(
        actor=office_user,
        campaign=campaign,
        name="平城区创建文明城市指挥部",
        kind=CommandBody.Kind.HEADQUARTERS,
        regions=[district],
        duty="统筹全区全国文明城市创建工作，研究部署重大事项，协调解决重点难点问题。",
    )
    office = command_body_create(
        actor=office_user,
        campaign=campaign,
        name="平城区创建文明城市指挥部办公室（创文办）",
        kind=CommandBody.Kind.OFFICE,
        parent=hq,
        regions=[district],
        sort_order=1,
        duty="负责日常调度、任务分解、督查考核和每周通报，受理、派遣、核查问题。",
    )
    memberships = [
        Membership(body=hq, person=standing_p[0], role=Membership.Role.FIRST_COMMANDER, sort_order=0),
        Membership(body=hq, person=standing_p[1], role=Membership.Role.COMMANDER, sort_order=1),
    ]
    memberships += [
        Membership(body=hq, person=p, role=Membership.Role.DEPUTY_COMMANDER, sort_order=2 + i)
        for i, p in enumerate(standing_p[2:])
    ]
    memberships += [
        Membership(body=hq, person=p, role=Membership.Role.MEMBER, sort_order=10 + i)
        for i, p in enumerate(district_p[:5])
    ]
    memberships += [
        Membership(body=office, person=standing_p[4], role=Membership.Role.DIRECTOR, sort_order=0),
        Membership(body=office, person=division_p[8], role=Membership.Role.DEPUTY_DIRECTOR, sort_order=1),
    ]
    memberships += [
        Membership(body=office, person=p, role=Membership.Role.MEMBER, sort_order=2 + i)
        for i, p in enumerate(office_staff)
    ]
    groups = []
    for i, name in enumerate(SUPERVISION_GROUPS):
        group = command_body_create(
            actor=office_user,
            campaign=campaign,
            name=name,
            kind=CommandBody.Kind.SUPERVISION_GROUP,
            parent=hq,
            sort_order=10 + i,
            regions=[streets[s] for s in GROUP_STREETS[i]],
            duty=f"指导督导责任区域内{name.replace('指导督导组', '')}相关任务落实，每周开展督查并报送问题。",
        )
        groups.append(group)
        memberships += [
            Membership(body=group, person=district_p[i], role=Membership.Role.LEADER, sort_order=0),
            Membership(
                body=group, person=division_p[i % len(division_p)], role=Membership.Role.DEPUTY_LEADER, sort_order=1
            ),
            Membership(body=group, person=section_p[i % len(section_p)], role=Membership.Role.MEMBER, sort_order=2),
            Membership(body=group, person=supervisors[i], role=Membership.Role.MEMBER, sort_order=3),
        ]
    division_by_unit = {p.unit_id: p for p in division_p}
    for i, (name, lead_unit) in enumerate(TASK_FORCES):
        force = command_body_create(
            actor=office_user,
            campaign=campaign,
            name=name,
            kind=CommandBody.Kind.TASK_FORCE,
            parent=hq,
            sort_order=30 + i,
            regions=[district],
            duty=f"牵头{name.replace('工作专班', '')}，建立问题台账，限期整改销号。",
        )
        leader = division_by_unit[unit_by_name[lead_unit].pk]
        memberships += [
            Membership(body=force, person=leader, role=Membership.Role.LEADER, sort_order=0),
            Membership(
                body=force,
                person=next(p for p in division_p[i + 7 :] + division_p if p != leader),
                role=Membership.Role.MEMBER,
                sort_order=1,
            ),
            Membership(
                body=force, person=section_p[(i + 3) % len(section_p)], role=Membership.Role.LIAISON, sort_order=2
            ),
        ]
    _bulk(Membership, memberships)

    # --- Assignments (包抓): district leaders ≥1 visit a week, division-level ≥2 ---------------------------
    start = date(2026, 1, 5)
    assignments = []
    street_leaders = (
        district_p[:1] + standing_p[2:] + district_p[1:]
    )  # 区委书记 and 区长 lead the whole; the others take the streets
    for i, street in enumerate(streets):
        assignments.append(
            Assignment(
                campaign=campaign,
                person=street_leaders[i],
                region=street,
                required_visits_per_week=1,
                start_date=start,
                note="街道包联",
            )
        )
    for j, person in enumerate(street_leaders[len(streets) :]):
        assignments.append(
            Assignment(
                campaign=campaign,
                person=person,
                region=streets[(j + 3) % len(streets)],
                required_visits_per_week=1,
                start_date=start,
                note="街道包联",
            )
        )
    for k, person in enumerate(division_p):
        for community in (communities[(2 * k) % len(communities)], communities[(2 * k + 25) % len(communities)]):
            assignments.append(
                Assignment(
                    campaign=campaign,
                    person=person,
                    region=community,
                    required_visits_per_week=2,
                    start_date=start,
                    note="社区包抓",
                )
            )
    for person in section_p:
        for community in [c for c in communities if c.parent_id == person.unit.region_id][:2]:
            assignments.append(
                Assignment(
                    campaign=campaign,
                    person=person,
                    region=community,
                    required_visits_per_week=3,
                    start_date=start,
                    note="社区包抓",
                )
            )
    # The demo leader: a deputy district head responsible for 南关街道 and one of its communities.
    demo_leader = district_p[0]
    assignments.append(
        Assignment(
            campaign=campaign,
            person=demo_leader,
            region=communities[3],
            required_visits_per_week=1,
            start_date=start,
            note="重点社区包联",
        )
    )
    # Signed responsibility letters (责任书) for the demo leader and two more streets; the rest are still missing.
    with_letters = [a for a in assignments if a.person is demo_leader] + assignments[1:3]
    for assignment in with_letters:
        _attach_letter(assignment)
    _bulk(Assignment, assignments)

    # --- The demo accounts (CONTRACT.md) -----------------------------------------------------------------
    accounts = [
        ("office", Role.OFFICE, None, office_staff[0]),
        ("supervisor", Role.SUPERVISOR, None, supervisors[SUPERVISOR_GROUP]),
        ("unit", Role.UNIT, liaison_unit, liaisons[0]),
        ("unit2", Role.UNIT, liaison_unit2, liaisons[1]),
        ("leader", Role.LEADER, None, demo_leader),
        # The supervisor who runs questionnaires (问卷调查): group 0's supervisor; rounds assign them areas.
        ("surveyor", Role.SUPERVISOR, None, supervisors[0]),
    ]
    for username, role, account_unit, person in accounts:
        _account(User, username, role, account_unit, person)
    stdout.write(
        f"campaign: {Region.objects.count()} regions, {Unit.objects.count()} units, {Person.objects.count()} people, "
        f"{CommandBody.objects.count()} command bodies, {Assignment.objects.count()} assignments"
    )


DEMO_ACCOUNTS = [
    ("office", "创文办工作人员 / campaign office", "全部 / everything"),
    ("supervisor", "督导员 / supervisor", "公共环境整治指导督导组：南关、北关、东关街道"),
    ("unit", "责任单位联络员 / unit liaison", "平城区城市管理局"),
    ("unit2", "责任单位联络员 / unit liaison", "南关街道办事处"),
    ("leader", "领导 / leader", "全部（只读）；包联南关街道、魏都社区"),
    ("surveyor", "调查员（督导员）/ surveyor", "分配给本人的问卷调查轮次和社区"),
]
