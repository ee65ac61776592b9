"""Every write of the publicity app. The look-back check (回头看) is the heart: a bad condition raises one ticket
through inspections.tickets.services.ticket_report, and a second check while that ticket is open joins it instead."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaign.models import Region, Unit
from core.exceptions import NotInScope, NotPermitted
from core.files import random_name

from .models import BAD_CONDITIONS, Asset, AssetCheck, AssetPhoto, Condition, Post, PrintedMaterial, ThemeEvent
from .selectors import assets_visible_to, can_check_assets

DAMAGE_CATEGORY_CODE = "publicity_damage"


def _require_office(actor):
    if not (actor and actor.is_authenticated and actor.is_office):
        raise NotPermitted(_("Only campaign office staff may do this."))


def damage_category():
    """The problem category of damaged publicity (公益广告/宣传设施破损), created on first use."""
    from inspections.models import Category

    category, _created = Category.objects.get_or_create(
        code=DAMAGE_CATEGORY_CODE,
        defaults={
            "name": "公益广告/宣传设施破损",
            "group": Category.Group.PUBLICITY,
            "severity": Category.Severity.MEDIUM,
            "deadline_working_days": 3,
        },
    )
    return category


def _save_photos(*, asset, files, asset_check=None):
    """Store photos prepared by inspections.tickets.photos.validate_photos (core.files): only the re-encoded JPEG is
    kept, under a random name; never the client's bytes or the client's file name."""
    from inspections.tickets.photos import validate_photos

    for image in validate_photos(files):
        photo = AssetPhoto(asset=asset, asset_check=asset_check)
        photo.image.save(random_name(image.extension), image.content_file(), save=False)
        photo.save()


# --- Assets -----------------------------------------------------------------------------------------------


def _next_code() -> str:
    last = Asset.objects.filter(code__startswith="XC-").order_by("-code").values_list("code", flat=True).first()
    number = int(last[3:]) + 1 if last and last[3:].isdigit() else 1
    return f"XC-{number:06d}"


def _clean_asset(
    *,
    kind: str,
    theme: str,
    site,
    lat: float | None,
    lng: float | None,
    address: str,
    region: Region | None,
    unit: Unit | None,
    quantity: int | None,
    code: str,
    exclude_pk=None,
    require_code: bool = False,
) -> dict:
    """The one validation of an asset's description (create and update alike). Returns the values to store: a
    site supplies the region, unit and position not given. Raises ValidationError({field: message})."""
    errors = {}
    if kind not in Asset.Kind.values:
        errors["kind"] = _("Choose the type of asset.")
    theme = (theme or "").strip()
    if not theme:
        errors["theme"] = _("Enter the theme.")
    if site is not None:
        region = region or site.region
        unit = unit or site.unit
        if lat is None and lng is None:
            lat, lng = site.lat, site.lng
    elif lat is None or lng is None:
        errors["site"] = _("Choose a site, or give the position (latitude and longitude) and the address.")
    if lat is not None and lng is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        errors["lat"] = _("This position is not on the map.")
    if region is None:
        errors["region"] = _("Choose the region.")
    if unit is None:
        errors["unit"] = _("Choose the responsible unit.")
    if quantity is None or quantity < 1:
        errors["quantity"] = _("The quantity must be at least 1.")
    code = (code or "").strip()
    if require_code and not code:
        errors["code"] = _("Enter the code.")
    elif code and Asset.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        errors["code"] = _("An asset with this code already exists.")
    if errors:
        raise ValidationError(errors)
    return {
        "code": code,
        "kind": kind,
        "theme": theme,
        "site": site,
        "lat": lat,
        "lng": lng,
        "address": (address or "").strip(),
        "region": region,
        "unit": unit,
        "quantity": quantity,
    }


@transaction.atomic
def asset_create(
    *,
    actor,
    kind: str,
    theme: str,
    region: Region | None = None,
    unit: Unit | None = None,
    site=None,
    lat: float | None = None,
    lng: float | None = None,
    address: str = "",
    quantity: int = 1,
    installed_on: date | None = None,
    code: str = "",
    photos=(),
) -> Asset:
    from inspections.tickets.photos import validate_photos

    _require_office(actor)
    values = _clean_asset(
        kind=kind,
        theme=theme,
        site=site,
        lat=lat,
        lng=lng,
        address=address,
        region=region,
        unit=unit,
        quantity=quantity,
        code=code,
    )
    photos = validate_photos(photos)
    asset = Asset(**values, installed_on=installed_on)
    asset.code = asset.code or _next_code()
    asset._history_user = actor  # the history row names the actor also outside a request (API token, shell)
    asset.save()
    _save_photos(asset=asset, files=photos)
    return asset


class _Unchanged:
    """The default of asset_update's arguments: the field is not being changed."""

    def __repr__(self):
        return "UNCHANGED"


UNCHANGED = _Unchanged()

# What asset_update may change. Condition, last check and open ticket are not here: look-back checks and the
# closing of tickets keep them.
ASSET_EDITABLE_FIELDS = (
    "code",
    "kind",
    "theme",
    "site",
    "address",
    "lat",
    "lng",
    "region",
    "quantity",
    "unit",
    "installed_on",
)


@transaction.atomic
def asset_update(
    *,
    actor,
    asset: Asset,
    code: str | _Unchanged = UNCHANGED,
    kind: str | _Unchanged = UNCHANGED,
    theme: str | _Unchanged = UNCHANGED,
    site=UNCHANGED,
    address: str | _Unchanged = UNCHANGED,
    lat: float | None | _Unchanged = UNCHANGED,
    lng: float | None | _Unchanged = UNCHANGED,
    region: Region | None | _Unchanged = UNCHANGED,
    unit: Unit | None | _Unchanged = UNCHANGED,
    quantity: int | _Unchanged = UNCHANGED,
    installed_on: date | None | _Unchanged = UNCHANGED,
) -> Asset:
    """Change an asset's description; only the arguments given change (the others keep their value), with the
    same rules as asset_create. Moving the asset to another site moves its region, unit and position to the
    site's unless they are given too; None for region, unit or the position means "the site's". Saves only the
    fields that changed and records them in the asset's history; changing nothing writes nothing."""
    _require_office(actor)
    given = {
        name: value
        for name, value in {
            "code": code,
            "kind": kind,
            "theme": theme,
            "site": site,
            "address": address,
            "lat": lat,
            "lng": lng,
            "region": region,
            "quantity": quantity,
            "unit": unit,
            "installed_on": installed_on,
        }.items()
        if value is not UNCHANGED
    }
    asset = Asset.objects.select_for_update(of=("self",)).select_related("site", "region", "unit").get(pk=asset.pk)
    new_site = given.get("site", asset.site)
    if new_site is not None and new_site != asset.site:
        for name in ("region", "unit"):
            given.setdefault(name, None)
        if "lat" not in given and "lng" not in given:
            given["lat"] = given["lng"] = None
    values = {name: given.get(name, getattr(asset, name)) for name in ASSET_EDITABLE_FIELDS}
    installed_on = values.pop("installed_on")
    values = _clean_asset(**values, exclude_pk=asset.pk, require_code=True)
    values["installed_on"] = installed_on
    changed = [name for name in ASSET_EDITABLE_FIELDS if getattr(asset, name) != values[name]]
    if not changed:
        return asset
    for name in changed:
        setattr(asset, name, values[name])
    asset._history_user = actor
    asset.save(update_fields=changed)
    return asset


@transaction.atomic
def asset_check_record(*, actor, asset: Asset, condition: str, note: str = "", photos=()) -> AssetCheck:
    """Record a look-back check. A damaged, faded, outdated or missing asset raises a ticket (category
    publicity_damage, to the asset's responsible unit, at its site) — unless the ticket raised earlier for it is
    still open, in which case the check joins that ticket. The asset takes the checked condition."""
    from inspections.models import Ticket
    from inspections.tickets.photos import validate_photos
    from inspections.tickets.services import ticket_report

    if not can_check_assets(actor):
        raise NotPermitted(_("Your role does not allow look-back checks."))
    if not assets_visible_to(actor).filter(pk=asset.pk).exists():
        raise NotInScope(_("This asset does not exist or is not yours to check."))
    if condition not in Condition.values:
        raise ValidationError({"condition": _("Choose the condition.")})
    note = (note or "").strip()
    photos = validate_photos(photos)
    asset = (
        Asset.objects.select_for_update(of=("self",))
        .select_related("site", "unit", "region", "open_ticket")
        .get(pk=asset.pk)
    )
    now = timezone.now()
    check = AssetCheck.objects.create(asset=asset, checked_by=actor, checked_at=now, condition=condition, note=note)
    _save_photos(asset=asset, files=photos, asset_check=check)
    fields = ["condition", "last_checked_at"]
    if condition in BAD_CONDITIONS:
        open_ticket = (
            asset.open_ticket if asset.open_ticket_id and asset.open_ticket.status in Ticket.OPEN_STATUSES else None
        )
        if open_ticket is None:
            with translation.override(settings.LANGUAGE_CODE):
                description = _(
                    "Look-back check of publicity asset %(code)s (%(kind)s, “%(theme)s”): %(condition)s."
                ) % {
                    "code": asset.code,
                    "kind": asset.get_kind_display(),
                    "theme": asset.theme,
                    "condition": Condition(condition).label,
                }
                if note:
                    description = f"{description} {note}"
            lat, lng = (asset.lat, asset.lng) if asset.lat is not None and asset.lng is not None else (None, None)
            open_ticket = ticket_report(
                actor=actor,
                category=damage_category(),
                description=description,
                source=Ticket.Source.PUBLICITY_CHECK,
                site=asset.site,
                unit=asset.unit,
                region=asset.region,
                lat=lat,
                lng=lng,
                photos=photos,
            )
            check.raised_ticket = True
            asset.open_ticket = open_ticket
            fields.append("open_ticket")
        check.ticket = open_ticket
        check.save(update_fields=["ticket", "raised_ticket"])
    asset.condition, asset.last_checked_at = condition, now
    asset.skip_history_when_saving = True  # condition, last check and open ticket are not in the asset's history
    asset.save(update_fields=fields)
    del asset.skip_history_when_saving
    return check


def on_ticket_closed(sender, ticket, **kwargs):
    """inspections.signals.ticket_closed: the asset whose problem the ticket was is good again."""
    Asset.objects.filter(open_ticket_id=ticket.pk).update(condition=Condition.GOOD, open_ticket=None)


# --- Posts, printed materials, theme events ---------------------------------------------------------------


@transaction.atomic
def post_create(*, actor, channel: str, title: str, published_on: date, url: str = "", views: int = 0) -> Post:
    _require_office(actor)
    errors = {}
    if channel not in Post.Channel.values:
        errors["channel"] = _("Choose the channel.")
    if not (title or "").strip():
        errors["title"] = _("Enter the title.")
    if views is None or views < 0:
        errors["views"] = _("Views cannot be negative.")
    if errors:
        raise ValidationError(errors)
    return Post.objects.create(
        channel=channel, title=title.strip(), url=url, published_on=published_on, views=views, created_by=actor
    )


@transaction.atomic
def post_update_views(*, actor, post: Post, views: int) -> Post:
    _require_office(actor)
    if views is None or views < 0:
        raise ValidationError({"views": _("Views cannot be negative.")})
    post = Post.objects.select_for_update().get(pk=post.pk)
    post.views = views
    post.save(update_fields=["views"])
    return post


@transaction.atomic
def printed_material_record(
    *, actor, kind: str, quantity: int, region: Region, handed_out_on: date, note: str = ""
) -> PrintedMaterial:
    _require_office(actor)
    if kind not in PrintedMaterial.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of material.")})
    if not quantity or quantity < 1:
        raise ValidationError({"quantity": _("The quantity must be at least 1.")})
    return PrintedMaterial.objects.create(
        kind=kind, quantity=quantity, region=region, handed_out_on=handed_out_on, note=note
    )


@transaction.atomic
def theme_event_record(
    *,
    actor,
    title: str,
    held_on: date,
    region: Region | None = None,
    place: str = "",
    participants: int = 0,
    description: str = "",
) -> ThemeEvent:
    _require_office(actor)
    if not (title or "").strip():
        raise ValidationError({"title": _("Enter the title.")})
    return ThemeEvent.objects.create(
        title=title.strip(),
        held_on=held_on,
        region=region,
        place=place,
        participants=participants or 0,
        description=description,
    )
