"""API routes of responsibilities (under /api/v1/; joined into evaluation/api/urls.py)."""

from core.api.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=True)
router.register("responsibilities", views.ResponsibilityViewSet, basename="api_responsibility")

urlpatterns = router.urls
