"""The responsibility list (任务分解表 / 责任清单)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .system import EvaluationItem, Method


class Responsibility(models.Model):
    """One row of the responsibility list (任务分解表 / 责任清单): who owes what for a standard, by when."""

    standard = models.ForeignKey(
        EvaluationItem,
        verbose_name=_("standard"),
        on_delete=models.PROTECT,
        related_name="responsibilities",
        limit_choices_to={"level": EvaluationItem.Level.STANDARD},
    )
    lead_unit = models.ForeignKey(
        "campaign.Unit", verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="led_responsibilities"
    )
    units = models.ManyToManyField(
        "campaign.Unit", verbose_name=_("responsible units"), blank=True, related_name="responsibilities"
    )
    task = models.TextField(_("task"))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # 销号: the office marks a duty done (dynamic: it can be reopened).
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibility list")
        ordering = ["standard__sort_order", "standard__code", "sort_order", "id"]
        indexes = [models.Index(fields=["lead_unit", "standard"])]

    def __str__(self):
        return f"{self.standard.code} {self.task[:40]}"
