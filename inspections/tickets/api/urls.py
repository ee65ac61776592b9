from django.urls import path

from core.api.routers import SimpleRouter
from inspections.tickets.api.views import SiteMapView, TicketMapView, TicketStatsView, TicketViewSet

router = SimpleRouter()
router.register("tickets", TicketViewSet, basename="api_ticket")

urlpatterns = router.urls + [
    path("stats/tickets/", TicketStatsView.as_view(), name="api_ticket_stats"),
    path("map/sites.geojson", SiteMapView.as_view(), name="api_map_sites"),
    path("map/tickets.geojson", TicketMapView.as_view(), name="api_map_tickets"),
]
