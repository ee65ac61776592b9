"""API routes of the evaluation (under /api/v1/): the system here, the rest from the subpackages."""

from core.api.routers import SimpleRouter
from evaluation.completeness.api.urls import urlpatterns as completeness_patterns
from evaluation.materials.api.urls import urlpatterns as material_patterns
from evaluation.questionnaires.api.urls import urlpatterns as questionnaire_patterns
from evaluation.rates.api.urls import urlpatterns as rate_patterns
from evaluation.readiness.api.urls import urlpatterns as readiness_patterns
from evaluation.responsibilities.api.urls import urlpatterns as responsibility_patterns
from evaluation.surveys.api.urls import urlpatterns as survey_patterns

from . import views

router = SimpleRouter(trailing_slash=True)
router.register("evaluation-items", views.EvaluationItemViewSet, basename="evaluation-item")

urlpatterns = [
    *router.urls,
    *responsibility_patterns,
    *material_patterns,
    *completeness_patterns,
    *questionnaire_patterns,
    *survey_patterns,
    *rate_patterns,
    *readiness_patterns,
]
