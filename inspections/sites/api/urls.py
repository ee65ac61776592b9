"""API routes of site types, sites, categories and patrols (under /api/v1/)."""

from core.api.routers import SimpleRouter
from inspections.sites.api import views

router = SimpleRouter(trailing_slash=True)
router.register("site-types", views.SiteTypeViewSet, basename="inspections-site-type")
router.register("sites", views.SiteViewSet, basename="inspections-site")
router.register("categories", views.CategoryViewSet, basename="inspections-category")
router.register("patrols", views.PatrolViewSet, basename="inspections-patrol")

urlpatterns = router.urls
