"""The models of the evaluation app, one module per part (Django finds them through this package):

- `system`: the evaluation system (测评体系) — EvaluationItem, Method, StandardMethod;
- `responsibilities`: the responsibility list (责任清单);
- `materials`: material review (材料申报与审核);
- `surveys`: questionnaire surveys (问卷调查);
- `readiness`: the predicted score (测评得分预估).

`from evaluation.models import X` works for every model."""

from .materials import (
    MaterialEvent,
    MaterialFile,
    MaterialPackage,
    MaterialRequirement,
    MaterialReviewBody,
    MaterialSubmission,
)
from .readiness import ReadinessInput, ReadinessSnapshot
from .responsibilities import Responsibility
from .surveys import (
    Question,
    Questionnaire,
    QuestionOption,
    Rate,
    RespondentGroup,
    SurveyAnswer,
    SurveyQuota,
    SurveyResponse,
    SurveyRound,
    SurveyTally,
)
from .system import EvaluationItem, Method, StandardMethod

__all__ = [
    "EvaluationItem",
    "MaterialEvent",
    "MaterialFile",
    "MaterialPackage",
    "MaterialRequirement",
    "MaterialReviewBody",
    "MaterialSubmission",
    "Method",
    "Question",
    "QuestionOption",
    "Questionnaire",
    "Rate",
    "ReadinessInput",
    "ReadinessSnapshot",
    "RespondentGroup",
    "Responsibility",
    "StandardMethod",
    "SurveyAnswer",
    "SurveyQuota",
    "SurveyResponse",
    "SurveyRound",
    "SurveyTally",
]
