"""Reads of the publicity app: the one visibility rule for assets, the look-back route, and the one computation
of the publicity figures (page, API and bulletins alike)."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from core.registry import get_visible, visible_to
from core.scope import scope_of

from .models import BAD_CONDITIONS, Asset, AssetCheck, Condition, Post, PrintedMaterial, ThemeEvent

DEFAULT_RECHECK_DAYS = 30


def assets_visible_to(user) -> QuerySet:
    """The assets the user may see: the declaration in publicity/visibility.py."""
    return visible_to(Asset, user)


def asset_get_for(*, user, pk) -> Asset:
    return get_visible(
        Asset, user, pk=pk, queryset=Asset.objects.select_related("site", "region", "unit", "open_ticket")
    )


def can_check_assets(user) -> bool:
    scope = scope_of(user)
    return scope.is_office or scope.is_supervisor or scope.is_unit


def can_edit_assets(user) -> bool:
    """Adding and changing assets is the campaign office's (publicity.services.asset_create / asset_update)."""
    return scope_of(user).is_office


def asset_history(*, asset: Asset, limit: int = 30) -> list[dict]:
    """Who changed the asset's description, when, and what (newest first), as the command structure shows it."""
    from campaign.selectors import history_entries

    return history_entries(asset, limit=limit)


def checks_visible_to(user) -> QuerySet:
    return visible_to(AssetCheck, user)


def asset_list(*, user) -> QuerySet:
    return assets_visible_to(user).select_related("site", "region", "unit").order_by("code")


def with_point(queryset: QuerySet) -> QuerySet:
    """The asset's own position, or its site's."""
    return queryset.annotate(
        point_lat=Coalesce(F("lat"), F("site__lat"), output_field=FloatField()),
        point_lng=Coalesce(F("lng"), F("site__lng"), output_field=FloatField()),
    )


def asset_route(*, user, days: int = DEFAULT_RECHECK_DAYS, region=None, skip=(), now=None) -> QuerySet:
    """The look-back route: assets the user may check, not checked for `days` days, ordered by region, site and
    code so a checker walks them one after another."""
    now = now or timezone.now()
    assets = assets_visible_to(user).filter(
        Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=now - timedelta(days=days))
    )
    if region is not None:
        assets = assets.filter(region__path__startswith=region.path)
    if skip:
        assets = assets.exclude(pk__in=list(skip))
    return assets.select_related("site", "region", "unit").order_by("region__path", "site__code", "code")


def asset_checks(*, asset: Asset, user) -> QuerySet:
    """The asset's checks; a check's ticket only when the user sees it (None otherwise)."""
    from django.db.models import Prefetch

    from inspections.models import Ticket

    return asset.checks.select_related("checked_by").prefetch_related(
        "photos", Prefetch("ticket", queryset=visible_to(Ticket, user))
    )


def post_list(*, user) -> QuerySet:
    return visible_to(Post, user)


def printed_list(*, user) -> QuerySet:
    return visible_to(PrintedMaterial, user).select_related("region")


def event_list(*, user) -> QuerySet:
    return visible_to(ThemeEvent, user).select_related("region")


def _bounds(start: date, end: date):
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def publicity_figures(*, user, start: date, end: date) -> dict:
    """Assets by type, region and condition (now); checks, problems found and tickets raised in the period, by
    month; online posts, printed materials and theme events in the period. Plain data, computed by the database,
    over the rows `user` sees (a person, or a wide read such as core.scope.CITY_WIDE for the bulletins)."""
    assets = visible_to(Asset, user)
    labels_kind, labels_condition = dict(Asset.Kind.choices), dict(Condition.choices)
    bad = Q(condition__in=BAD_CONDITIONS)
    totals = assets.aggregate(assets=Count("id"), quantity=Coalesce(Sum("quantity"), 0), bad=Count("id", filter=bad))
    by_kind = [
        {
            "kind": r["kind"],
            "label": str(labels_kind.get(r["kind"], r["kind"])),
            "assets": r["assets"],
            "quantity": r["quantity"] or 0,
            "bad": r["bad"],
        }
        for r in assets.order_by()
        .values("kind")
        .annotate(assets=Count("id"), quantity=Sum("quantity"), bad=Count("id", filter=bad))
        .order_by("kind")
    ]
    by_region = [
        {
            "region_id": r["region_id"],
            "region": r["region__name"],
            "assets": r["assets"],
            "quantity": r["quantity"] or 0,
            "bad": r["bad"],
        }
        for r in assets.order_by()
        .values("region_id", "region__name", "region__path")
        .annotate(assets=Count("id"), quantity=Sum("quantity"), bad=Count("id", filter=bad))
        .order_by("region__path")
    ]
    by_condition = [
        {
            "condition": r["condition"],
            "label": str(labels_condition.get(r["condition"], r["condition"])),
            "assets": r["assets"],
        }
        for r in assets.order_by().values("condition").annotate(assets=Count("id")).order_by("condition")
    ]
    lo, hi = _bounds(start, end)
    checks = AssetCheck.objects.filter(asset__in=assets, checked_at__gte=lo, checked_at__lt=hi).order_by()
    check_totals = checks.aggregate(
        checks=Count("id"),
        problems=Count("id", filter=Q(condition__in=BAD_CONDITIONS)),
        tickets_raised=Count("id", filter=Q(raised_ticket=True)),
    )
    checks_by_month = {
        r["month"].strftime("%Y-%m"): r
        for r in checks.annotate(month=TruncMonth("checked_at"))
        .values("month")
        .annotate(
            checks=Count("id"),
            problems=Count("id", filter=Q(condition__in=BAD_CONDITIONS)),
            tickets_raised=Count("id", filter=Q(raised_ticket=True)),
        )
    }
    posts = visible_to(Post, user).filter(published_on__gte=start, published_on__lte=end).order_by()
    post_totals = posts.aggregate(posts=Count("id"), views=Coalesce(Sum("views"), 0))
    labels_channel = dict(Post.Channel.choices)
    posts_by_channel = [
        {
            "channel": r["channel"],
            "label": str(labels_channel.get(r["channel"], r["channel"])),
            "posts": r["posts"],
            "views": r["views"] or 0,
        }
        for r in posts.values("channel").annotate(posts=Count("id"), views=Sum("views")).order_by("channel")
    ]
    posts_by_month = {
        r["month"].strftime("%Y-%m"): r
        for r in posts.annotate(month=TruncMonth("published_on"))
        .values("month")
        .annotate(posts=Count("id"), views=Sum("views"))
    }
    printed = visible_to(PrintedMaterial, user).filter(handed_out_on__gte=start, handed_out_on__lte=end).order_by()
    labels_printed = dict(PrintedMaterial.Kind.choices)
    printed_by_kind = [
        {"kind": r["kind"], "label": str(labels_printed.get(r["kind"], r["kind"])), "quantity": r["quantity"] or 0}
        for r in printed.values("kind").annotate(quantity=Sum("quantity")).order_by("kind")
    ]
    events = (
        visible_to(ThemeEvent, user)
        .filter(held_on__gte=start, held_on__lte=end)
        .aggregate(events=Count("id"), participants=Coalesce(Sum("participants"), 0))
    )
    by_month = []
    for month in sorted(set(checks_by_month) | set(posts_by_month)):
        c, p = checks_by_month.get(month, {}), posts_by_month.get(month, {})
        by_month.append(
            {
                "month": month,
                "checks": c.get("checks", 0),
                "problems": c.get("problems", 0),
                "tickets_raised": c.get("tickets_raised", 0),
                "posts": p.get("posts", 0),
                "views": p.get("views") or 0,
            }
        )
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "assets": {
            "total": totals["assets"],
            "quantity": totals["quantity"],
            "bad": totals["bad"],
            "by_kind": by_kind,
            "by_region": by_region,
            "by_condition": by_condition,
        },
        "checks": {
            "checks": check_totals["checks"],
            "problems": check_totals["problems"],
            "tickets_raised": check_totals["tickets_raised"],
        },
        "posts": {"posts": post_totals["posts"], "views": post_totals["views"], "by_channel": posts_by_channel},
        "printed": {"quantity": sum(r["quantity"] for r in printed_by_kind), "by_kind": printed_by_kind},
        "events": {"events": events["events"], "participants": events["participants"]},
        "by_month": by_month,
    }
