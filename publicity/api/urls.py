from django.urls import path

from core.api.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("publicity-assets", views.AssetViewSet, basename="publicity-asset")
router.register("asset-checks", views.AssetCheckViewSet, basename="asset-check")
router.register("publicity-posts", views.PostViewSet, basename="publicity-post")

urlpatterns = [
    path("publicity-figures/", views.PublicityFiguresView.as_view(), name="publicity-figures"),
] + router.urls
