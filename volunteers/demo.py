"""The demo city's volunteer service: ~50 teams (the brand teams 红小帽, 咸东小哥, 乐小爱 among them), 2,000
volunteers, 300 activities with participants and hours, civilized-unit pairings with joint activities, party
members' monthly reports and micro-wishes in every state. Bulk inserts; does nothing if teams already exist."""

import random
import secrets
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from campaign.models import Region, Unit

from .models import (
    Activity,
    JointActivity,
    MicroWish,
    Pairing,
    Participation,
    PartyReport,
    Team,
    TeamMembership,
    Volunteer,
)
from .services import id_number_with_checksum

BRAND_TEAMS = [
    ("红小帽", "文明交通劝导、路口值守"),
    ("咸东小哥", "背街小巷清洁、垃圾分类宣传"),
    ("乐小爱", "关爱老人和留守儿童"),
]
TEAM_SUFFIXES = [
    "文明劝导志愿服务队",
    "清洁家园志愿服务队",
    "新时代文明实践志愿服务队",
    "助老志愿服务队",
    "政策宣讲志愿服务队",
    "巾帼志愿服务队",
    "青年志愿服务队",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤"  # noqa: E501
GIVEN = (
    "建国志强海燕丽华晓东国栋红梅振华秀英立新文斌桂兰宏伟丽娟春生玉珍永刚淑芬明辉秀兰德胜凤英子涵欣怡浩然宇轩梓萱一诺"
)
THEMES = {
    "persuasion": ["路口文明交通劝导", "公交站文明排队引导", "不文明行为劝导"],
    "cleanup": ["背街小巷清洁行动", "小区环境卫生整治", "清理小广告"],
    "policy": ["创城知识进社区", "垃圾分类政策宣传", "文明公约宣讲"],
    "visit": ["走访慰问困难老人", "慰问环卫工人", "关爱留守儿童"],
    "traffic": ["学校周边护学岗", "早高峰交通引导"],
    "elderly": ["助老理发义诊", "为老人读报"],
    "environment": ["植树护绿", "河道垃圾清捡"],
}
WISHES = [
    "一副老花镜",
    "一台收音机",
    "一套儿童绘本",
    "修理轮椅",
    "一个新书包",
    "冬季棉被",
    "一次上门理发",
    "学习用的台灯",
    "一辆助行器",
    "安装扶手",
]


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))


def _picture() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), (240, 236, 228))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 260, 200), fill=(200, 22, 29))
    draw.ellipse((130, 90, 190, 150), fill=(255, 220, 120))
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def seed(*, rng: random.Random, stdout) -> None:
    if Team.objects.exists():
        stdout.write("volunteers: the demo volunteers are already there")
        return
    streets = list(Region.objects.filter(level=Region.Level.STREET))
    communities = list(Region.objects.filter(level=Region.Level.COMMUNITY))
    units = list(Unit.objects.filter(is_active=True))
    if not streets or not units:
        stdout.write("volunteers: no regions or units yet, so no demo volunteers")
        return
    from inspections.models import Site

    sites = list(Site.objects.filter(is_active=True).only("id", "region_id", "name"))
    with transaction.atomic():
        counts = _seed(rng=rng, streets=streets, communities=communities or streets, units=units, sites=sites)
    stdout.write("volunteers: " + ", ".join(f"{n} {what}" for what, n in counts.items()))


def _seed(*, rng, streets, communities, units, sites):
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    # Teams ------------------------------------------------------------------------------------------
    teams = [
        Team(
            name=name,
            is_brand=True,
            unit=rng.choice(units),
            region=rng.choice(streets),
            description=duty,
            leader_name=_name(rng),
            contact_phone=f"139{rng.randrange(10**8):08d}",
            founded_on=date(rng.choice([2016, 2018, 2019]), rng.randint(1, 12), 1),
        )
        for name, duty in BRAND_TEAMS
    ]
    names = {t.name for t in teams}
    while len(teams) < 50:
        street = rng.choice(streets)
        name = street.name.replace("街道", "").replace("镇", "") + rng.choice(TEAM_SUFFIXES)
        if name in names:
            continue
        names.add(name)
        teams.append(
            Team(
                name=name,
                unit=rng.choice(units),
                region=street,
                leader_name=_name(rng),
                contact_phone=f"137{rng.randrange(10**8):08d}",
                founded_on=date(rng.randint(2015, 2024), rng.randint(1, 12), 1),
            )
        )
    teams = Team.objects.bulk_create(teams)
    # Volunteers -------------------------------------------------------------------------------------
    phones = rng.sample(range(10**8), 2000)
    volunteers = []
    for n in range(2000):
        birth = date(rng.randint(1955, 2004), rng.randint(1, 12), rng.randint(1, 28))
        first17 = f"1402{11 + n // 1000:02d}{birth:%Y%m%d}{n % 1000:03d}"  # unique by construction
        volunteers.append(
            Volunteer(
                name=_name(rng),
                gender=rng.choice(["male", "female"]),
                phone=f"{rng.choice(['138', '135', '186', '150'])}{phones[n]:08d}",
                id_number=id_number_with_checksum(first17),
                region=rng.choice(communities),
                is_party_member=rng.random() < 0.25,
                registered_on=today - timedelta(days=rng.randint(0, 720)),
            )
        )
    volunteers = bulk_create_with_history(volunteers, Volunteer, batch_size=1000)
    members = {team.pk: [] for team in teams}
    memberships = []
    for volunteer in volunteers:
        for team in rng.sample(teams, rng.choice([1, 1, 1, 2])):
            members[team.pk].append(volunteer)
            memberships.append(TeamMembership(team=team, volunteer=volunteer, joined_on=volunteer.registered_on))
    TeamMembership.objects.bulk_create(memberships, batch_size=2000)
    # Activities and participants ----------------------------------------------------------------------
    activities = []
    for _n in range(300):
        team = rng.choice(teams[:3] * 5 + teams)  # brand teams are the busiest
        kind = rng.choice(list(THEMES))
        day = today - timedelta(days=rng.randint(-7, 180))
        start = timezone.make_aware(datetime.combine(day, time(rng.choice([8, 9, 14, 15]), 0)), tz)
        site = rng.choice(sites) if sites and rng.random() < 0.7 else None
        activity = Activity(
            theme=rng.choice(THEMES[kind]),
            kind=kind,
            start_at=start,
            end_at=start + timedelta(hours=rng.choice([2, 2, 3, 4])),
            team=team,
            site=site,
            address="" if site else f"{team.region.name if team.region_id else ''}文明实践站",
            region_id=site.region_id if site else team.region_id,
            sign_in_token=secrets.token_urlsafe(16),
        )
        activities.append(activity)
    activities = bulk_create_with_history(activities, Activity)
    participations = []
    for activity in activities:
        if activity.start_at.date() > today:
            continue  # not held yet
        pool = members[activity.team_id] or volunteers
        hours = Decimal((activity.end_at - activity.start_at).seconds // 360) / 10
        day = timezone.localtime(activity.start_at).date()
        for volunteer in rng.sample(pool, min(len(pool), rng.randint(5, 30))):
            participations.append(
                Participation(
                    activity=activity,
                    volunteer=volunteer,
                    team_id=activity.team_id,
                    region_id=activity.region_id,
                    hours=hours if rng.random() < 0.85 else hours - Decimal("0.5"),
                    day=day,
                    source=rng.choice(["qr", "qr", "organiser"]),
                    signed_in_at=activity.start_at + timedelta(minutes=rng.randint(-20, 30)),
                )
            )
    Participation.objects.bulk_create(participations, batch_size=5000)
    from .tally import rebuild

    rebuild()  # bulk_create bypasses the services that keep the figures' tallies
    # Pairings and joint activities --------------------------------------------------------------------
    civilized = [u for u in units if u.civilized_level]
    pairings = []
    if communities and civilized:
        used = set()
        for unit in civilized:
            for community in rng.sample(communities, min(len(communities), rng.choice([1, 1, 2]))):
                if (unit.pk, community.pk) not in used:
                    used.add((unit.pk, community.pk))
                    pairings.append(
                        Pairing(
                            unit=unit,
                            community=community,
                            start_date=date(today.year - 1, 3, 1),
                            content="环境整治、志愿服务、文明创建宣传共建共享",
                        )
                    )
        pairings = Pairing.objects.bulk_create(pairings)
    joint = [
        JointActivity(
            pairing=p,
            title=rng.choice(["共建清洁日", "共建文艺汇演", "联合入户宣传", "共建义诊"]),
            held_on=today - timedelta(days=rng.randint(0, 300)),
            participants=rng.randint(10, 80),
            content="单位干部职工与社区居民共同参与",
        )
        for p in pairings
        for _ in range(rng.randint(1, 3))
    ]
    JointActivity.objects.bulk_create(joint)
    # Party members reporting to communities --------------------------------------------------------------
    party = [v for v in volunteers if v.is_party_member]
    month0 = today.replace(day=1)
    months = [month0, (month0 - timedelta(days=1)).replace(day=1)]
    months.append((months[-1] - timedelta(days=1)).replace(day=1))
    reports = [
        PartyReport(
            member=m,
            community=rng.choice(communities),
            month=month,
            service=rng.choice(["参与小区环境整治", "入户宣传创城知识", "路口文明劝导", "走访困难群众"]),
            hours=Decimal(rng.choice([2, 3, 4, 6])),
        )
        for month in months
        for m in party
        if rng.random() < 0.8
    ]
    PartyReport.objects.bulk_create(reports, batch_size=2000)
    # Micro-wishes in every state ---------------------------------------------------------------------------
    from core.files import random_name

    photo_name = default_storage.save(f"micro-wishes/demo/{random_name('jpg')}", ContentFile(_picture()))
    wishes = []
    now = timezone.now()
    for n in range(60):
        state = ("posted", "claimed", "fulfilled")[n % 3]
        posted_at = now - timedelta(days=rng.randint(5, 90))
        wish = MicroWish(
            community=rng.choice(communities),
            resident_name=rng.choice(SURNAMES) + rng.choice(["奶奶", "爷爷", "阿姨", "同学"]),
            resident_phone=f"139{rng.randrange(10**8):08d}",
            title=rng.choice(WISHES),
            description="社区网格员走访时收集",
            status=state,
            posted_at=posted_at,
        )
        if state != "posted":
            if rng.random() < 0.5:
                wish.claimed_by_volunteer = rng.choice(party or volunteers)
            else:
                wish.claimed_by_unit = rng.choice(units)
            wish.claimed_at = posted_at + timedelta(days=rng.randint(1, 4))
        if state == "fulfilled":
            wish.fulfilled_at = wish.claimed_at + timedelta(days=rng.randint(1, 10))
            wish.fulfilment_photo = photo_name
            wish.fulfilment_note = "心愿已送达，居民表示感谢"
        wishes.append(wish)
    MicroWish.objects.bulk_create(wishes)
    return {
        "teams": len(teams),
        "volunteers": len(volunteers),
        "activities": len(activities),
        "participations": len(participations),
        "pairings": len(pairings),
        "party reports": len(reports),
        "micro-wishes": len(wishes),
    }
