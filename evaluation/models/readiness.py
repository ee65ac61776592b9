"""Readiness (测评得分预估): the office's estimates for methods the app does not observe, and the predicted score kept
week by week so the trend shows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .system import EvaluationItem, Method


class ReadinessInput(models.Model):
    """The office's own estimate for a method the app does not observe (网络调查, 听取汇报): a share of the points."""

    standard = models.ForeignKey(
        EvaluationItem, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="readiness_inputs"
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    share = models.DecimalField(_("expected share of the points"), max_digits=5, decimal_places=4)
    note = models.TextField(_("note"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("readiness input")
        verbose_name_plural = _("readiness inputs")
        constraints = [
            models.UniqueConstraint(fields=["standard", "method"], name="readiness_input_unique"),
            models.CheckConstraint(condition=Q(share__gte=0, share__lte=1), name="readiness_input_share"),
        ]

    def __str__(self):
        return f"{self.standard.code} {self.get_method_display()} {self.share:.0%}"


class ReadinessSnapshot(models.Model):
    """The predicted score of one standard in one area (None: the whole city) for one week, kept so the trend shows."""

    week = models.DateField(_("week (Monday)"), db_index=True)
    standard = models.ForeignKey(
        EvaluationItem, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="readiness"
    )
    region = models.ForeignKey(
        "campaign.Region", verbose_name=_("area"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    share = models.DecimalField(_("predicted share"), max_digits=5, decimal_places=4)
    parts = models.JSONField(_("parts by method"), default=dict)  # {method: {"share": …, "n": …, "source": …}}
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("readiness snapshot")
        verbose_name_plural = _("readiness snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["week", "standard", "region"], name="readiness_week_unique", nulls_distinct=False
            )
        ]

    def __str__(self):
        return f"{self.week} {self.standard.code} {self.share:.0%}"
