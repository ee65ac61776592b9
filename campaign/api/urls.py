from core.api.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("regions", views.RegionViewSet, basename="region")
router.register("units", views.UnitViewSet, basename="unit")
router.register("people", views.PersonViewSet, basename="person")
router.register("command-bodies", views.CommandBodyViewSet, basename="command-body")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("assignments", views.AssignmentViewSet, basename="assignment")

urlpatterns = router.urls
