"""API routes of materials (under /api/v1/; joined into evaluation/api/urls.py)."""

from core.api.routers import SimpleRouter

from .views import MaterialRequirementViewSet, MaterialSubmissionViewSet

router = SimpleRouter()
router.register("material-requirements", MaterialRequirementViewSet, basename="api_material-requirement")
router.register("material-submissions", MaterialSubmissionViewSet, basename="api_material-submission")

urlpatterns = router.urls
