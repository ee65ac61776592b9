"""API routes of the evaluation (under /api/v1/)."""

from core.api.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=True)
router.register("evaluation-items", views.EvaluationItemViewSet, basename="evaluation-item")

urlpatterns = router.urls
