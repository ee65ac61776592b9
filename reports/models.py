"""Bulletins (通报): a generated document is a row with a status, a file, the figures it shows and events.

Numbering (第N期) is per kind and year; regenerating a period makes a new *revision* of the same number, so a
published revision is never overwritten. See reports.services.bulletin_request for the exact rule.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def default_issuing_body():
    return settings.CAMPAIGN_ISSUING_BODY


class Bulletin(models.Model):
    class Kind(models.TextChoices):
        DAILY = "daily", _("Daily report")
        WEEKLY = "weekly", _("Weekly bulletin")
        MONTHLY = "monthly", _("Monthly review")
        SPECIAL = "special", _("Special report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        GENERATING = "generating", _("Generating")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("issue number"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    issuing_body = models.CharField(_("issuing body"), max_length=200, default=default_issuing_body)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    distribution = models.TextField(_("distribution list"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True)
    failure_reason = models.TextField(_("failure reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    pdf = models.FileField(_("PDF"), upload_to="bulletins/%Y/", blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("generation started at"), null=True, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-period_start", "-number", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "number", "revision"], name="bulletin_unique_revision"),
            # One record per revision of a scheduled period: two jobs for one period cannot make two numbers.
            models.UniqueConstraint(
                fields=["kind", "period_start", "revision"],
                condition=~models.Q(kind="special"),
                name="bulletin_unique_period_revision",
            ),
        ]
        indexes = [models.Index(fields=["status", "started_at"], name="bulletin_status_started")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}-{self.number}"

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def is_in_progress(self):
        return self.status in (self.Status.QUEUED, self.Status.GENERATING)


class BulletinEvent(models.Model):
    """One change to a bulletin: requested, started, generated, failed, requeued, retried, published."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        STARTED = "started", _("Generation started")
        GENERATED = "generated", _("Generated")
        FAILED = "failed", _("Failed")
        REQUEUED = "requeued", _("Queued again automatically")
        RETRIED = "retried", _("Retried")
        PUBLISHED = "published", _("Published")

    bulletin = models.ForeignKey(Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("bulletin event")
        verbose_name_plural = _("bulletin events")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.bulletin} {self.action}"
