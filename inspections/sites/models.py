"""Site types, sites, problem categories, patrols, their site visits and checklist results."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluation.models import EvaluationItem


class SiteType(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    code = models.CharField(_("code"), max_length=40, unique=True)
    standards = models.ManyToManyField(
        EvaluationItem,
        verbose_name=_("checklist"),
        blank=True,
        related_name="site_types",
        limit_choices_to={"level": EvaluationItem.Level.STANDARD},
    )
    command_bodies = models.ManyToManyField(
        "campaign.CommandBody", verbose_name=_("command bodies in charge"), blank=True, related_name="scope_site_types"
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()  # who changed what (issue 9); the checklist itself is not versioned

    class Meta:
        verbose_name = _("site type")
        verbose_name_plural = _("site types")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Site(models.Model):
    """点位: one place that is inspected. Each has a QR code that opens it on a phone (一点一码)."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40, unique=True)
    site_type = models.ForeignKey(SiteType, verbose_name=_("site type"), on_delete=models.PROTECT, related_name="sites")
    region = models.ForeignKey(
        "campaign.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="sites"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    unit = models.ForeignKey(
        "campaign.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="sites"
    )
    is_key = models.BooleanField(_("key site"), default=False, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["code"]
        indexes = [models.Index(fields=["lat", "lng"])]

    def __str__(self):
        return self.name


class Category(models.Model):
    """A kind of problem, with a severity and a default deadline counted in Chinese working days."""

    class Group(models.TextChoices):
        ENGINEERING = "engineering", _("Engineering")
        CLEANUP = "cleanup", _("Clean-up")
        ENFORCEMENT = "enforcement", _("Enforcement")
        MANAGEMENT = "management", _("Management")
        EVERYDAY = "everyday", _("Everyday order")
        PUBLICITY = "publicity", _("Publicity")

    class Severity(models.TextChoices):
        LOW = "low", _("Minor")
        MEDIUM = "medium", _("Ordinary")
        HIGH = "high", _("Serious")

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("code"), max_length=40, unique=True)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    deadline_working_days = models.PositiveSmallIntegerField(_("deadline in working days"), default=3)
    command_bodies = models.ManyToManyField(
        "campaign.CommandBody", verbose_name=_("command bodies in charge"), blank=True, related_name="scope_categories"
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        ordering = ["group", "code"]

    def __str__(self):
        return self.name


class Patrol(models.Model):
    """巡查 / 督查: a visit to one or more sites by one or more people."""

    class Kind(models.TextChoices):
        LEADER_SPLIT = "leader_split", _("Level-1 leader patrol (split)")
        LEADER_JOINT = "leader_joint", _("Level-1 leader joint patrol")
        DEPARTMENT = "department", _("Level-2 department patrol")
        SELF_INSPECTION = "self_inspection", _("Level-3 self-inspection")
        SUPERVISION_GROUP = "supervision_group", _("Supervision-group inspection")
        SPECIAL = "special", _("Special inspection")
        UNANNOUNCED = "unannounced", _("Unannounced visit")
        VIDEO = "video", _("Video patrol")
        CITIZEN = "citizen", _("Citizen patrol")
        MOCK_EVALUATION = "mock_evaluation", _("Mock evaluation")

    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        FINISHED = "finished", _("Finished")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("led by"), on_delete=models.PROTECT, related_name="led_patrols"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="patrols"
    )
    command_body = models.ForeignKey(
        "campaign.CommandBody",
        verbose_name=_("command body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="patrols",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-started_at"]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} {self.started_at:%Y-%m-%d}"


class PatrolVisit(models.Model):
    """One site in a patrol: the check-in (distance to the site, flagged when too far) and the checklist."""

    patrol = models.ForeignKey(Patrol, verbose_name=_("patrol"), on_delete=models.PROTECT, related_name="visits")
    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="visits")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked in by"), on_delete=models.PROTECT, related_name="site_visits"
    )
    checked_in_at = models.DateTimeField(_("checked in at"), db_index=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    distance_m = models.FloatField(_("distance to site (m)"), null=True, blank=True)
    too_far = models.BooleanField(_("checked in too far away"), default=False)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        ordering = ["-checked_in_at"]
        indexes = [models.Index(fields=["visitor", "checked_in_at"])]


class ChecklistResult(models.Model):
    class Result(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")
        NOT_APPLICABLE = "na", _("Not applicable")

    visit = models.ForeignKey(PatrolVisit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="results")
    standard = models.ForeignKey(
        EvaluationItem, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="results"
    )
    result = models.CharField(_("result"), max_length=5, choices=Result.choices)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    ticket = models.OneToOneField(
        "Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checklist_result",
    )

    class Meta:
        verbose_name = _("checklist result")
        verbose_name_plural = _("checklist results")
        constraints = [models.UniqueConstraint(fields=["visit", "standard"], name="one_result_per_standard")]
