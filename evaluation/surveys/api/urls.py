"""API routes of surveys (under /api/v1/; joined into evaluation/api/urls.py)."""

from core.api.routers import SimpleRouter

from .views import SurveyResponseViewSet

router = SimpleRouter()
router.register("survey-responses", SurveyResponseViewSet, basename="api_survey-response")

urlpatterns = router.urls
