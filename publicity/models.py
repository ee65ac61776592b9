"""Publicity assets (宣传阵地) and their look-back checks (回头看), online posts, printed materials and theme
events. Changed only through publicity.services."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Condition(models.TextChoices):
    GOOD = "good", _("Good")
    DAMAGED = "damaged", _("Damaged")
    FADED = "faded", _("Faded")
    OUTDATED = "outdated", _("Outdated")
    MISSING = "missing", pgettext_lazy("condition", "Missing")


BAD_CONDITIONS = (Condition.DAMAGED, Condition.FADED, Condition.OUTDATED, Condition.MISSING)


class Asset(models.Model):
    class Kind(models.TextChoices):
        BILLBOARD = "billboard", _("Large billboard")
        BULLETIN_BOARD = "bulletin_board", _("Bulletin board")
        LED_SCREEN = "led_screen", _("LED screen")
        DISPLAY_BOARD = "display_board", _("Display board")
        FLAG = "flag", _("Flag")
        FLOWER_SIGN = "flower_sign", _("Flower and grass sign")
        LANDSCAPE = "landscape", _("Landscape piece")
        PUBLIC_AD = "public_ad", _("Public-service ad")
        HOARDING_AD = "hoarding_ad", _("Public-service ad on a construction hoarding")
        POSTER = "poster", _("Poster")
        PAINTED_WALL = "painted_wall", _("Painted wall")

    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, db_index=True)
    theme = models.CharField(_("theme"), max_length=200)
    site = models.ForeignKey(
        "inspections.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publicity_assets",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    region = models.ForeignKey(
        "campaign.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="publicity_assets"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit = models.ForeignKey(
        "campaign.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="publicity_assets"
    )
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, default=Condition.GOOD, db_index=True
    )
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("last checked at"), null=True, blank=True)
    # The ticket raised for the asset's current problem; a second check while it is open links to it.
    open_ticket = models.ForeignKey(
        "inspections.Ticket",
        verbose_name=_("open ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    # Who changed the asset's description, when, and what (publicity.services.asset_create / asset_update).
    # Condition, last check and open ticket are not tracked here: they are the look-back checks' record
    # (AssetCheck rows) and the tickets' events, and closing a ticket resets them with a queryset update.
    history = HistoricalRecords(excluded_fields=["condition", "last_checked_at", "open_ticket"])

    class Meta:
        verbose_name = _("publicity asset")
        verbose_name_plural = _("publicity assets")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["unit", "code"], name="asset_unit_code"),
            models.Index(fields=["region", "last_checked_at"], name="asset_route"),
        ]

    def __str__(self):
        return f"{self.code} {self.theme}"

    @property
    def place(self):
        return self.site.name if self.site_id else self.address

    @property
    def point(self):
        if self.lat is not None and self.lng is not None:
            return self.lat, self.lng
        if self.site_id and self.site.lat is not None:
            return self.site.lat, self.site.lng
        return None


class AssetCheck(models.Model):
    """One look-back check (回头看) of an asset. `ticket` is the ticket raised by it or the open one it joined."""

    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="checks")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="asset_checks"
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now, db_index=True)
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices)
    note = models.TextField(_("note"), blank=True)
    ticket = models.ForeignKey(
        "inspections.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="asset_checks",
    )
    raised_ticket = models.BooleanField(_("raised the ticket"), default=False)

    class Meta:
        verbose_name = _("asset check")
        verbose_name_plural = _("asset checks")
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["asset", "-checked_at"], name="asset_check_history")]

    def __str__(self):
        return f"{self.asset.code} {self.checked_at:%Y-%m-%d}"


class AssetPhoto(models.Model):
    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.CASCADE, related_name="photos")
    asset_check = models.ForeignKey(
        AssetCheck, verbose_name=_("check"), null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to="publicity/%Y/%m/")
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("asset photo")
        verbose_name_plural = _("asset photos")
        ordering = ["-created_at", "-id"]


class Post(models.Model):
    class Channel(models.TextChoices):
        MEDIA_CENTRE = "media_centre", _("Media centre")
        WECHAT = "wechat", _("WeChat")
        DOUYIN = "douyin", _("Douyin")
        WEIBO = "weibo", _("Weibo")

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    published_on = models.DateField(_("published on"), db_index=True)
    views = models.PositiveIntegerField(_("views"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("online post")
        verbose_name_plural = _("online posts")
        ordering = ["-published_on", "-id"]

    def __str__(self):
        return self.title


class PrintedMaterial(models.Model):
    class Kind(models.TextChoices):
        LEAFLET = "leaflet", _("Leaflet")
        HOUSEHOLD_KIT = "household_kit", _("Household kit")
        BOOKLET = "booklet", _("Booklet")
        POSTER = "poster", _("Poster")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    region = models.ForeignKey(
        "campaign.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="printed_materials"
    )
    handed_out_on = models.DateField(_("handed out on"), db_index=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("printed material")
        verbose_name_plural = _("printed materials")
        ordering = ["-handed_out_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} × {self.quantity}"


class ThemeEvent(models.Model):
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"), db_index=True)
    region = models.ForeignKey(
        "campaign.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="theme_events",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("theme event")
        verbose_name_plural = _("theme events")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title
