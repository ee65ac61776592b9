from django.urls import path

from core.api.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("volunteer-teams", views.TeamViewSet, basename="volunteer-team")
router.register("volunteers", views.VolunteerViewSet, basename="volunteer")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("pairings", views.PairingViewSet, basename="pairing")
router.register("micro-wishes", views.MicroWishViewSet, basename="micro-wish")

urlpatterns = [
    path("volunteer-figures/", views.VolunteerFiguresView.as_view(), name="volunteer-figures"),
] + router.urls
