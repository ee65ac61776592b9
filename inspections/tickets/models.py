"""Problem tickets, their events, photos, extension requests, supervision orders and numbering."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluation.models import EvaluationItem
from inspections.sites.models import Category, Site


class Ticket(models.Model):
    """问题/案卷: one problem, from report to closure. Changed only through inspections.tickets.services."""

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
