"""Questionnaire surveys (问卷调查): questionnaire versions for groups of respondents, their questions (linked to the
standards they measure and the rate they feed), survey rounds with quotas by area and group and their surveyors,
and the responses with their answers. Each answer carries whether it counts as positive (decided by its question's
rule when it is saved, and again when a rule changes), so every rate is one aggregate in the database."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .system import EvaluationItem


class RespondentGroup(models.TextChoices):
    RESIDENTS = "residents", _("Residents")
    MERCHANTS = "merchants", _("Merchants")
    STUDENTS = "students", _("Students")
    VISITORS = "visitors", _("Visitors")
    OTHER = "other", _("Other")


class Rate(models.TextChoices):
    """The rates a question feeds (知晓率, 支持率, 满意度, 参与率)."""

    AWARENESS = "awareness", _("Awareness")
    SUPPORT = "support", _("Support")
    SATISFACTION = "satisfaction", _("Satisfaction")
    PARTICIPATION = "participation", _("Participation")


class Questionnaire(models.Model):
    """One version of the questionnaire (问卷 A–D) for one group of respondents."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    group = models.CharField(_("respondent group"), max_length=20, choices=RespondentGroup.choices)
    intro = models.TextField(_("introduction"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.title}"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        RATING = "rating", _("Rating 1–5")
        YES_NO = "yes_no", _("Yes / no")
        TEXT = "text", _("Open text")

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="questions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("question"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    rate = models.CharField(_("rate"), max_length=20, choices=Rate.choices, blank=True)
    standards = models.ManyToManyField(
        EvaluationItem,
        verbose_name=_("standards measured"),
        blank=True,
        related_name="questions",
        limit_choices_to={"level": EvaluationItem.Level.STANDARD},
    )
    # The positive rule (configurable): choices marked positive (QuestionOption.is_positive); a rating at or above
    # `positive_min_rating`; a yes/no whose answer equals `positive_answer`. Text answers never count.
    positive_min_rating = models.PositiveSmallIntegerField(_("positive from rating"), null=True, blank=True)
    positive_answer = models.BooleanField(_("positive answer"), null=True, blank=True)
    is_required = models.BooleanField(_("required"), default=True)
    # The rate the evaluation expects (e.g. 0.90 satisfaction); readiness compares the measured rate with it.
    target = models.DecimalField(_("target rate"), max_digits=5, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="question_number_unique"),
            models.CheckConstraint(
                condition=Q(positive_min_rating__isnull=True)
                | Q(positive_min_rating__gte=1, positive_min_rating__lte=5),
                name="question_positive_rating_range",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:40]}"


class QuestionOption(models.Model):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=10)  # A, B, C …
    text = models.CharField(_("text"), max_length=200)
    is_positive = models.BooleanField(_("counts as positive"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="option_code_unique")]

    def __str__(self):
        return f"{self.code}. {self.text}"


class SurveyRound(models.Model):
    """One survey round (e.g. the monthly mock survey): its period, the questionnaire versions used, quotas, the
    surveyors, an optional public self-fill link, and the weighting between sources."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    questionnaires = models.ManyToManyField(Questionnaire, verbose_name=_("questionnaires"), related_name="rounds")
    surveyors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("surveyors"), blank=True, related_name="survey_rounds"
    )
    public_token = models.CharField(_("public link key"), max_length=64, unique=True, null=True, blank=True)
    # Weights of the sources in the rates (configurable), e.g. {"interview": 70, "fieldworker": 30}; empty: unweighted.
    source_weights = models.JSONField(_("weights of sources"), default=dict, blank=True)
    min_seconds = models.PositiveIntegerField(_("shortest believable duration (s)"), default=60)
    # A response recorded farther than this from its area's centre (the mean of the area's sites) is flagged.
    area_radius_m = models.PositiveIntegerField(_("area radius (m)"), default=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[questionnaires, surveyors])

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-start_date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(start_date__lte=models.F("end_date")), name="round_period")]

    def __str__(self):
        return self.name


class SurveyQuota(models.Model):
    """How many responses a round wants from one area (a community) and group, and which surveyor covers it."""

    round = models.ForeignKey(SurveyRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="quotas")
    region = models.ForeignKey(
        "campaign.Region", verbose_name=_("area"), on_delete=models.PROTECT, related_name="survey_quotas"
    )
    group = models.CharField(_("respondent group"), max_length=20, choices=RespondentGroup.choices)
    target = models.PositiveIntegerField(_("target"))
    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("surveyor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_quotas",
    )

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["round", "region__path", "group"]
        constraints = [models.UniqueConstraint(fields=["round", "region", "group"], name="quota_unique")]

    def __str__(self):
        return f"{self.region} · {self.get_group_display()} · {self.target}"


class SurveyResponse(models.Model):
    """One filled questionnaire. Flagged responses (too fast, duplicated, outside the assigned area) stay out of the
    rates until the office accepts them."""

    class Source(models.TextChoices):
        INTERVIEW = "interview", _("Interview by a surveyor")
        SELF_FILL = "self_fill", _("Public self-fill")
        FIELDWORKER = "fieldworker", _("Fieldworker scoring")

    class Quality(models.TextChoices):
        VALID = "valid", _("Valid")
        FLAGGED = "flagged", _("Flagged")
        ACCEPTED = "accepted", _("Accepted by the office")
        REJECTED = "rejected", _("Rejected by the office")

    round = models.ForeignKey(SurveyRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="responses")
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="responses"
    )
    region = models.ForeignKey(
        "campaign.Region", verbose_name=_("area"), on_delete=models.PROTECT, related_name="survey_responses"
    )
    group = models.CharField(_("respondent group"), max_length=20, choices=RespondentGroup.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("surveyor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    duration_seconds = models.PositiveIntegerField(_("duration (s)"), null=True, blank=True)
    # Digests only (HMAC with the secret key): one response per device and per phone on the public link.
    device_digest = models.CharField(_("device"), max_length=64, blank=True, db_index=True)
    phone_digest = models.CharField(_("phone"), max_length=64, blank=True, db_index=True)
    client_key = models.CharField(_("client key"), max_length=64, blank=True)  # offline retries: sent once
    too_fast = models.BooleanField(_("too fast"), default=False)
    duplicate = models.BooleanField(_("duplicate"), default=False)
    outside_area = models.BooleanField(_("outside the assigned area"), default=False)
    quality = models.CharField(_("quality"), max_length=10, choices=Quality.choices, default=Quality.VALID)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["round", "quality", "region", "group"])]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "client_key"], condition=~Q(client_key=""), name="response_client_key_unique"
            )
        ]

    def __str__(self):
        return f"{self.round} · {self.questionnaire.code} · {self.submitted_at:%Y-%m-%d %H:%M}"

    @property
    def counts(self) -> bool:
        return self.quality in (self.Quality.VALID, self.Quality.ACCEPTED)


class SurveyAnswer(models.Model):
    """One answer. `positive` is decided from the question's rule when saved (None: the answer does not count towards
    a rate, e.g. open text)."""

    response = models.ForeignKey(
        SurveyResponse, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers")
    option_codes = models.CharField(_("options"), max_length=100, blank=True)  # "A" or "A,C"
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    yes = models.BooleanField(_("yes"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    positive = models.BooleanField(_("positive"), null=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once")]
        indexes = [models.Index(fields=["question", "positive"])]

    def __str__(self):
        return f"{self.question_id}: {self.option_codes or self.rating or self.yes or self.text[:20]}"


class SurveyTally(models.Model):
    """Kept by the response services in the same transaction (evaluation/surveys/tally.py): per round, area, group,
    source and question, how many counted answers there are and how many are positive. Every rate (by area, group,
    question, standard, with its interval and weighting) is a small aggregate of these rows; `tally.rebuild()`
    recomputes them from the answers (nightly, and after bulk loads)."""

    round = models.ForeignKey(SurveyRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="tallies")
    region = models.ForeignKey("campaign.Region", verbose_name=_("area"), on_delete=models.CASCADE, related_name="+")
    group = models.CharField(_("respondent group"), max_length=20, choices=RespondentGroup.choices)
    source = models.CharField(_("source"), max_length=20, choices=SurveyResponse.Source.choices)
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="+")
    answered = models.PositiveIntegerField(_("answers counted"), default=0)
    positive = models.PositiveIntegerField(_("positive answers"), default=0)

    class Meta:
        verbose_name = _("survey tally")
        verbose_name_plural = _("survey tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "region", "group", "source", "question"], name="survey_tally_cell"
            ),
            models.CheckConstraint(condition=Q(positive__lte=models.F("answered")), name="survey_tally_positive"),
        ]

    def __str__(self):
        cell = f"{self.round_id}/{self.region_id}/{self.group}/{self.source}/{self.question_id}"
        return f"{cell}: {self.positive}/{self.answered}"
