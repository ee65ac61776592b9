"""Sites, the evaluation system, problem categories and tickets: the shared contract of every app.

Patrols, visits, checklist results, extensions and supervision orders are added beside these.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationItem(models.Model):
    """测评体系: a tree of 测评项目 (project) → 测评内容 (content) → 测评标准 (standard)."""

    class Level(models.TextChoices):
        PROJECT = "project", _("Evaluation project")
        CONTENT = "content", _("Evaluation content")
        STANDARD = "standard", _("Evaluation standard")

    class Method(models.TextChoices):
        FIELD = "field", _("Field inspection")
        QUESTIONNAIRE = "questionnaire", _("Questionnaire")
        MATERIAL = "material", _("Material review")

    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    code = models.CharField(_("code"), max_length=40, unique=True)
    text = models.TextField(_("text"))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=6, decimal_places=2, null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("evaluation item")
        verbose_name_plural = _("evaluation items")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.code} {self.text[:40]}"


class SiteType(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    code = models.CharField(_("code"), max_length=40, unique=True)
    standards = models.ManyToManyField(
        EvaluationItem, verbose_name=_("checklist"), blank=True, related_name="site_types",
        limit_choices_to={"level": EvaluationItem.Level.STANDARD},
    )
    command_bodies = models.ManyToManyField(
        "campaign.CommandBody", verbose_name=_("command bodies in charge"), blank=True, related_name="scope_site_types"
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

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
    region = models.ForeignKey("campaign.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="sites")
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    unit = models.ForeignKey(
        "campaign.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="sites"
    )
    is_key = models.BooleanField(_("key site"), default=False, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

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

    class Meta:
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        ordering = ["group", "code"]

    def __str__(self):
        return self.name


class Ticket(models.Model):
    """问题/案卷: one problem, from report to closure. Changed only through inspections.services."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        DISPATCHED = "dispatched", _("Dispatched")
        RECTIFYING = "rectifying", _("Rectifying")
        SUBMITTED = "submitted", _("Awaiting verification")
        CLOSED = "closed", _("Closed")
        INVALID = "invalid", _("Invalid")

    class Source(models.TextChoices):
        PATROL = "patrol", _("Patrol")
        SELF_INSPECTION = "self_inspection", _("Self-inspection")
        CITIZEN = "citizen", _("Citizen report")
        MOCK_EVALUATION = "mock_evaluation", _("Mock evaluation")
        LEADER = "leader", _("Leader")
        HOTLINE = "hotline", _("Hotline")
        PUBLICITY_CHECK = "publicity_check", _("Publicity look-back check")
        OFFICE = "office", _("Campaign office")

    class Escalation(models.IntegerChoices):
        NONE = 0, _("None")
        REMINDED = 1, _("Reminder card")
        WHITE = 2, _("White supervision order")
        YELLOW = 3, _("Yellow supervision order")
        RED = 4, _("Red supervision order")

    OPEN_STATUSES = (Status.REPORTED, Status.DISPATCHED, Status.RECTIFYING, Status.SUBMITTED)

    number = models.CharField(_("number"), max_length=20, unique=True)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="tickets")
    description = models.TextField(_("description"))
    severity = models.CharField(_("severity"), max_length=10, choices=Category.Severity.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REPORTED)
    # Denormalised from the site when there is one, so scope and region filters need no join to sites.
    region = models.ForeignKey(
        "campaign.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    unit = models.ForeignKey(
        "campaign.Unit", verbose_name=_("responsible unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="tickets",
    )
    standard = models.ForeignKey(
        EvaluationItem, verbose_name=_("evaluation standard"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="tickets",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reporter"), null=True, on_delete=models.PROTECT,
        related_name="reported_tickets",
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    rework_count = models.PositiveSmallIntegerField(_("reworks"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("extensions"), default=0)
    escalation = models.PositiveSmallIntegerField(_("escalation"), choices=Escalation.choices, default=Escalation.NONE)
    fixed_on_spot = models.BooleanField(_("fixed on the spot"), default=False)
    is_recurrence = models.BooleanField(_("recurrence"), default=False)
    recurrence_of = models.ForeignKey(
        "self", verbose_name=_("recurrence of"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="recurrences",
    )
    created_at = models.DateTimeField(_("reported at"), db_index=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, db_index=True)
    closed_on_time = models.BooleanField(_("closed on time"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["region", "status"]),
            models.Index(fields=["site", "category", "closed_at"]),
        ]

    def __str__(self):
        return self.number


class TicketEvent(models.Model):
    """One change to a ticket: who, when, what, note, and the photos that came with it. Never deleted."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="ticket_events"
    )
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.ticket} {self.action}"


class TicketPhoto(models.Model):
    class Kind(models.TextChoices):
        BEFORE = "before", _("Before")
        AFTER = "after", _("After")

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="photos")
    event = models.ForeignKey(
        TicketEvent, verbose_name=_("event"), null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    image = models.ImageField(_("photo"), upload_to="tickets/%Y/%m/")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="tickets/thumbs/%Y/%m/", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ticket photo")
        verbose_name_plural = _("ticket photos")
        ordering = ["created_at", "id"]
