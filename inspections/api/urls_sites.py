"""API routes of the evaluation system, site types, sites, categories and patrols (under /api/v1/)."""

from core.api.routers import SimpleRouter

from . import sites

router = SimpleRouter(trailing_slash=True)
router.register("evaluation-items", sites.EvaluationItemViewSet, basename="inspections-evaluation-item")
router.register("site-types", sites.SiteTypeViewSet, basename="inspections-site-type")
router.register("sites", sites.SiteViewSet, basename="inspections-site")
router.register("categories", sites.CategoryViewSet, basename="inspections-category")
router.register("patrols", sites.PatrolViewSet, basename="inspections-patrol")

urlpatterns = router.urls
