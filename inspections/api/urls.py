# Sites, site types, categories, evaluation items and patrols register on api/urls_sites.py; tickets,
# their actions and events, stats and the map GeoJSON on api/urls_tickets.py.
from .urls_sites import urlpatterns as site_patterns
from .urls_tickets import urlpatterns as ticket_patterns

urlpatterns = site_patterns + ticket_patterns
