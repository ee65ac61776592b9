"""The demo city's publicity: 3,000 assets of every type (at sites, or by coordinates when there are no sites),
look-back checks of the last two months (the damaged ones raised real tickets through the service, some of them
since closed, which made their assets good again), online posts, printed materials and theme events.
Does nothing if assets already exist."""

import random
from datetime import timedelta
from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from campaign.models import Region, Unit

from .models import Asset, AssetCheck, Condition, Post, PrintedMaterial, ThemeEvent

# (kind, weight, quantity range)
KINDS = [
    ("poster", 30, (5, 60)),
    ("display_board", 14, (1, 6)),
    ("flag", 14, (10, 60)),
    ("public_ad", 12, (1, 4)),
    ("hoarding_ad", 8, (2, 20)),
    ("bulletin_board", 8, (1, 2)),
    ("flower_sign", 5, (2, 12)),
    ("billboard", 4, (1, 1)),
    ("led_screen", 2, (1, 1)),
    ("painted_wall", 2, (1, 1)),
    ("landscape", 1, (1, 1)),
]
THEMES = [
    "讲文明 树新风",
    "社会主义核心价值观",
    "文明交通 你我同行",
    "垃圾分类 从我做起",
    "创建全国文明城市 建设美好家园",
    "光盘行动 拒绝浪费",
    "志愿服务 让城市更温暖",
    "中国梦 我的梦",
    "移风易俗 文明节俭",
    "诚信经营 文明守法",
]
POSTS = ["创城进行时｜{}", "文明实践在身边：{}", "【创文一线】{}", "看变化｜{}"]
POST_TOPICS = [
    "背街小巷换新颜",
    "农贸市场秩序井然",
    "路口文明劝导见成效",
    "志愿者走进社区",
    "公益广告扮靓街头",
    "老旧小区改造",
    "文明交通劝导",
    "垃圾分类进校园",
]


def _jpeg(rng, name):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), (220, 220, 215))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 50, 280, 190), fill=(200, 22, 29))
    for _ in range(6):  # tears in the board
        x, y = rng.randint(40, 280), rng.randint(50, 190)
        draw.line((x, y, x + rng.randint(-60, 60), y + rng.randint(-40, 40)), fill=(240, 240, 240), width=4)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=75)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def seed(*, rng: random.Random, stdout) -> None:
    if Asset.objects.exists():
        stdout.write("publicity: the demo assets are already there")
        return
    from inspections.models import Site

    sites = list(Site.objects.filter(is_active=True).select_related("region", "unit"))
    communities = list(Region.objects.filter(level__in=[Region.Level.STREET, Region.Level.COMMUNITY]))
    units = list(Unit.objects.filter(is_active=True))
    if not communities or not units:
        stdout.write("publicity: no regions or units yet, so no demo assets")
        return
    with transaction.atomic():
        assets = _assets(rng=rng, sites=sites, regions=communities, units=units)
        good_checks = _good_checks(rng=rng, assets=assets)
        _ledgers(rng=rng, regions=communities)
        raised, joined, closed = _damage(rng=rng, assets=assets)
    stdout.write(
        f"publicity: {len(assets)} assets, {good_checks} routine checks, {raised} tickets raised by checks "
        f"({joined} repeat checks joined them, {closed} closed since), {Post.objects.count()} posts"
    )


def _assets(*, rng, sites, regions, units):
    kinds = [k for k, weight, _q in KINDS for _ in range(weight)]
    quantities = {k: q for k, _w, q in KINDS}
    lat0, lng0 = settings.MAP_CENTER
    today = timezone.localdate()
    objs = []
    for n in range(3000):
        kind = rng.choice(kinds)
        asset = Asset(
            code=f"XC-{n + 1:06d}",
            kind=kind,
            theme=rng.choice(THEMES),
            quantity=rng.randint(*quantities[kind]),
            installed_on=today - timedelta(days=rng.randint(30, 900)),
        )
        if sites and rng.random() < 0.75:
            site = rng.choice(sites)
            asset.site, asset.region, asset.unit = site, site.region, site.unit
            asset.address = site.address
            if site.lat is not None:
                asset.lat = site.lat + rng.uniform(-0.0006, 0.0006)
                asset.lng = site.lng + rng.uniform(-0.0006, 0.0006)
        else:
            asset.region, asset.unit = rng.choice(regions), rng.choice(units)
            asset.lat, asset.lng = lat0 + rng.uniform(-0.05, 0.05), lng0 + rng.uniform(-0.06, 0.06)
            asset.address = (
                f"{asset.region.name}{rng.choice(['主街', '东巷', '西巷', '广场', '路口'])}{rng.randint(1, 99)}号"
            )
        objs.append(asset)
    return bulk_create_with_history(objs, Asset, batch_size=1000)  # each asset's "created" history row too


def _good_checks(*, rng, assets):
    from core.models import User
    from core.roles import Role

    checkers = list(User.objects.filter(role__in=[Role.OFFICE, Role.SUPERVISOR], is_active=True)[:10])
    if not checkers:
        return 0
    now = timezone.now()
    checks, touched = [], []
    for asset in rng.sample(assets, 1200):
        at = now - timedelta(days=rng.randint(3, 60), hours=rng.randint(0, 8))
        checks.append(AssetCheck(asset=asset, checked_by=rng.choice(checkers), checked_at=at, condition=Condition.GOOD))
        asset.last_checked_at = at
        touched.append(asset)
    AssetCheck.objects.bulk_create(checks, batch_size=2000)
    Asset.objects.bulk_update(touched, ["last_checked_at"], batch_size=1000)
    return len(checks)


def _damage(*, rng, assets):
    """Damage found by look-back checks goes through the service, so the tickets are real tickets."""
    try:
        from inspections.tickets import services as ticket_services
    except ImportError:
        return 0, 0, 0
    from core.models import User

    office = User.objects.filter(username="office").first()
    if office is None:
        return 0, 0, 0
    from .services import asset_check_record

    damaged = rng.sample([a for a in assets if a.last_checked_at is None], 80)
    raised, joined, closed = 0, 0, 0
    bad = [Condition.DAMAGED, Condition.DAMAGED, Condition.FADED, Condition.OUTDATED, Condition.MISSING]
    for n, asset in enumerate(damaged):
        notes = {
            "damaged": "画面破损，边角翘起",
            "faded": "日晒褪色，字迹不清",
            "outdated": "内容为往年主题，需更新",
            "missing": "原位置未见该宣传品",
        }
        condition = rng.choice(bad)
        photos = [_jpeg(rng, f"check-{asset.code}.jpg")] if n < 30 else []
        check = asset_check_record(actor=office, asset=asset, condition=condition, note=notes[condition], photos=photos)
        raised += check.raised_ticket
        if n % 8 == 0:  # looked at again while the ticket is open: joins it
            asset_check_record(actor=office, asset=asset, condition=condition, note="复查仍未整改")
            joined += 1
        if n % 4 == 1 and check.ticket is not None:
            ticket = check.ticket
            unit_user = User.objects.filter(role="unit", unit_id=ticket.unit_id, is_active=True).first()
            if unit_user is None:
                continue
            ticket = ticket_services.ticket_dispatch(actor=office, ticket=ticket, unit=ticket.unit)
            ticket = ticket_services.ticket_sign(actor=unit_user, ticket=ticket)
            ticket = ticket_services.ticket_submit(
                actor=unit_user, ticket=ticket, note="已更换新的宣传画面", photos=[_jpeg(rng, "after.jpg")]
            )
            ticket_services.ticket_verify(actor=office, ticket=ticket, approved=True, note="现场核查已整改")
            closed += 1
    return raised, joined, closed


def _ledgers(*, rng, regions):
    today = timezone.localdate()
    Post.objects.bulk_create(
        [
            Post(
                channel=rng.choice(["media_centre", "wechat", "wechat", "douyin", "weibo"]),
                title=rng.choice(POSTS).format(rng.choice(POST_TOPICS)),
                url=f"https://example.org/posts/{n}",
                published_on=today - timedelta(days=rng.randint(0, 180)),
                views=int(rng.lognormvariate(7, 1)),
            )
            for n in range(200)
        ]
    )
    PrintedMaterial.objects.bulk_create(
        [
            PrintedMaterial(
                kind=rng.choice(["leaflet", "leaflet", "household_kit", "booklet", "poster"]),
                quantity=rng.choice([200, 300, 500, 800, 1000]),
                region=rng.choice(regions),
                handed_out_on=today - timedelta(days=rng.randint(0, 120)),
                note="入户发放",
            )
            for _ in range(40)
        ]
    )
    ThemeEvent.objects.bulk_create(
        [
            ThemeEvent(
                title=rng.choice(["文明实践主题日", "垃圾分类宣传周", "文明交通宣传月", "诚信建设宣传日"]),
                held_on=today - timedelta(days=rng.randint(0, 150)),
                region=rng.choice(regions),
                place=rng.choice(["文化广场", "社区活动中心", "农贸市场门口"]),
                participants=rng.randint(50, 500),
                description="现场发放宣传资料、设置咨询台",
            )
            for _ in range(24)
        ]
    )
