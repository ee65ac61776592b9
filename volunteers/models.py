"""Volunteer teams, volunteers, activities with participants and hours, civilized-unit pairings, party
members reporting to communities and micro-wishes. Changed only through volunteers.services."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Team(models.Model):
    """志愿服务队; brand teams (品牌团队) such as 红小帽 are flagged."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_brand = models.BooleanField(_("brand team"), default=False, db_index=True)
    unit = models.ForeignKey(
        "campaign.Unit",
        verbose_name=_("organising unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
    )
    region = models.ForeignKey(
        "campaign.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
    )
    leader_name = models.CharField(_("team leader"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["-is_brand", "name"]

    def __str__(self):
        return self.name


class Volunteer(models.Model):
    """A registered volunteer. Phone and ID number are personal data: shown masked except to the office."""

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    phone = models.CharField(_("phone"), max_length=11, unique=True)
    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    region = models.ForeignKey(
        "campaign.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteers",
    )
    is_party_member = models.BooleanField(_("party member"), default=False)
    registered_on = models.DateField(_("registered on"), default=timezone.localdate, db_index=True)
    teams = models.ManyToManyField(Team, through="TeamMembership", related_name="volunteers", verbose_name=_("teams"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["-registered_on", "-id"]
        indexes = [
            models.Index(fields=["-registered_on", "-id"], name="volunteer_list_order"),
            models.Index(fields=["registered_on", "region"], name="volunteer_registered_region"),
        ]

    def __str__(self):
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships")
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.CASCADE, related_name="memberships"
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [models.UniqueConstraint(fields=["team", "volunteer"], name="one_membership_per_team")]
        indexes = [models.Index(fields=["joined_on", "team"], name="membership_by_date")]

    def __str__(self):
        return f"{self.team} · {self.volunteer}"


class Activity(models.Model):
    """志愿服务活动. `sign_in_token` is what the activity's QR code carries (a phone sign-in page)."""

    class Kind(models.TextChoices):
        PERSUASION = "persuasion", _("Civility persuasion")
        CLEANUP = "cleanup", _("Clean homes")
        POLICY = "policy", _("Policy publicity")
        VISIT = "visit", _("Visits and condolences")
        TRAFFIC = "traffic", _("Traffic guidance")
        ELDERLY = "elderly", _("Help for the elderly and children")
        ENVIRONMENT = "environment", _("Environmental protection")
        OTHER = "other", _("Other")

    theme = models.CharField(_("theme"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start_at = models.DateTimeField(_("starts at"))
    end_at = models.DateTimeField(_("ends at"))
    site = models.ForeignKey(
        "inspections.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_activities",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    region = models.ForeignKey(
        "campaign.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_activities",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("organising team"), on_delete=models.PROTECT, related_name="activities"
    )
    description = models.TextField(_("description"), blank=True)
    sign_in_token = models.CharField(_("sign-in code"), max_length=32, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["sign_in_token", "created_at"])

    class Meta:
        verbose_name = _("volunteer activity")
        verbose_name_plural = _("volunteer activities")
        ordering = ["-start_at", "-id"]
        indexes = [models.Index(fields=["-start_at", "-id"], name="activity_list_order")]

    def __str__(self):
        return self.theme

    @property
    def place(self):
        return self.site.name if self.site_id else self.address


class Participation(models.Model):
    """One volunteer in one activity (one 人次) with the hours served. `day`, `team` and `region` copy the activity's
    local start date, organising team and region (set by the services), so the period figures are index-only scans
    of one table instead of joins over a million rows."""

    class Source(models.TextChoices):
        QR = "qr", _("QR sign-in")
        ORGANISER = "organiser", _("Added by the organiser")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="participations"
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="participations"
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=0)
    day = models.DateField(_("date"))
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="+", db_index=False)
    region = models.ForeignKey(
        "campaign.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ORGANISER)
    signed_in_at = models.DateTimeField(_("signed in at"), default=timezone.now)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["signed_in_at", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "volunteer"], name="one_participation_per_activity")]
        indexes = [
            # Every period figure is an index-only scan over `day` (a composite key rather than INCLUDE columns,
            # so SQLite — `make run` — builds it too).
            models.Index(fields=["day", "volunteer", "team", "region", "hours"], name="participation_period"),
        ]

    def __str__(self):
        return f"{self.activity} · {self.volunteer}"


class PeriodTally(models.Model):
    """The volunteer figures of one calendar period (month, quarter or year), in total or for one team or region,
    kept up to date by the participation services (volunteers.tally) so that the figures of a period are a
    read of a few hundred rows instead of a COUNT(DISTINCT) over a million participations. `key` is the team or
    region id (0: the total, or no region). `volunteers.tally.rebuild` recomputes every row from the participations
    (nightly, and after bulk loads)."""

    class Kind(models.TextChoices):
        MONTH = "M", _("month")
        QUARTER = "Q", _("quarter")
        YEAR = "Y", _("year")

    class Dimension(models.TextChoices):
        ALL = "all", _("total")
        TEAM = "team", _("team")
        REGION = "region", _("region")

    kind = models.CharField(_("kind of period"), max_length=1, choices=Kind.choices)
    period_start = models.DateField(_("period start"))
    dimension = models.CharField(_("dimension"), max_length=6, choices=Dimension.choices)
    key = models.BigIntegerField(_("team or region"), default=0)
    active = models.IntegerField(_("active volunteers"), default=0)
    person_times = models.IntegerField(_("person-times"), default=0)
    hours = models.DecimalField(_("service hours"), max_digits=12, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("period tally")
        verbose_name_plural = _("period tallies")
        constraints = [
            models.UniqueConstraint(fields=["kind", "period_start", "dimension", "key"], name="one_tally_per_cell"),
        ]

    def __str__(self):
        return f"{self.kind} {self.period_start} {self.dimension} {self.key}"


class Pairing(models.Model):
    """结对共建: a civilized unit paired with a community (a level-4 region)."""

    unit = models.ForeignKey(
        "campaign.Unit", verbose_name=_("civilized unit"), on_delete=models.PROTECT, related_name="pairings"
    )
    community = models.ForeignKey(
        "campaign.Region", verbose_name=_("community"), on_delete=models.PROTECT, related_name="pairings"
    )
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    content = models.TextField(_("what the pairing covers"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-start_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "community"], name="one_pairing_per_unit_and_community")]

    def __str__(self):
        return f"{self.unit} · {self.community}"


class JointActivity(models.Model):
    """An activity the paired unit and community held together."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="joint_activities"
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    participants = models.PositiveIntegerField(_("participants"), default=0)
    content = models.TextField(_("content"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("joint activity")
        verbose_name_plural = _("joint activities")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title


class PartyReport(models.Model):
    """在职党员到社区报到: a party member's service in a community for one month."""

    member = models.ForeignKey(
        Volunteer, verbose_name=_("party member"), on_delete=models.PROTECT, related_name="party_reports"
    )
    community = models.ForeignKey(
        "campaign.Region", verbose_name=_("community"), on_delete=models.PROTECT, related_name="party_reports"
    )
    month = models.DateField(_("month"))
    service = models.TextField(_("service done"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=0)
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        verbose_name = _("party member report")
        verbose_name_plural = _("party member reports")
        ordering = ["-month", "-id"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="one_party_report_per_month")]

    def __str__(self):
        return f"{self.member} {self.month:%Y-%m}"


class MicroWish(models.Model):
    """微心愿: posted by a resident for a community → claimed by a volunteer or a unit → fulfilled (photo)."""

    class Status(models.TextChoices):
        POSTED = "posted", _("Posted")
        CLAIMED = "claimed", _("Claimed")
        FULFILLED = "fulfilled", _("Fulfilled")

    community = models.ForeignKey(
        "campaign.Region", verbose_name=_("community"), on_delete=models.PROTECT, related_name="micro_wishes"
    )
    resident_name = models.CharField(_("resident"), max_length=50)
    resident_phone = models.CharField(_("resident's phone"), max_length=11, blank=True)
    title = models.CharField(_("wish"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.POSTED, db_index=True)
    claimed_by_volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("claimed by volunteer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claimed_wishes",
    )
    claimed_by_unit = models.ForeignKey(
        "campaign.Unit",
        verbose_name=_("claimed by unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claimed_wishes",
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)
    fulfilment_photo = models.ImageField(_("fulfilment photo"), upload_to="micro-wishes/%Y/%m/", blank=True)
    fulfilment_note = models.TextField(_("fulfilment note"), blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now)

    class Meta:
        verbose_name = _("micro-wish")
        verbose_name_plural = _("micro-wishes")
        ordering = ["-posted_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def claimer(self):
        return self.claimed_by_volunteer or self.claimed_by_unit
