"""API routes of questionnaires and survey rounds (under /api/v1/; joined into evaluation/api/urls.py)."""

from core.api.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=True)
router.register("questionnaires", views.QuestionnaireViewSet, basename="api_questionnaire")
router.register("survey-rounds", views.SurveyRoundViewSet, basename="api_survey-round")

urlpatterns = router.urls
