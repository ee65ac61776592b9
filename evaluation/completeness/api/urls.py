"""API routes of completeness (under /api/v1/; joined into evaluation/api/urls.py)."""

from django.urls import path

from core.api.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=True)
router.register("material-packages", views.MaterialPackageViewSet, basename="material-package")

urlpatterns = [
    path("material-completeness/", views.MaterialCompletenessView.as_view(), name="material-completeness"),
    *router.urls,
]
