"""Material review (材料申报与审核): requirements, submissions in versions, their files and events, review bodies and
the exported package."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .system import EvaluationItem


class MaterialReviewBody(models.Model):
    """A command body given the material-review scope (材料申报指导督导组): its members review submissions of the
    standards under its projects (all projects when none is named), beside the office."""

    command_body = models.OneToOneField(
        "campaign.CommandBody",
        verbose_name=_("command body"),
        on_delete=models.CASCADE,
        related_name="material_review",
    )
    projects = models.ManyToManyField(
        EvaluationItem,
        verbose_name=_("evaluation projects"),
        blank=True,
        related_name="+",
        limit_choices_to={"level": EvaluationItem.Level.PROJECT},
    )
    history = HistoricalRecords(m2m_fields=[projects])

    class Meta:
        verbose_name = _("material review body")
        verbose_name_plural = _("material review bodies")

    def __str__(self):
        return str(self.command_body)


class MaterialRequirement(models.Model):
    """What must be submitted for a standard checked by material: the kind, the evidence window, the due date and
    the units that submit."""

    class Kind(models.TextChoices):
        POLICY = "policy", _("Policy document")
        EXPLANATION = "explanation", _("Explanation")
        PHOTOS = "photos", _("On-site photos")
        STATISTICS = "statistics", _("Statistics table")
        OTHER = "other", _("Other")

    standard = models.ForeignKey(
        EvaluationItem,
        verbose_name=_("standard"),
        on_delete=models.PROTECT,
        related_name="material_requirements",
        limit_choices_to={"level": EvaluationItem.Level.STANDARD},
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    window_start = models.DateField(_("evidence from"))
    window_end = models.DateField(_("evidence until"))
    due_date = models.DateField(_("due date"), db_index=True)
    units = models.ManyToManyField(
        "campaign.Unit", verbose_name=_("submitting units"), related_name="material_requirements"
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = _("material requirement")
        verbose_name_plural = _("material requirements")
        ordering = ["standard__sort_order", "standard__code", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(window_start__lte=models.F("window_end")), name="requirement_window"),
        ]

    def __str__(self):
        return self.title


class MaterialSubmission(models.Model):
    """One version of one unit's evidence for one requirement. A returned version stays as it was; the unit's
    resubmission is the next version (a new row), so every version is kept. `is_current` marks the newest."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    requirement = models.ForeignKey(
        MaterialRequirement, verbose_name=_("requirement"), on_delete=models.PROTECT, related_name="submissions"
    )
    unit = models.ForeignKey(
        "campaign.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="material_submissions"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(_("note"), blank=True)
    is_late = models.BooleanField(_("submitted late"), default=False)
    return_reason = models.TextField(_("reason for return"), blank=True)
    # None: opened by the reminder job for a unit that had not started (the row carries the reminders and events).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # Reminders and escalation (sent once each: the nightly job is safe to run twice).
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("overdue notice sent at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)

    class Meta:
        verbose_name = _("material submission")
        verbose_name_plural = _("material submissions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["requirement", "unit", "version"], name="submission_version_unique"),
            models.UniqueConstraint(
                fields=["requirement", "unit"], condition=Q(is_current=True), name="submission_one_current"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "is_current", "status"]),
            models.Index(fields=["requirement", "is_current", "status"]),
            # The completeness figures join every requirement × unit pair to its current version: index-only on
            # PostgreSQL (INCLUDE is ignored elsewhere).
            models.Index(
                fields=["requirement", "unit"],
                include=["status", "is_late"],
                condition=Q(is_current=True),
                name="submission_current_cover",
            ),
        ]

    def __str__(self):
        return f"{self.requirement} · {self.unit} · v{self.version}"


class MaterialFile(models.Model):
    """One file of a submission: checked by content (core.files.check_document / prepare_image) and stored under a
    random name; served only by core.media to those who may see the submission."""

    submission = models.ForeignKey(
        MaterialSubmission, verbose_name=_("submission"), on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField(_("file"), upload_to="materials/%Y/%m/", max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10)  # pdf, docx, xlsx, jpg (the detected content)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("material file")
        verbose_name_plural = _("material files")
        ordering = ["submission", "id"]

    def __str__(self):
        return self.name


class MaterialEvent(models.Model):
    """Every change of a submission: who, when, what (an append-only history)."""

    class Verb(models.TextChoices):
        CREATED = "created", _("Created")
        FILE_ADDED = "file_added", _("File added")
        FILE_REMOVED = "file_removed", _("File removed")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")
        RESUBMITTED = "resubmitted", _("New version started")
        REMINDED = "reminded", _("Reminder sent")
        OVERDUE = "overdue", _("Overdue notice sent")
        ESCALATED = "escalated", _("Escalated")

    submission = models.ForeignKey(
        MaterialSubmission, verbose_name=_("submission"), on_delete=models.PROTECT, related_name="events"
    )
    verb = models.CharField(_("what"), max_length=20, choices=Verb.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("material event")
        verbose_name_plural = _("material events")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.get_verb_display()


class MaterialPackage(models.Model):
    """The accepted material as one .zip (测评项目/测评内容/测评标准 folders and an index .xlsx) for the national online
    submission system; built by a background job that reports its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        BUILDING = "building", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    files_total = models.PositiveIntegerField(_("files in all"), default=0)
    files_done = models.PositiveIntegerField(_("files done"), default=0)
    file = models.FileField(_("package"), upload_to="packages/", max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("material package")
        verbose_name_plural = _("material packages")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_status_display()} {self.created_at:%Y-%m-%d %H:%M}"
