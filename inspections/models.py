"""Sites, the evaluation system, problem categories and tickets: the shared contract of every app.

Patrols, visits, checklist results, extensions and supervision orders are added beside these.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
        "campaign.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    unit = models.ForeignKey(
        "campaign.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    standard = models.ForeignKey(
        EvaluationItem,
        verbose_name=_("evaluation standard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        on_delete=models.PROTECT,
        related_name="reported_tickets",
    )
    patrol_visit = models.ForeignKey(
        "PatrolVisit",
        verbose_name=_("patrol visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
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
        "self",
        verbose_name=_("recurrence of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recurrences",
    )
    created_at = models.DateTimeField(_("reported at"), db_index=True)
    # Filing (受理) is the office accepting the report; it happens on its own or on the way to dispatch.
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
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
            models.Index(fields=["-created_at", "-id"], name="ticket_list_order"),
            models.Index(fields=["site", "status"], name="ticket_site_status"),
            # Lists of open tickets (the daily work: open, overdue, a unit's inbox), newest first.
            models.Index(
                fields=["-created_at", "-id"],
                name="ticket_open_recent",
                condition=models.Q(status__in=["reported", "dispatched", "rectifying", "submitted"]),
            ),
        ]

    def __str__(self):
        return self.number


class SerialCounter(models.Model):
    """The last serial number handed out per kind and year (tickets 2026-000123, supervision orders …).
    Incremented with one INSERT … ON CONFLICT DO UPDATE … RETURNING, so concurrent reports never collide."""

    kind = models.CharField(_("kind"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("serial counter")
        verbose_name_plural = _("serial counters")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="one_counter_per_kind_and_year")]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.last}"


class TicketEvent(models.Model):
    """One change to a ticket: who, when, what, note, and the photos that came with it. Never deleted."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="ticket_events",
    )
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

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
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket photo")
        verbose_name_plural = _("ticket photos")
        ordering = ["created_at", "id"]


class ExtensionRequest(models.Model):
    """延期: a unit asks for a later deadline; the office decides. Old and new deadlines are kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="extension_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    old_deadline = models.DateField(_("old deadline"), null=True)
    requested_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=models.Q(status="pending"), name="one_pending_extension_per_ticket"
            )
        ]


class SupervisionOrder(models.Model):
    """提醒卡 / 督办单: issued by the escalation job; the colour grows with the days overdue."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="supervision_orders"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Ticket.Escalation.choices)
    number = models.CharField(_("number"), max_length=30, unique=True)
    days_overdue = models.IntegerField(_("days overdue"), default=0)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["ticket", "level"], name="one_order_per_level")]


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
        Ticket,
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
