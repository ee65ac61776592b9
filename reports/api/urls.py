from core.api.routers import DefaultRouter

from .views import BulletinViewSet

router = DefaultRouter(trailing_slash=True)
router.register("bulletins", BulletinViewSet, basename="bulletin")

urlpatterns = router.urls
