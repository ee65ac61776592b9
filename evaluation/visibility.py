"""Who may see what in the evaluation: each model declares its visibility once (core.registry), here.

- The evaluation system: every signed-in user.
- The responsibility list, material requirements and submissions: the office and the leader all; a unit liaison
  the rows of its own unit and of the standards it leads (牵头单位); a supervisor the rows of the units in its
  regions; members of a material review body (材料申报指导督导组) also those of the standards under its projects.
- Files and events: exactly with their submission. Packages: the office and the leader.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.registry import EVERYONE, SCOPED, register, through
from core.scope import Scope

from .models import (
    EvaluationItem,
    MaterialEvent,
    MaterialFile,
    MaterialPackage,
    MaterialRequirement,
    MaterialReviewBody,
    MaterialSubmission,
    Question,
    Questionnaire,
    QuestionOption,
    ReadinessInput,
    ReadinessSnapshot,
    Responsibility,
    StandardMethod,
    SurveyAnswer,
    SurveyQuota,
    SurveyResponse,
    SurveyRound,
    SurveyTally,
)


def led_standards(unit_id):
    """The standards a unit leads (牵头) on the responsibility list."""
    return Responsibility.objects.filter(lead_unit_id=unit_id).values("standard_id")


def reviewed_standards(scope: Scope):
    """The standards whose material the scope's command bodies review (a body without projects reviews all)."""
    bodies = MaterialReviewBody.objects.filter(command_body_id__in=scope.body_ids)
    if not scope.body_ids or not bodies.exists():
        return None
    if bodies.filter(projects__isnull=True).exists():
        return EvaluationItem.objects.filter(level=EvaluationItem.Level.STANDARD).values("pk")
    return EvaluationItem.objects.filter(
        level=EvaluationItem.Level.STANDARD, parent__parent__in=bodies.values("projects")
    ).values("pk")


def is_material_reviewer(scope: Scope) -> bool:
    """May review submissions at all: the office, or a member of a material review body (the standards it may
    review are then those of `visible_to(MaterialSubmission, …)` narrowed by `reviewed_standards`)."""
    return (scope.is_office and not scope.read_only) or (not scope.read_only and reviewed_standards(scope) is not None)


def _unit_rule(*, unit_q, units_m2m: str | None, region_paths: tuple[str, ...], standard_path: str):
    """A rule for a row tied to units (`unit_q(unit_id)`), in a region through them, and to a standard."""

    def rule(scope: Scope, queryset: QuerySet, registry=None) -> QuerySet:
        if scope.sees_everything:
            return queryset
        if not scope.is_authenticated:
            return queryset.none()
        condition = Q(pk__in=[])
        if scope.is_unit and scope.unit_id:
            condition |= unit_q(scope.unit_id) | Q(**{f"{standard_path}__in": led_standards(scope.unit_id)})
        if (scope.is_supervisor or scope.is_wide) and scope.region_ids:
            for path in region_paths:
                condition |= Q(**{f"{path}__in": scope.region_ids})
        reviewed = reviewed_standards(scope) if scope.body_ids else None
        if reviewed is not None:
            condition |= Q(**{f"{standard_path}__in": reviewed})
        return queryset.filter(condition).distinct() if units_m2m else queryset.filter(condition)

    return rule


responsibilities_rule = _unit_rule(
    unit_q=lambda unit_id: Q(lead_unit_id=unit_id) | Q(units=unit_id),
    units_m2m="units",
    region_paths=("lead_unit__region", "units__region"),
    standard_path="standard",
)
requirements_rule = _unit_rule(
    unit_q=lambda unit_id: Q(units=unit_id),
    units_m2m="units",
    region_paths=("units__region",),
    standard_path="standard",
)
submissions_rule = _unit_rule(
    unit_q=lambda unit_id: Q(unit_id=unit_id),
    units_m2m=None,
    region_paths=("unit__region",),
    standard_path="requirement__standard",
)


# Completeness (evaluation.completeness.selectors) counts requirement × submitting-unit pairs, with or without a
# submission: a pair is seen exactly as a submission for it would be (own unit, led standards, regions, reviewed).
requirement_units_rule = _unit_rule(
    unit_q=lambda unit_id: Q(unit_id=unit_id),
    units_m2m=None,
    region_paths=("unit__region",),
    standard_path="materialrequirement__standard",
)


def office_and_leader(scope: Scope, queryset: QuerySet, registry=None) -> QuerySet:
    return queryset if scope.sees_everything else queryset.none()


def submission_file_name(row, stored_name):
    """Downloads carry the name the unit gave the file (already made safe when stored)."""
    return row.name


register(EvaluationItem, visible=EVERYONE)
register(StandardMethod, visible=through("standard", EvaluationItem))
register(MaterialReviewBody, visible=EVERYONE)
register(
    Responsibility,
    visible=responsibilities_rule,
    filterset="evaluation.responsibilities.filtersets.ResponsibilityFilterSet",
    serializer="evaluation.responsibilities.api.serializers.ResponsibilitySerializer",
    surfaces={
        "list": "evaluation:responsibility_list",
        "detail": "evaluation:responsibility_detail",
        "api_list": "api_responsibility-list",
        "api_detail": "api_responsibility-detail",
        "export": "evaluation:responsibility_export",
    },
    not_found=_("Responsibility not found."),
)
register(
    MaterialRequirement,
    visible=requirements_rule,
    filterset="evaluation.materials.filtersets.MaterialRequirementFilterSet",
    serializer="evaluation.materials.api.serializers.MaterialRequirementSerializer",
    surfaces={
        "list": "evaluation:material_requirement_list",
        "detail": "evaluation:material_requirement_detail",
        "api_list": "api_material-requirement-list",
        "api_detail": "api_material-requirement-detail",
    },
    not_found=_("Material requirement not found."),
)
register(
    MaterialSubmission,
    visible=submissions_rule,
    filterset="evaluation.materials.filtersets.MaterialSubmissionFilterSet",
    serializer="evaluation.materials.api.serializers.MaterialSubmissionSerializer",
    surfaces={
        "list": "evaluation:material_submission_list",
        "detail": "evaluation:material_submission_detail",
        "api_list": "api_material-submission-list",
        "api_detail": "api_material-submission-detail",
    },
    not_found=_("Submission not found."),
)
register(
    MaterialRequirement.units.through,
    visible=requirement_units_rule,
    surfaces={"figures": "material-completeness"},
)
register(
    MaterialFile,
    visible=through("submission", MaterialSubmission),
    media=("materials/", ("file",), True, submission_file_name),
    surfaces={"media": "file"},
)
register(MaterialEvent, visible=through("submission", MaterialSubmission))
register(
    MaterialPackage,
    visible=office_and_leader,
    serializer="evaluation.completeness.api.serializers.MaterialPackageSerializer",
    surfaces={
        "list": "evaluation:package_list",
        "detail": "evaluation:package_detail",
        "api_list": "material-package-list",
        "api_detail": "material-package-detail",
        "media": "file",
    },
    media=("packages/", ("file",), True),
    not_found=_("Package not found."),
)


# --- Questionnaire surveys and readiness (issue 12) ------------------------------------------------------------
# Questionnaires, their questions and the rounds are no secret: every signed-in user reads them (the public self-fill
# page shows one round's questionnaires by its link key, with no account: evaluation/surveys, by design).
# Responses carry positions and digests of phones: the office and the leader read all, a surveyor their own.
# The tallies (rates) and the readiness snapshots are figures by area: office and leader all, a supervisor its areas.


def responses_rule(scope: Scope, queryset: QuerySet, registry=None) -> QuerySet:
    if scope.sees_everything:
        return queryset
    if not scope.is_authenticated or scope.is_wide:
        return queryset.none()
    return queryset.filter(surveyor_id=scope.user_id)


register(
    Questionnaire,
    visible=EVERYONE,
    filterset="evaluation.questionnaires.filtersets.QuestionnaireFilterSet",
    serializer="evaluation.questionnaires.api.serializers.QuestionnaireSerializer",
    surfaces={
        "list": "evaluation:questionnaire_list",
        "detail": "evaluation:questionnaire_detail",
        "api_list": "api_questionnaire-list",
        "api_detail": "api_questionnaire-detail",
        "export": "evaluation:questionnaire_export",
    },
    not_found=_("Questionnaire not found."),
)
register(Question, visible=through("questionnaire", Questionnaire))
register(QuestionOption, visible=through("question", Question))
register(
    SurveyRound,
    visible=EVERYONE,
    filterset="evaluation.questionnaires.filtersets.SurveyRoundFilterSet",
    serializer="evaluation.questionnaires.api.serializers.SurveyRoundSerializer",
    surfaces={
        "list": "evaluation:survey_round_list",
        "detail": "evaluation:survey_round_detail",
        "api_list": "api_survey-round-list",
        "api_detail": "api_survey-round-detail",
    },
    not_found=_("Survey round not found."),
)
register(SurveyQuota, visible=through("round", SurveyRound))
register(
    SurveyResponse,
    visible=responses_rule,
    filterset="evaluation.surveys.filtersets.SurveyResponseFilterSet",
    serializer="evaluation.surveys.api.serializers.SurveyResponseSerializer",
    surfaces={"api_list": "api_survey-response-list", "api_detail": "api_survey-response-detail"},
    not_found=_("Response not found."),
)
register(SurveyAnswer, visible=through("response", SurveyResponse))
register(SurveyTally, visible=SCOPED, region="region", surfaces={"figures": "survey-rates"})
register(ReadinessInput, visible=EVERYONE)
register(ReadinessSnapshot, visible=SCOPED, region="region", surfaces={"figures": "api_readiness"})
