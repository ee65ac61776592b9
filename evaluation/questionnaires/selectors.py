"""Reads of questionnaires and survey rounds. Every read starts from `core.registry.visible_to`; a round's quota
progress is counted by the database (one correlated COUNT per quota, in the quotas' one query).

Quota progress (`done` on each quota of `quotas_with_progress`): the responses of the quota's round, area and group
whose quality counts (valid, or accepted by the office). Every signed-in user reads the rounds and their progress
(counts, not the responses themselves)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse

from core.models import User
from core.registry import visible_to
from evaluation.models import (
    EvaluationItem,
    Question,
    Questionnaire,
    QuestionOption,
    SurveyQuota,
    SurveyResponse,
    SurveyRound,
)

COUNTING = (SurveyResponse.Quality.VALID, SurveyResponse.Quality.ACCEPTED)


def questions_shaped() -> QuerySet:
    return Question.objects.order_by("number").prefetch_related(
        Prefetch("options", queryset=QuestionOption.objects.order_by("sort_order", "code")),
        Prefetch("standards", queryset=EvaluationItem.objects.order_by("sort_order", "code")),
    )


def questionnaire_list(*, user) -> QuerySet:
    """The questionnaires with their number of questions and of rounds using them."""
    return (
        visible_to(Questionnaire, user)
        .annotate(
            question_count=Coalesce(
                Subquery(
                    Question.objects.filter(questionnaire=OuterRef("pk"))
                    .order_by()
                    .values("questionnaire")
                    .annotate(n=Count("pk"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            round_count=Coalesce(
                Subquery(
                    SurveyRound.questionnaires.through.objects.filter(questionnaire_id=OuterRef("pk"))
                    .order_by()
                    .values("questionnaire_id")
                    .annotate(n=Count("pk"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
        )
        .order_by("code")
    )


def questionnaire_detail(*, user) -> QuerySet:
    """Questionnaires with their questions, options and standards (three prefetches, whatever their size)."""
    return visible_to(Questionnaire, user).prefetch_related(Prefetch("questions", queryset=questions_shaped()))


def done_count() -> Coalesce:
    """The counted responses of a quota's round, area and group (OuterRef over SurveyQuota)."""
    responses = (
        SurveyResponse.objects.filter(
            round=OuterRef("round"), region=OuterRef("region"), group=OuterRef("group"), quality__in=COUNTING
        )
        .order_by()
        .values("round")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(responses, output_field=IntegerField()), Value(0))


def quotas_with_progress(queryset=None) -> QuerySet:
    """Quotas with their area, surveyor and `done` (see the module's docstring), ordered by area and group."""
    queryset = SurveyQuota.objects.all() if queryset is None else queryset
    return (
        queryset.select_related("region", "surveyor")
        .annotate(done=done_count())
        .order_by("round", "region__path", "group", "pk")
    )


def round_list(*, user) -> QuerySet:
    """The rounds with their totals: quota target and counted responses (by the database)."""
    counted = (
        SurveyResponse.objects.filter(round=OuterRef("pk"), quality__in=COUNTING)
        .order_by()
        .values("round")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    target = (
        SurveyQuota.objects.filter(round=OuterRef("pk"))
        .order_by()
        .values("round")
        .annotate(n=Sum("target"))
        .values("n")[:1]
    )
    return (
        visible_to(SurveyRound, user)
        .annotate(
            responses_counted=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
            quota_target=Coalesce(Subquery(target, output_field=IntegerField()), Value(0)),
        )
        .prefetch_related(
            Prefetch("questionnaires", queryset=Questionnaire.objects.order_by("code").only("pk", "code", "title")),
            Prefetch("surveyors", queryset=User.objects.order_by("username")),
        )
        .order_by("-start_date", "-id")
    )


def round_detail(*, user) -> QuerySet:
    """round_list's rows with their quotas and progress (one more query for all quotas)."""
    return round_list(user=user).prefetch_related(
        Prefetch("quotas", queryset=quotas_with_progress(), to_attr="quota_rows")
    )


def rounds_of_surveyor(user) -> QuerySet:
    mine = SurveyRound.objects.filter(Q(surveyors=user) | Q(quotas__surveyor=user)).values("pk")
    return round_list(user=user).filter(pk__in=mine)


def surveyor_choices() -> QuerySet:
    """The accounts a round may name as its surveyors."""
    from .services import SURVEYOR_ROLES

    return User.objects.filter(is_active=True, role__in=SURVEYOR_ROLES).order_by("username")


def public_link(request, round: SurveyRound) -> str | None:  # noqa: A002
    """The public self-fill page of a round (its random key; built by evaluation/surveys as `survey_public`)."""
    if not round.public_token:
        return None
    for name in ("evaluation:survey_public", "survey_public"):
        try:
            return request.build_absolute_uri(reverse(name, args=[round.public_token]))
        except NoReverseMatch:
            continue
    return None
