"""The evaluation system (测评体系): projects → contents → standards, their collection methods and points."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class EvaluationItem(models.Model):
    """测评体系: a tree of 测评项目 (project) → 测评内容 (content) → 测评标准 (standard).

    Moved from inspections (migration evaluation 0001/0002 keeps the rows and their ids)."""

    class Level(models.TextChoices):
        PROJECT = "project", _("Evaluation project")
        CONTENT = "content", _("Evaluation content")
        STANDARD = "standard", _("Evaluation standard")

    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    code = models.CharField(_("code"), max_length=40, unique=True)
    text = models.TextField(_("text"))
    # The standard's points (分值); a project's or content's is the sum of its standards' (selectors).
    max_score = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation item")
        verbose_name_plural = _("evaluation items")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.code} {self.text[:40]}"

    @property
    def points(self):
        return self.max_score


class Method(models.TextChoices):
    """How the evaluators collect a standard's evidence (测评方法)."""

    FIELD = "field", _("Field inspection")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")
    MATERIAL = "material", _("Material review")
    ONLINE = "online", _("Online survey")
    BRIEFING = "briefing", _("Briefing")
    OBSERVATION = "observation", _("Overall observation")


class StandardMethod(models.Model):
    """One collection method of one standard (a standard may have several: 实地考察 + 材料审核)."""

    standard = models.ForeignKey(
        EvaluationItem, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="methods"
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)

    class Meta:
        verbose_name = _("collection method")
        verbose_name_plural = _("collection methods")
        ordering = ["standard", "method"]
        constraints = [models.UniqueConstraint(fields=["standard", "method"], name="standard_method_unique")]
        indexes = [models.Index(fields=["method", "standard"])]

    def __str__(self):
        return self.get_method_display()
