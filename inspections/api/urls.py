# Sites, site types, categories, evaluation items and patrols register on sites/api/urls.py; tickets,
# their actions and events, stats and the map GeoJSON on tickets/api/urls.py.
from inspections.sites.api.urls import urlpatterns as site_patterns
from inspections.tickets.api.urls import urlpatterns as ticket_patterns

urlpatterns = site_patterns + ticket_patterns
